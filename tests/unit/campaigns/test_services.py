"""Campaign access rules against in-memory ports: owners and staff change, viewers read everything and
change nothing, members see only their own (others' are "not found"), and comment threads."""

from __future__ import annotations

import uuid

import pytest

from app.core.errors import ValidationFailed
from app.domain.campaigns.entities import CampaignFilter
from app.domain.campaigns.errors import CampaignNotFound, CampaignReadOnly, CommentNotFound, NotCommentAuthor
from app.domain.campaigns.services import CampaignService, NewCampaign
from app.domain.kernel import Role
from app.domain.notifications.entities import NotificationKind
from app.domain.properties.errors import PropertyNotFound
from tests.unit.campaigns.fakes import MemoryCampaignQueries, MemoryCampaignsUnitOfWork, campaigns_database
from tests.unit.fakes import MemoryDatabase, StepClock, member


@pytest.fixture
def db() -> MemoryDatabase:
    return campaigns_database()


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def campaigns(db: MemoryDatabase, clock: StepClock) -> CampaignService:
    return CampaignService(uow=lambda: MemoryCampaignsUnitOfWork(db), queries=MemoryCampaignQueries(db), clock=clock)


async def test_each_role_reads_and_changes_what_the_matrix_says(campaigns: CampaignService) -> None:
    owner, other = member(), member()
    admin, manager, viewer = member(Role.ADMIN), member(Role.MANAGER), member(Role.VIEWER)
    campaign = await campaigns.create(owner, NewCampaign(name="Spring launch"))
    for reader in (owner, admin, manager, viewer):
        assert (await campaigns.get(reader, campaign.id)).id == campaign.id
    with pytest.raises(CampaignNotFound):  # a member learns nothing of others' campaigns
        await campaigns.get(other, campaign.id)
    for editor in (owner, admin, manager):
        await campaigns.update(editor, campaign.id, {"description": f"by {editor.role}"})
    with pytest.raises(CampaignReadOnly):
        await campaigns.update(viewer, campaign.id, {"description": "no"})
    with pytest.raises(CampaignNotFound):
        await campaigns.update(other, campaign.id, {"description": "no"})
    with pytest.raises(CampaignReadOnly):
        await campaigns.create(viewer, NewCampaign(name="Mine"))
    with pytest.raises(CampaignReadOnly):
        await campaigns.delete(viewer, campaign.id)
    await campaigns.delete(manager, campaign.id)
    with pytest.raises(CampaignNotFound):
        await campaigns.get(owner, campaign.id)


async def test_members_list_only_their_own_whatever_filter_they_send(campaigns: CampaignService) -> None:
    alice, bob, viewer = member(), member(), member(Role.VIEWER)
    await campaigns.create(alice, NewCampaign(name="Alice one"))
    await campaigns.create(bob, NewCampaign(name="Bob one"))
    asked_for_bob = CampaignFilter(owner_id=bob.user_id)
    assert [c.name for c in (await campaigns.list(alice, asked_for_bob, page=1, page_size=20)).items] == ["Alice one"]
    seen = await campaigns.list(viewer, CampaignFilter(), page=1, page_size=20)
    assert seen.total == 2


async def test_names_are_required_trimmed_and_properties_must_exist(
    campaigns: CampaignService, db: MemoryDatabase
) -> None:
    owner = member()
    with pytest.raises(ValidationFailed):
        await campaigns.create(owner, NewCampaign(name="   "))
    with pytest.raises(ValidationFailed):
        await campaigns.create(owner, NewCampaign(name="x" * 201))
    with pytest.raises(PropertyNotFound):
        await campaigns.create(owner, NewCampaign(name="Tower", property_id=uuid.uuid4()))
    assert db.tables["campaigns"] == {}
    assert (await campaigns.create(owner, NewCampaign(name="  Tower  "))).name == "Tower"


async def test_comment_threads_notify_and_only_authors_edit(campaigns: CampaignService, db: MemoryDatabase) -> None:
    owner, viewer, stranger = member(), member(Role.VIEWER), member()
    campaign = await campaigns.create(owner, NewCampaign(name="Spring"))
    root = await campaigns.add_comment(viewer, campaign.id, "Looks good")
    reply = await campaigns.add_comment(owner, campaign.id, "Thanks", parent_id=root.id)
    with pytest.raises(CampaignNotFound):
        await campaigns.add_comment(stranger, campaign.id, "Hi")
    other = await campaigns.create(owner, NewCampaign(name="Other"))
    with pytest.raises(ValidationFailed):  # replies stay on their campaign
        await campaigns.add_comment(owner, other.id, "Cross", parent_id=root.id)
    roots = await campaigns.list_comments(owner, campaign.id, parent_id=None, page=1, page_size=20)
    assert [c.reply_count for c in roots.items] == [1]
    with pytest.raises(NotCommentAuthor):
        await campaigns.edit_comment(owner, campaign.id, root.id, "Mine now")
    await campaigns.delete_comment(owner, campaign.id, reply.id)
    with pytest.raises(CommentNotFound):
        await campaigns.edit_comment(owner, campaign.id, uuid.uuid4(), "?")
    kinds = [getattr(m, "kind", None) for m in db.outbox]
    assert NotificationKind.COMMENT in kinds or NotificationKind.REPLY in kinds
