"""In-memory fakes of the creators ports. Gating is the adapter's job (in SQL); the fake applies the same
rule so the service's decisions can be tested: a tier-only post is readable by its creator and by holders
of one of its tiers (`db.tables["holders"][tier_id]`), and locked (body hidden) for everyone else."""

from __future__ import annotations

import uuid
from typing import Any

from app.domain.creators.entities import (
    Commission,
    CommissionOffer,
    CreatorProfile,
    FeedCursor,
    Post,
    PostComment,
    PostVisibility,
)
from tests.unit.fakes import MemoryDatabase, MemoryUnitOfWork, Table

TABLES = ("profiles", "posts", "tiers", "holders", "likes", "follows", "comments", "offers", "commissions")


def view(post: Post, viewer_id: uuid.UUID | None, holders: dict[Any, Any], likes: dict[Any, Any]) -> Post:
    readable = (
        post.visibility is PostVisibility.PUBLIC
        or post.creator_id == viewer_id
        or any(viewer_id in holders.get(t, ()) for t in post.tier_ids)
    )
    post.locked = not readable
    if not readable:
        post.body = None
    post.like_count = sum(1 for (p, _u) in likes if p == post.id)
    post.liked_by_viewer = (post.id, viewer_id) in likes
    return post


class _Creators(Table):
    def __init__(self, tables: dict[str, dict[Any, Any]]) -> None:
        super().__init__(tables["posts"])
        self.t = tables

    async def get_profile(self, user_id: uuid.UUID) -> CreatorProfile | None:
        return Table(self.t["profiles"]).load(user_id)  # type: ignore[no-any-return]

    async def save_profile(self, profile: CreatorProfile) -> None:
        Table(self.t["profiles"]).store(profile.user_id, profile)

    async def add_post(self, post: Post) -> None:
        self.store(post.id, post)

    async def update_post(self, post: Post) -> None:
        stored = self.rows[post.id]
        stored.title, stored.visibility, stored.tier_ids = post.title, post.visibility, list(post.tier_ids)
        if post.body is not None:
            stored.body = post.body

    async def delete_post(self, post_id: uuid.UUID) -> None:
        self.rows.pop(post_id, None)

    async def tiers_owned_by(self, creator_id: uuid.UUID, tier_ids: list[uuid.UUID]) -> set[uuid.UUID]:
        return {t for t in tier_ids if self.t["tiers"].get(t) == creator_id}

    async def set_like(self, post_id: uuid.UUID, user_id: uuid.UUID, liked: bool) -> None:
        if liked:
            self.t["likes"][(post_id, user_id)] = True
        else:
            self.t["likes"].pop((post_id, user_id), None)

    async def follow(self, follower_id: uuid.UUID, creator_id: uuid.UUID, follow: bool) -> None:
        if follow:
            self.t["follows"][(follower_id, creator_id)] = True
        else:
            self.t["follows"].pop((follower_id, creator_id), None)

    async def is_following(self, follower_id: uuid.UUID, creator_id: uuid.UUID) -> bool:
        return (follower_id, creator_id) in self.t["follows"]


class _Community:
    def __init__(self, tables: dict[str, dict[Any, Any]]) -> None:
        self.comments_ = Table(tables["comments"])
        self.offers = Table(tables["offers"])
        self.commissions = Table(tables["commissions"])

    async def add_comment(self, comment: PostComment) -> None:
        self.comments_.store(comment.id, comment)

    async def get_comment(self, comment_id: uuid.UUID) -> PostComment | None:
        return self.comments_.load(comment_id)  # type: ignore[no-any-return]

    async def add_offer(self, offer: CommissionOffer) -> None:
        self.offers.store(offer.id, offer)

    async def get_offer(self, offer_id: uuid.UUID) -> CommissionOffer | None:
        return self.offers.load(offer_id)  # type: ignore[no-any-return]

    async def add_commission(self, commission: Commission) -> None:
        self.commissions.store(commission.id, commission)

    async def get_commission(self, commission_id: uuid.UUID, *, for_update: bool = False) -> Commission | None:
        return self.commissions.load(commission_id)  # type: ignore[no-any-return]

    async def update_commission(self, commission: Commission) -> None:
        self.commissions.store(commission.id, commission)

    async def delete_commission(self, commission_id: uuid.UUID) -> None:
        self.commissions.rows.pop(commission_id, None)


class MemoryCreatorsUnitOfWork(MemoryUnitOfWork):
    def _bind(self, tables: dict[str, dict[Any, Any]]) -> None:
        self.creators = _Creators(tables)
        self.community = _Community(tables)


class MemoryCreatorQueries:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def post(self, post_id: uuid.UUID, *, viewer_id: uuid.UUID | None) -> Post | None:
        t = self._db.tables
        post = Table(t["posts"]).load(post_id)
        return view(post, viewer_id, t["holders"], t["likes"]) if post else None

    async def search_profiles(self, query: str, *, limit: int) -> list[CreatorProfile]:
        found = Table(self._db.tables["profiles"]).all()
        return [p for p in found if query.lower() in p.display_name.lower()][:limit]

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
        t = self._db.tables
        posts = [view(p, viewer_id, t["holders"], t["likes"]) for p in Table(t["posts"]).all()]
        posts = [
            p
            for p in posts
            if (creator_id is None or p.creator_id == creator_id)
            and (followed_by is None or (followed_by, p.creator_id) in t["follows"])
            and (query is None or query.lower() in p.title.lower())
            and (before is None or (p.created_at, p.id) < (before.created_at, before.post_id))
        ]
        return sorted(posts, key=lambda p: (p.created_at, p.id), reverse=True)[:limit]

    async def comments(self, post_id: uuid.UUID, *, limit: int) -> list[PostComment]:
        return [c for c in Table(self._db.tables["comments"]).all() if c.post_id == post_id][:limit]

    async def offers_of(self, creator_id: uuid.UUID) -> list[CommissionOffer]:
        return [o for o in Table(self._db.tables["offers"]).all() if o.creator_id == creator_id]

    async def commissions_of(self, user_id: uuid.UUID, *, as_creator: bool) -> list[Commission]:
        commissions = Table(self._db.tables["commissions"]).all()
        return [c for c in commissions if (c.creator_id if as_creator else c.buyer_id) == user_id]

    async def creator_stats(self, creator_id: uuid.UUID) -> dict[str, Any]:
        return {}

    async def user_stats(self, user_id: uuid.UUID) -> dict[str, Any]:
        return {}
