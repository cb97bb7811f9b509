"""Collaborator rules against in-memory ports: who may invite, what each role may do, invitations that
work once and only for their address, removal that ends access, and the limits."""

from __future__ import annotations

import uuid

import pytest

from app.domain.campaigns.collaborators import MAX_COLLABORATORS, CollaboratorService, invite_token_hash
from app.domain.campaigns.entities import CampaignFilter, CollaboratorRole
from app.domain.campaigns.errors import (
    AlreadyCollaborator,
    CampaignNotFound,
    CampaignReadOnly,
    CollaboratorNotFound,
    CommentingNotAllowed,
    InviteClosed,
    InviteEmailUnverified,
    InviteNotFound,
    InvitePending,
    NotCampaignOwner,
    TooManyCollaborators,
)
from app.domain.campaigns.services import CampaignService, NewCampaign
from app.domain.kernel import Principal, Role
from app.domain.notifications.entities import NotificationKind
from app.domain.outbox import DeliverNotification, SendCampaignInvite
from tests.unit.campaigns.fakes import Account, MemoryCampaignQueries, MemoryCampaignsUnitOfWork, campaigns_database
from tests.unit.fakes import MemoryDatabase, RecordingMailer, StepClock, member

ROLES = CollaboratorRole


@pytest.fixture
def db() -> MemoryDatabase:
    return campaigns_database()


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def mailer() -> RecordingMailer:
    return RecordingMailer()


@pytest.fixture
def campaigns(db: MemoryDatabase, clock: StepClock) -> CampaignService:
    return CampaignService(uow=lambda: MemoryCampaignsUnitOfWork(db), queries=MemoryCampaignQueries(db), clock=clock)


@pytest.fixture
def team(db: MemoryDatabase, clock: StepClock, mailer: RecordingMailer) -> CollaboratorService:
    return CollaboratorService(
        uow=lambda: MemoryCampaignsUnitOfWork(db), clock=clock, mailer=mailer, frontend_url="https://app.test/"
    )


def person(db: MemoryDatabase, name: str, *, verified: bool = True, role: Role = Role.MEMBER) -> Principal:
    principal = member(role, username=name)
    db.tables["users"][principal.user_id] = Account(
        username=name, email=f"{name}@example.com", verified=verified, role=role
    )
    return principal


async def join(
    db: MemoryDatabase,
    team: CollaboratorService,
    owner: Principal,
    campaign_id: uuid.UUID,
    who: Principal,
    role: CollaboratorRole,
) -> None:
    invite = await team.invite(owner, campaign_id, f"{who.username}@example.com", role)
    await team.accept(who, invite_id=invite.id)


async def test_each_collaborator_role_reads_edits_and_comments_as_documented(
    db: MemoryDatabase, campaigns: CampaignService, team: CollaboratorService
) -> None:
    owner, editor, commenter, viewer, stranger = (person(db, n) for n in ("own", "ed", "com", "vie", "str"))
    campaign = await campaigns.create(owner, NewCampaign(name="Launch"))
    for who, role in ((editor, ROLES.EDITOR), (commenter, ROLES.COMMENTER), (viewer, ROLES.VIEWER)):
        await join(db, team, owner, campaign.id, who, role)
    for reader in (owner, editor, commenter, viewer):
        assert (await campaigns.get(reader, campaign.id)).id == campaign.id
        listed = await campaigns.list(reader, CampaignFilter(), page=1, page_size=20)
        assert [c.id for c in listed.items] == [campaign.id]  # shared campaigns are in the member's list
    with pytest.raises(CampaignNotFound):
        await campaigns.get(stranger, campaign.id)
    await campaigns.update(editor, campaign.id, {"description": "by the editor"})
    for read_only in (commenter, viewer):
        with pytest.raises(CampaignReadOnly):
            await campaigns.update(read_only, campaign.id, {"description": "no"})
    for speaker in (owner, editor, commenter):
        await campaigns.add_comment(speaker, campaign.id, f"hello from {speaker.username}")
    with pytest.raises(CommentingNotAllowed):
        await campaigns.add_comment(viewer, campaign.id, "may I?")
    with pytest.raises(NotCampaignOwner):  # editing is not owning
        await campaigns.delete(editor, campaign.id)
    with pytest.raises(NotCampaignOwner):
        await team.invite(editor, campaign.id, "friend@example.com", ROLES.EDITOR)


