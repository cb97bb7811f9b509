"""Postgres implementation of the creators ports.

Tier gating happens in SQL: a post's body is selected only when the viewer may
read it (public, own post, or an active subscription to one of its tiers), so
gated text never leaves the database for anyone else.
"""

from __future__ import annotations

import functools
import uuid
from typing import Any

from sqlalchemy import (
    DateTime,
    Integer,
    String,
    Uuid,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.creator_access import commission_paid, tier_holders
from app.adapters.postgres.creator_stats import PgStatsRepository
from app.adapters.postgres.database import escape_like
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
from app.adapters.postgres.unit_of_work import CompiledRead, PgQueries, PgUnitOfWork
from app.domain.creators.entities import (
    Commission,
    CommissionOffer,
    CommissionStatus,
    CreatorProfile,
    FeedCursor,
    Post,
    PostComment,
    PostVisibility,
)

VIEWER = bindparam("viewer_id", None, type_=Uuid)


def _accessible(viewer_id: Any | None) -> Any:
    """Whether the viewer may read a post's body (`viewer_id`: the VIEWER parameter, or None: anonymous)."""
    if viewer_id is None:
        return PostRow.visibility == "public"
    holders = tier_holders()
    holds_a_tier = exists(
        select(literal(1))
        .select_from(PostTierRow)
        .join(holders, holders.c.plan_id == PostTierRow.plan_id)
        .where(PostTierRow.post_id == PostRow.id, holders.c.user_id == viewer_id)
    )
    return or_(PostRow.visibility == "public", PostRow.creator_id == viewer_id, holds_a_tier)


def _post_columns(viewer_id: Any | None) -> list[Any]:
    accessible = _accessible(viewer_id)
    tiers = select(func.array_agg(PostTierRow.plan_id)).where(PostTierRow.post_id == PostRow.id).scalar_subquery()
    likes = select(func.count()).select_from(PostLikeRow).where(PostLikeRow.post_id == PostRow.id).scalar_subquery()
    liked = (
        exists(
            select(literal(1))
            .select_from(PostLikeRow)
            .where(PostLikeRow.post_id == PostRow.id, PostLikeRow.user_id == viewer_id)
        )
        if viewer_id is not None
        else literal(False)
    )
    return [
        PostRow.id,
        PostRow.creator_id,
        PostRow.title,
        case((accessible, PostRow.body), else_=None).label("body"),
        case((accessible, PostRow.media_ids), else_=None).label("media_ids"),
        PostRow.visibility,
        tiers.label("tier_ids"),
        likes.label("like_count"),
        liked.label("liked"),
        accessible.label("accessible"),
        PostRow.created_at,
        PostRow.updated_at,
    ]


def _post(row: Any) -> Post:
    return Post(
        id=row["id"],
        creator_id=row["creator_id"],
        title=row["title"],
        body=row["body"],
        visibility=PostVisibility(row["visibility"]),
        tier_ids=list(row["tier_ids"] or []),
        media_ids=list(row["media_ids"] or []),
        like_count=int(row["like_count"]),
        liked_by_viewer=bool(row["liked"]),
        locked=not row["accessible"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _profiles() -> Any:
    """Profiles with their follower count: one query shape for the profile page, search and lists."""
    followers = select(func.count()).select_from(FollowRow).where(FollowRow.creator_id == CreatorProfileRow.user_id)
    return select(CreatorProfileRow, followers.scalar_subquery().label("followers"))


def _profile(row: Any) -> CreatorProfile:
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


def _comment(r: PostCommentRow) -> PostComment:
    return PostComment(
        id=r.id, post_id=r.post_id, author_id=r.author_id, body=r.body, parent_id=r.parent_id, created_at=r.created_at
    )


def _offer(r: CommissionOfferRow) -> CommissionOffer:
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


def _select_commissions() -> Any:
    return select(CommissionRow, commission_paid().label("paid"))


def _commission(r: CommissionRow, paid: bool) -> Commission:
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
        row = (await self._s.execute(_profiles().where(CreatorProfileRow.user_id == user_id))).one_or_none()
        return _profile(row) if row else None

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
        return _comment(row) if row else None

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
        return _offer(r) if r else None

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
        stmt = _select_commissions().where(CommissionRow.id == commission_id)
        if for_update:
            stmt = stmt.with_for_update(of=CommissionRow)
        row = (await self._s.execute(stmt)).one_or_none()
        return _commission(*row) if row else None

    async def update_commission(self, c: Commission) -> None:
        await self._s.execute(
            update(CommissionRow).where(CommissionRow.id == c.id).values(status=c.status.value, updated_at=c.updated_at)
        )

    async def delete_commission(self, commission_id: uuid.UUID) -> None:
        await self._s.execute(delete(CommissionRow).where(CommissionRow.id == commission_id))


@functools.cache
def _post_read(*, viewer: bool) -> CompiledRead:
    statement = select(*_post_columns(VIEWER if viewer else None)).where(
        PostRow.id == bindparam("post_id", None, type_=Uuid)
    )
    return CompiledRead(statement)


@functools.cache
def _posts_read(*, viewer: bool, by_creator: bool, feed: bool, search: bool, after_cursor: bool) -> CompiledRead:
    """One compiled statement per combination of filters (a handful of shapes, compiled on first use)."""
    viewer_id = VIEWER if viewer else None
    conditions: list[Any] = []
    if by_creator:
        conditions.append(PostRow.creator_id == bindparam("creator_id", None, type_=Uuid))
    if feed:
        # The feed: creators one follows, and creators whose tiers one holds (subscribed or bought).
        reader = bindparam("followed_by", None, type_=Uuid)
        holders = tier_holders()
        held = (
            select(PlanRow.owner_id).join(holders, holders.c.plan_id == PlanRow.id).where(holders.c.user_id == reader)
        )
        followed = select(FollowRow.creator_id).where(FollowRow.follower_id == reader)
        conditions.append(or_(PostRow.creator_id.in_(followed), PostRow.creator_id.in_(held)))
    if search:
        pattern = bindparam("pattern", None, type_=String)
        # The body is searched only where the viewer may read it: a match must not reveal gated text.
        conditions.append(
            or_(
                PostRow.title.ilike(pattern, escape="\\"),
                and_(_accessible(viewer_id), PostRow.body.ilike(pattern, escape="\\")),
            )
        )
    if after_cursor:
        cursor = tuple_(
            bindparam("before_at", None, type_=DateTime(timezone=True)), bindparam("before_id", None, type_=Uuid)
        )
        conditions.append(tuple_(PostRow.created_at, PostRow.id) < cursor)
    statement = (
        select(*_post_columns(viewer_id))
        .where(*conditions)
        .order_by(PostRow.created_at.desc(), PostRow.id.desc())
        .limit(bindparam("limit", None, type_=Integer))
    )
    return CompiledRead(statement)


class PgCreatorQueries(PgQueries):
    async def search_profiles(self, query: str, *, limit: int) -> list[CreatorProfile]:
        async with self._read() as s:
            pattern = f"%{escape_like(query)}%"
            rows = await s.execute(
                _profiles()
                .where(
                    or_(
                        CreatorProfileRow.display_name.ilike(pattern, escape="\\"),
                        CreatorProfileRow.category.ilike(pattern, escape="\\"),
                    )
                )
                .order_by(CreatorProfileRow.display_name)
                .limit(limit)
            )
            return [_profile(row) for row in rows]

    async def post(self, post_id: uuid.UUID, *, viewer_id: uuid.UUID | None) -> Post | None:
        read = _post_read(viewer=viewer_id is not None)
        async with self._driver() as db:
            row = await db.fetchrow(read.sql, *read.args(viewer_id=viewer_id, post_id=post_id))
        return _post(row) if row else None

    async def posts(
        self,
        *,
        viewer_id: uuid.UUID | None,
        creator_id: uuid.UUID | None = None,
        followed_by: uuid.UUID | None = None,
        query: str | None = None,
        before: FeedCursor | None = None,
        limit: int = 20,
    ) -> list[Post]:
        read = _posts_read(
            viewer=viewer_id is not None,
            by_creator=creator_id is not None,
            feed=followed_by is not None,
            search=bool(query),
            after_cursor=before is not None,
        )
        values = read.args(
            viewer_id=viewer_id,
            creator_id=creator_id,
            followed_by=followed_by,
            pattern=f"%{escape_like(query)}%" if query else None,
            before_at=before.created_at if before else None,
            before_id=before.post_id if before else None,
            limit=limit,
        )
        async with self._driver() as db:
            return [_post(r) for r in await db.fetch(read.sql, *values)]

    async def comments(self, post_id: uuid.UUID, *, limit: int) -> list[PostComment]:
        async with self._read() as s:
            rows = await s.execute(
                select(PostCommentRow)
                .where(PostCommentRow.post_id == post_id)
                .order_by(PostCommentRow.created_at, PostCommentRow.id)
                .limit(limit)
            )
            return [_comment(r) for r in rows.scalars()]

    async def offers_of(self, creator_id: uuid.UUID) -> list[CommissionOffer]:
        async with self._read() as s:
            rows = await s.execute(
                select(CommissionOfferRow)
                .where(CommissionOfferRow.creator_id == creator_id, CommissionOfferRow.active.is_(True))
                .order_by(CommissionOfferRow.price_minor)
            )
            return [_offer(r) for r in rows.scalars()]

    async def commissions_of(self, user_id: uuid.UUID, *, as_creator: bool) -> list[Commission]:
        async with self._read() as s:
            column = CommissionRow.creator_id if as_creator else CommissionRow.buyer_id
            rows = await s.execute(
                _select_commissions().where(column == user_id).order_by(CommissionRow.created_at.desc())
            )
            return [_commission(*r) for r in rows]

    async def creator_stats(self, creator_id: uuid.UUID) -> dict[str, Any]:
        async with self._read() as s:
            return await PgStatsRepository(s).creator_stats(creator_id)

    async def user_stats(self, user_id: uuid.UUID) -> dict[str, Any]:
        async with self._read() as s:
            return await PgStatsRepository(s).user_stats(user_id)


class PgCreatorsUnitOfWork(PgUnitOfWork):
    def _bind(self, session: AsyncSession) -> None:
        self.creators = PgCreatorRepository(session)
        self.community = PgCommunityRepository(session)
