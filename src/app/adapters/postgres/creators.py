"""Postgres implementation of the creators' command side (profiles, posts, likes, follows, comments,
offers, commissions) and the row mappers the read side (`creator_queries.py`) shares."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import (
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.creator_access import commission_paid
from app.adapters.postgres.tables import (
    CommissionOfferRow,
    CommissionRow,
    CreatorProfileRow,
    FollowRow,
    PlanRow,
    PostCommentRow,
    PostLikeRow,
    PostRow,
    PostTierRow,
)
from app.adapters.postgres.unit_of_work import PgUnitOfWork
from app.domain.creators.entities import (
    Commission,
    CommissionOffer,
    CommissionStatus,
    CreatorProfile,
    Post,
    PostComment,
)


def profiles_query() -> Any:
    """Profiles with their follower count: one query shape for the profile page, search and lists."""
    followers = select(func.count()).select_from(FollowRow).where(FollowRow.creator_id == CreatorProfileRow.user_id)
    return select(CreatorProfileRow, followers.scalar_subquery().label("followers"))


def profile_of(row: Any) -> CreatorProfile:
    p, count = row
    return CreatorProfile(
        user_id=p.user_id,
        display_name=p.display_name,
        bio=p.bio,
        category=p.category,
        avatar_url=p.avatar_url,
        follower_count=int(count),
        created_at=p.created_at,
    )


def comment_of(r: PostCommentRow) -> PostComment:
    return PostComment(
        id=r.id, post_id=r.post_id, author_id=r.author_id, body=r.body, parent_id=r.parent_id, created_at=r.created_at
    )


def offer_of(r: CommissionOfferRow) -> CommissionOffer:
    return CommissionOffer(
        id=r.id,
        creator_id=r.creator_id,
        title=r.title,
        description=r.description,
        price_minor=r.price_minor,
        currency=r.currency,
        active=r.active,
        created_at=r.created_at,
    )


def commissions_query() -> Any:
    return select(CommissionRow, commission_paid().label("paid"))


def commission_of(r: CommissionRow, paid: bool) -> Commission:
    return Commission(
        id=r.id,
        offer_id=r.offer_id,
        creator_id=r.creator_id,
        buyer_id=r.buyer_id,
        description=r.description,
        contact_details=r.contact_details,
        price_minor=r.price_minor,
        currency=r.currency,
        status=CommissionStatus(r.status),
        paid=bool(paid),
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


class PgCreatorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get_profile(self, user_id: uuid.UUID) -> CreatorProfile | None:
        row = (await self._s.execute(profiles_query().where(CreatorProfileRow.user_id == user_id))).one_or_none()
        return profile_of(row) if row else None

    async def save_profile(self, profile: CreatorProfile) -> None:
        values = {
            "display_name": profile.display_name,
            "bio": profile.bio,
            "category": profile.category,
            "avatar_url": profile.avatar_url,
        }
        await self._s.execute(
            insert(CreatorProfileRow)
            .values(user_id=profile.user_id, created_at=profile.created_at, **values)
            .on_conflict_do_update(index_elements=["user_id"], set_=values)
        )

    async def add_post(self, post: Post) -> None:
        self._s.add(
            PostRow(
                id=post.id,
                creator_id=post.creator_id,
                title=post.title,
                body=post.body or "",
                visibility=post.visibility.value,
                media_ids=post.media_ids,
                created_at=post.created_at,
                updated_at=post.updated_at,
            )
        )
        await self._s.flush()
        await self._set_tiers(post.id, post.tier_ids)

    async def _set_tiers(self, post_id: uuid.UUID, tier_ids: list[uuid.UUID]) -> None:
        await self._s.execute(delete(PostTierRow).where(PostTierRow.post_id == post_id))
        if tier_ids:
            await self._s.execute(insert(PostTierRow), [{"post_id": post_id, "plan_id": t} for t in tier_ids])

    async def update_post(self, post: Post) -> None:
        values: dict[str, Any] = {
            "title": post.title,
            "visibility": post.visibility.value,
            "updated_at": post.updated_at,
        }
        if post.body is not None:
            values["body"] = post.body
        await self._s.execute(update(PostRow).where(PostRow.id == post.id).values(**values))
        await self._set_tiers(post.id, post.tier_ids)

    async def delete_post(self, post_id: uuid.UUID) -> None:
        await self._s.execute(delete(PostRow).where(PostRow.id == post_id))

    async def tiers_owned_by(self, creator_id: uuid.UUID, tier_ids: list[uuid.UUID]) -> set[uuid.UUID]:
        rows = await self._s.execute(select(PlanRow.id).where(PlanRow.id.in_(tier_ids), PlanRow.owner_id == creator_id))
        return set(rows.scalars())

    async def set_like(self, post_id: uuid.UUID, user_id: uuid.UUID, liked: bool) -> None:
        if liked:
            await self._s.execute(insert(PostLikeRow).values(post_id=post_id, user_id=user_id).on_conflict_do_nothing())
        else:
            await self._s.execute(
                delete(PostLikeRow).where(PostLikeRow.post_id == post_id, PostLikeRow.user_id == user_id)
            )

    async def follow(self, follower_id: uuid.UUID, creator_id: uuid.UUID, follow: bool) -> None:
        if follow:
            await self._s.execute(
                insert(FollowRow).values(follower_id=follower_id, creator_id=creator_id).on_conflict_do_nothing()
            )
        else:
            await self._s.execute(
                delete(FollowRow).where(FollowRow.follower_id == follower_id, FollowRow.creator_id == creator_id)
            )

    async def is_following(self, follower_id: uuid.UUID, creator_id: uuid.UUID) -> bool:
        row = await self._s.get(FollowRow, (follower_id, creator_id))
        return row is not None


class PgCommunityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add_comment(self, comment: PostComment) -> None:
        self._s.add(
            PostCommentRow(
                id=comment.id,
                post_id=comment.post_id,
                author_id=comment.author_id,
                parent_id=comment.parent_id,
                body=comment.body,
                created_at=comment.created_at,
            )
        )
        await self._s.flush()

    async def get_comment(self, comment_id: uuid.UUID) -> PostComment | None:
        row = await self._s.get(PostCommentRow, comment_id)
        return comment_of(row) if row else None

    async def add_offer(self, offer: CommissionOffer) -> None:
        self._s.add(
            CommissionOfferRow(
                id=offer.id,
                creator_id=offer.creator_id,
                title=offer.title,
                description=offer.description,
                price_minor=offer.price_minor,
                currency=offer.currency,
                active=offer.active,
                created_at=offer.created_at,
            )
        )
        await self._s.flush()

    async def get_offer(self, offer_id: uuid.UUID) -> CommissionOffer | None:
        r = await self._s.get(CommissionOfferRow, offer_id)
        return offer_of(r) if r else None

    async def add_commission(self, c: Commission) -> None:
        self._s.add(
            CommissionRow(
                id=c.id,
                offer_id=c.offer_id,
                creator_id=c.creator_id,
                buyer_id=c.buyer_id,
                description=c.description,
                contact_details=c.contact_details,
                price_minor=c.price_minor,
                currency=c.currency,
                status=c.status.value,
                created_at=c.created_at,
                updated_at=c.updated_at,
            )
        )
        await self._s.flush()

    async def get_commission(self, commission_id: uuid.UUID, *, for_update: bool = False) -> Commission | None:
        stmt = commissions_query().where(CommissionRow.id == commission_id)
        if for_update:
            stmt = stmt.with_for_update(of=CommissionRow)
        row = (await self._s.execute(stmt)).one_or_none()
        return commission_of(*row) if row else None

    async def update_commission(self, c: Commission) -> None:
        await self._s.execute(
            update(CommissionRow).where(CommissionRow.id == c.id).values(status=c.status.value, updated_at=c.updated_at)
        )

    async def delete_commission(self, commission_id: uuid.UUID) -> None:
        await self._s.execute(delete(CommissionRow).where(CommissionRow.id == commission_id))


class PgCreatorsUnitOfWork(PgUnitOfWork):
    def _bind(self, session: AsyncSession) -> None:
        self.creators = PgCreatorRepository(session)
        self.community = PgCommunityRepository(session)