async def test_an_invitation_is_emailed_with_a_token_that_works_once(
    db: MemoryDatabase, campaigns: CampaignService, team: CollaboratorService, mailer: RecordingMailer
) -> None:
    owner, guest = person(db, "owner"), person(db, "newcomer")
    campaign = await campaigns.create(owner, NewCampaign(name="Autumn"))
    invite = await team.invite(owner, campaign.id, "Newcomer@Example.com", ROLES.COMMENTER)
    assert db.outbox[-1] == SendCampaignInvite(invite_id=invite.id)
    assert await team.send_invite_email(invite.id)
    email = mailer.sent[-1]
    assert email.to == "Newcomer@Example.com" and "Autumn" in email.subject
    token = email.text.split("token=")[1].split()[0]
    assert db.tables["invites"][invite.id].token_hash == invite_token_hash(token)  # only the hash is kept
    joined = await team.accept(guest, token=token)
    assert (joined.user_id, joined.role) == (guest.user_id, ROLES.COMMENTER)
    with pytest.raises(InviteNotFound):  # used: the token is gone
        await team.accept(person(db, "third"), token=token)
    delivered = [m for m in db.outbox if isinstance(m, DeliverNotification)]
    assert delivered[-1].kind == NotificationKind.COLLABORATOR_JOINED and delivered[-1].recipients == [owner.user_id]


async def test_invitations_by_id_need_the_verified_address_they_were_sent_to(
    db: MemoryDatabase, campaigns: CampaignService, team: CollaboratorService
) -> None:
    owner, invited, other = person(db, "owner"), person(db, "invited", verified=False), person(db, "other")
    campaign = await campaigns.create(owner, NewCampaign(name="Gated"))
    invite = await team.invite(owner, campaign.id, "INVITED@example.com", ROLES.EDITOR)
    with pytest.raises(InviteEmailUnverified):
        await team.my_invites(invited)
    with pytest.raises(InviteEmailUnverified):
        await team.accept(invited, invite_id=invite.id)
    assert await team.my_invites(other) == []
    with pytest.raises(InviteNotFound):  # someone else's invitation does not exist for them
        await team.accept(other, invite_id=invite.id)
    db.tables["users"][invited.user_id].verified = True
    assert [i.id for i in await team.my_invites(invited)] == [invite.id]
    assert (await team.my_invites(invited))[0].campaign_name == "Gated"
    await team.accept(invited, invite_id=invite.id)
    with pytest.raises(InviteClosed):
        await team.accept(invited, invite_id=invite.id)


async def test_revoked_declined_and_expired_invitations_cannot_be_accepted(
    db: MemoryDatabase, campaigns: CampaignService, team: CollaboratorService, clock: StepClock
) -> None:
    owner, a, b, c = (person(db, n) for n in ("owner", "a", "b", "c"))
    campaign = await campaigns.create(owner, NewCampaign(name="Closed"))
    revoked = await team.invite(owner, campaign.id, "a@example.com", ROLES.EDITOR)
    await team.revoke(owner, campaign.id, revoked.id)
    with pytest.raises(InviteClosed):
        await team.accept(a, invite_id=revoked.id)
    declined = await team.invite(owner, campaign.id, "b@example.com", ROLES.EDITOR)
    await team.decline(b, declined.id)
    with pytest.raises(InviteClosed):
        await team.accept(b, invite_id=declined.id)
    expiring = await team.invite(owner, campaign.id, "c@example.com", ROLES.EDITOR)
    clock.advance(days=8)
    with pytest.raises(InviteClosed):
        await team.accept(c, invite_id=expiring.id)
    again = await team.invite(owner, campaign.id, "c@example.com", ROLES.VIEWER)  # the stale one is closed
    await team.accept(c, invite_id=again.id)
    assert [x.user_id for x in await team.collaborators(owner, campaign.id)] == [c.user_id]


async def test_duplicates_owners_and_the_limit_are_refused(
    db: MemoryDatabase, campaigns: CampaignService, team: CollaboratorService
) -> None:
    owner, friend = person(db, "owner"), person(db, "friend")
    campaign = await campaigns.create(owner, NewCampaign(name="Full"))
    with pytest.raises(AlreadyCollaborator):
        await team.invite(owner, campaign.id, "OWNER@example.com", ROLES.EDITOR)
    await team.invite(owner, campaign.id, "friend@example.com", ROLES.EDITOR)
    with pytest.raises(InvitePending):
        await team.invite(owner, campaign.id, "Friend@Example.com", ROLES.VIEWER)
    await team.accept(friend, invite_id=(await team.my_invites(friend))[0].id)
    with pytest.raises(AlreadyCollaborator):
        await team.invite(owner, campaign.id, "friend@example.com", ROLES.VIEWER)
    for n in range(MAX_COLLABORATORS - 1):
        await team.invite(owner, campaign.id, f"p{n}@example.com", ROLES.VIEWER)
    with pytest.raises(TooManyCollaborators):
        await team.invite(owner, campaign.id, "one-more@example.com", ROLES.VIEWER)


