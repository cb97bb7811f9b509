"""The creators' read side in SQL: posts with tier gating (a body is selected only when the viewer may read
it, so gated text never leaves the database for anyone else), the feed, searches, comment threads, offers,
commission lists and dashboards."""

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
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
)

from app.adapters.postgres.creator_access import tier_holders
from app.adapters.postgres.creator_stats import PgStatsRepository
from app.adapters.postgres.creators import (
    comment_of,
    commission_of,
    commissions_query,
    offer_of,
    profile_of,
    profiles_query,
)
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
from app.adapters.postgres.unit_of_work import CompiledRead, PgQueries
from app.domain.creators.entities import (
    Commission,
    CommissionOffer,
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
                profiles_query()
                .where(
                    or_(
                        CreatorProfileRow.display_name.ilike(pattern, escape="\\"),
                        CreatorProfileRow.category.ilike(pattern, escape="\\"),
                    )
                )
                .order_by(CreatorProfileRow.display_name)
                .limit(limit)
            )
            return [profile_of(row) for row in rows]

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
            return [comment_of(r) for r in rows.scalars()]

    async def offers_of(self, creator_id: uuid.UUID) -> list[CommissionOffer]:
        async with self._read() as s:
            rows = await s.execute(
                select(CommissionOfferRow)
                .where(CommissionOfferRow.creator_id == creator_id, CommissionOfferRow.active.is_(True))
                .order_by(CommissionOfferRow.price_minor)
            )
            return [offer_of(r) for r in rows.scalars()]

    async def commissions_of(self, user_id: uuid.UUID, *, as_creator: bool) -> list[Commission]:
        async with self._read() as s:
            column = CommissionRow.creator_id if as_creator else CommissionRow.buyer_id
            rows = await s.execute(
                commissions_query().where(column == user_id).order_by(CommissionRow.created_at.desc())
            )
            return [commission_of(*r) for r in rows]

    async def creator_stats(self, creator_id: uuid.UUID) -> dict[str, Any]:
        async with self._read() as s:
            return await PgStatsRepository(s).creator_stats(creator_id)

    async def user_stats(self, user_id: uuid.UUID) -> dict[str, Any]:
        async with self._read() as s:
            return await PgStatsRepository(s).user_stats(user_id)
