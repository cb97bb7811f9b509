"""Oasis creator rules against in-memory ports: only creators post, posts use the creator's own tiers,
gated posts cannot be liked or discussed without access, removing tiers never makes a post public,
follows and the feed, and the commission workflow with its parties and transitions."""

from __future__ import annotations

import uuid

import pytest

from app.core.errors import ValidationFailed
from app.domain.creators.entities import CommissionStatus, PostVisibility
from app.domain.creators.errors import (
    CommissionNotDeletable,
    CommissionNotFound,
    CommissionTransition,
    NotACreator,
    OwnOffer,
    PostLocked,
    PostNotFound,
    SelfFollow,
)
from app.domain.creators.services import CreatorService, NewPost
from app.domain.kernel import Principal
from tests.unit.creators.fakes import TABLES, MemoryCreatorQueries, MemoryCreatorsUnitOfWork
from tests.unit.fakes import MemoryDatabase, StepClock, member


@pytest.fixture
def db() -> MemoryDatabase:
    return MemoryDatabase(*TABLES)


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def creators(db: MemoryDatabase, clock: StepClock) -> CreatorService:
    return CreatorService(uow=lambda: MemoryCreatorsUnitOfWork(db), queries=MemoryCreatorQueries(db), clock=clock)


async def _creator(creators: CreatorService, db: MemoryDatabase) -> tuple[Principal, uuid.UUID]:
    creator = member()
    await creators.save_profile(creator, display_name="Ann Art", bio="", category="Art", avatar_url="")
    tier = uuid.uuid4()
    db.tables["tiers"][tier] = creator.user_id
    return creator, tier


async def test_only_creators_post_and_only_with_their_own_tiers(creators: CreatorService, db: MemoryDatabase) -> None:
    with pytest.raises(NotACreator):
        await creators.create_post(member(), NewPost(title="Hi", body="..."))
    creator, tier = await _creator(creators, db)
    other, other_tier = await _creator(creators, db)
    with pytest.raises(ValidationFailed):  # tier-only with no tier
        await creators.create_post(creator, NewPost(title="x", body="y", visibility=PostVisibility.TIERS))
    with pytest.raises(ValidationFailed):  # someone else's tier
        await creators.create_post(
            creator, NewPost(title="x", body="y", visibility=PostVisibility.TIERS, tier_ids=(other_tier,))
        )
    assert db.tables["posts"] == {}
    public = await creators.create_post(creator, NewPost(title="Open", body="all", tier_ids=(tier,)))
    assert public.tier_ids == []  # a public post keeps no tiers


async def test_gated_posts_are_locked_for_outsiders_and_cannot_be_liked_or_discussed(
    creators: CreatorService, db: MemoryDatabase
) -> None:
    creator, tier = await _creator(creators, db)
    fan, outsider = member(), member()
    db.tables["holders"][tier] = {fan.user_id}
    post = await creators.create_post(
        creator, NewPost(title="Secret", body="gold", visibility=PostVisibility.TIERS, tier_ids=(tier,))
    )
    seen = await creators.get_post(outsider, post.id)
    assert seen.locked and seen.body is None
    assert (await creators.get_post(None, post.id)).body is None
    with pytest.raises(PostLocked):
        await creators.like(outsider, post.id, True)
    with pytest.raises(PostLocked):
        await creators.add_comment(outsider, post.id, "hi", None)
    with pytest.raises(PostLocked):
        await creators.comments(outsider, post.id)
    assert (await creators.get_post(fan, post.id)).body == "gold"
    assert (await creators.like(fan, post.id, True)).like_count == 1
    await creators.add_comment(fan, post.id, "lovely", None)
    assert [c.body for c in await creators.comments(fan, post.id)] == ["lovely"]


async def test_removing_every_tier_never_makes_a_post_public(creators: CreatorService, db: MemoryDatabase) -> None:
    creator, tier = await _creator(creators, db)
    post = await creators.create_post(
        creator, NewPost(title="T", body="b", visibility=PostVisibility.TIERS, tier_ids=(tier,))
    )
    emptied = await creators.remove_tiers(creator, post.id, [tier])
    assert emptied.visibility is PostVisibility.TIERS and emptied.tier_ids == []
    assert (await creators.get_post(member(), post.id)).locked
    with pytest.raises(PostNotFound):  # only its creator changes it
        await creators.remove_tiers(member(), post.id, [tier])


async def test_follows_fill_the_feed_newest_first(
    creators: CreatorService, db: MemoryDatabase, clock: StepClock
) -> None:
    creator, _ = await _creator(creators, db)
    reader = member()
    with pytest.raises(SelfFollow):
        await creators.follow(creator, creator.user_id, True)
    for n in range(3):
        await creators.create_post(creator, NewPost(title=f"p{n}", body="b"))
        clock.advance(minutes=1)
    assert (await creators.feed(reader, before=None, limit=10)).items == []
    await creators.follow(reader, creator.user_id, True)
    first = await creators.feed(reader, before=None, limit=2)
    assert [p.title for p in first.items] == ["p2", "p1"] and first.next_cursor is not None
    rest = await creators.feed(reader, before=first.next_cursor, limit=2)
    assert [p.title for p in rest.items] == ["p0"] and rest.next_cursor is None


async def test_a_commission_moves_along_its_parties_transitions_only(
    creators: CreatorService, db: MemoryDatabase
) -> None:
    creator, _ = await _creator(creators, db)
    buyer, stranger = member(), member()
    offer = await creators.create_offer(creator, title="Portrait", description="", price_minor=5000, currency="inr")
    with pytest.raises(OwnOffer):
        await creators.request_commission(creator, offer_id=offer.id, description="me", contact_details="")
    commission = await creators.request_commission(buyer, offer_id=offer.id, description="a cat", contact_details="@b")
    assert (commission.price_minor, commission.currency) == (5000, "INR")  # the offer sets the terms
    with pytest.raises(CommissionNotFound):
        await creators.commission(stranger, commission.id)
    with pytest.raises(CommissionTransition):  # a buyer cannot start the work
        await creators.move_commission(buyer, commission.id, CommissionStatus.IN_PROGRESS)
    await creators.move_commission(creator, commission.id, CommissionStatus.IN_PROGRESS)
    with pytest.raises(CommissionNotDeletable):  # work started
        await creators.delete_commission(buyer, commission.id)
    await creators.move_commission(creator, commission.id, CommissionStatus.DELIVERED)
    with pytest.raises(CommissionTransition):  # delivered is final
        await creators.move_commission(creator, commission.id, CommissionStatus.CANCELLED)
    assert [c.id for c in await creators.my_commissions(buyer, as_creator=False)] == [commission.id]
    assert [c.id for c in await creators.my_commissions(creator, as_creator=True)] == [commission.id]