async def test_the_owner_changes_and_removes_collaborators_and_access_follows(
    db: MemoryDatabase, campaigns: CampaignService, team: CollaboratorService
) -> None:
    owner, ed, admin = person(db, "owner"), person(db, "ed"), person(db, "boss", role=Role.ADMIN)
    campaign = await campaigns.create(owner, NewCampaign(name="Changing"))
    await join(db, team, owner, campaign.id, ed, ROLES.EDITOR)
    await campaigns.update(ed, campaign.id, {"description": "while editor"})
    changed = await team.change_role(owner, campaign.id, ed.user_id, ROLES.VIEWER)
    assert changed.role is ROLES.VIEWER
    with pytest.raises(CampaignReadOnly):
        await campaigns.update(ed, campaign.id, {"description": "as viewer"})
    with pytest.raises(NotCampaignOwner):
        await team.change_role(ed, campaign.id, ed.user_id, ROLES.EDITOR)
    await team.remove(admin, campaign.id, ed.user_id)  # staff manage collaborators too
    with pytest.raises(CampaignNotFound):
        await campaigns.get(ed, campaign.id)
    with pytest.raises(CollaboratorNotFound):
        await team.remove(owner, campaign.id, ed.user_id)
    notes = [m for m in db.outbox if isinstance(m, DeliverNotification)]
    assert [m.kind for m in notes][-2:] == [NotificationKind.COLLABORATION_CHANGED] * 2


async def test_a_collaborator_may_leave_but_not_remove_others(
    db: MemoryDatabase, campaigns: CampaignService, team: CollaboratorService
) -> None:
    owner, a, b = person(db, "owner"), person(db, "a"), person(db, "b")
    campaign = await campaigns.create(owner, NewCampaign(name="Team"))
    await join(db, team, owner, campaign.id, a, ROLES.EDITOR)
    await join(db, team, owner, campaign.id, b, ROLES.COMMENTER)
    assert {c.username for c in await team.collaborators(b, campaign.id)} == {"a", "b"}
    with pytest.raises(NotCampaignOwner):
        await team.remove(a, campaign.id, b.user_id)
    await team.remove(b, campaign.id, b.user_id)
    with pytest.raises(CampaignNotFound):
        await team.collaborators(b, campaign.id)


async def test_mentions_reach_only_people_who_can_read_the_campaign(
    db: MemoryDatabase, campaigns: CampaignService, team: CollaboratorService
) -> None:
    owner, ed, outsider = person(db, "owner"), person(db, "ed.w"), person(db, "outsider")
    boss = person(db, "boss", role=Role.MANAGER)
    campaign = await campaigns.create(owner, NewCampaign(name="Talk"))
    await join(db, team, owner, campaign.id, ed, ROLES.COMMENTER)
    db.outbox.clear()
    comment = await campaigns.add_comment(
        ed, campaign.id, "@owner and @BOSS, see this. @outsider cannot. @ed.w is me. Mail me@example.com; @nobody."
    )
    assert set(comment.mentions) == {owner.user_id, boss.user_id}
    delivered = {m.kind: m.recipients for m in db.outbox if isinstance(m, DeliverNotification)}
    assert set(delivered[NotificationKind.MENTION]) == {owner.user_id, boss.user_id}
    assert NotificationKind.COMMENT not in delivered  # the owner was mentioned: one notification, the precise one
    db.outbox.clear()
    edited = await campaigns.edit_comment(ed, campaign.id, comment.id, "@owner only now, and @outsider")
    assert set(edited.mentions) == {owner.user_id, boss.user_id}  # a mention once made stays (if still readable)
    assert not [m for m in db.outbox if isinstance(m, DeliverNotification)]  # nobody new was mentioned
    await campaigns.add_comment(ed, campaign.id, "plain", mentions=[outsider.user_id, owner.user_id])
    kinds = {m.kind: m.recipients for m in db.outbox if isinstance(m, DeliverNotification)}
    assert kinds[NotificationKind.MENTION] == [owner.user_id]
