"""Creator use cases: profiles, tier-gated posts, likes, follows, feeds and search."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from app.core.clock import Clock
from app.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from app.core.ids import new_id
from app.domain.accounts.entities import Principal
from app.domain.creators.entities import CreatorProfile, FeedCursor, FeedPage, Post, PostVisibility
from app.domain.creators.ports import CreatorsUnitOfWorkFactory
from app.domain.notifications.entities import NotificationKind
from app.domain.notifications.services import notify

MAX_PAGE = 50


class PostNotFound(NotFound):
    code = "post-not-found"

    def __init__(self) -> None:
        super().__init__("Post not found.")


@dataclass(frozen=True, slots=True)
class NewPost:
    title: str
    body: str
    visibility: PostVisibility = PostVisibility.PUBLIC
    tier_ids: tuple[uuid.UUID, ...] = ()
    media_ids: tuple[uuid.UUID, ...] = ()


class CreatorService:
    def __init__(self, *, uow: CreatorsUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    # -- profiles -------------------------------------------------------------------------
    async def save_profile(self, principal: Principal, *, display_name: str, bio: str, category: str, avatar_url: str) -> CreatorProfile:
        async with self._uow() as uow:
            existing = await uow.creators.get_profile(principal.user_id)
            profile = CreatorProfile(
                user_id=principal.user_id,
                display_name=display_name.strip(),
                bio=bio,
                category=category.strip().lower(),
                avatar_url=avatar_url,
                follower_count=existing.follower_count if existing else 0,
                created_at=existing.created_at if existing else self._clock.now(),
            )
            await uow.creators.save_profile(profile)
            await uow.commit()
            return profile

    async def profile(self, creator_id: uuid.UUID) -> CreatorProfile:
        async with self._uow() as uow:
            profile = await uow.creators.get_profile(creator_id)
        if profile is None:
            raise NotFound("Creator not found.", code="creator-not-found")
        return profile

    # -- posts ------------------------------------------------------------------------------
    async def _require_creator(self, principal: Principal) -> None:
        async with self._uow() as uow:
            if await uow.creators.get_profile(principal.user_id) is None:
                raise PermissionDenied("Set up a creator profile first (PUT /api/creators/me).", code="not-a-creator")

    async def _check_tiers(self, principal: Principal, visibility: PostVisibility, tier_ids: list[uuid.UUID]) -> None:
        if visibility is PostVisibility.TIERS and not tier_ids:
            raise ValidationFailed("Choose at least one tier.", errors=[FieldError("tier_ids", "required for tier-only posts")])
        if tier_ids:
            async with self._uow() as uow:
                owned = await uow.creators.tiers_owned_by(principal.user_id, tier_ids)
            foreign = [t for t in tier_ids if t not in owned]
            if foreign:
                raise ValidationFailed("Posts can only use your own tiers.", errors=[FieldError("tier_ids", f"not yours: {foreign[0]}")])

    async def create_post(self, principal: Principal, data: NewPost) -> Post:
        await self._require_creator(principal)
        tier_ids = list(dict.fromkeys(data.tier_ids))
        await self._check_tiers(principal, data.visibility, tier_ids)
        now = self._clock.now()
        post = Post(
            id=new_id(),
            creator_id=principal.user_id,
            title=data.title.strip(),
            body=data.body,
            visibility=data.visibility,
            tier_ids=tier_ids if data.visibility is PostVisibility.TIERS else [],
            media_ids=list(data.media_ids),
            created_at=now,
            updated_at=now,
        )
        async with self._uow() as uow:
            await uow.creators.add_post(post)
            notify(uow.outbox, NotificationKind.NEW_POST, actor_id=post.creator_id, target_id=post.id, followers_of=post.creator_id, data={"title": post.title})
            await uow.commit()
        return post

    async def _own_post(self, principal: Principal, post_id: uuid.UUID) -> Post:
        async with self._uow() as uow:
            post = await uow.creators.get_post(post_id, viewer_id=principal.user_id)
        if post is None or post.creator_id != principal.user_id:
            raise PostNotFound()
        return post

    async def update_post(self, principal: Principal, post_id: uuid.UUID, changes: dict[str, Any]) -> Post:
        post = await self._own_post(principal, post_id)
        for name in ("title", "body"):
            if name in changes:
                setattr(post, name, changes[name])
        if "visibility" in changes or "tier_ids" in changes:
            post.visibility = changes.get("visibility", post.visibility)
            post.tier_ids = list(dict.fromkeys(changes.get("tier_ids", post.tier_ids)))
            await self._check_tiers(principal, post.visibility, post.tier_ids)
            if post.visibility is PostVisibility.PUBLIC:
                post.tier_ids = []
        post.updated_at = self._clock.now()
        async with self._uow() as uow:
            await uow.creators.update_post(post)
            await uow.commit()
        return post

    async def remove_tiers(self, principal: Principal, post_id: uuid.UUID, tier_ids: list[uuid.UUID]) -> Post:
        """Oasis "remove-tiers". A tier-only post left with no tiers stays hidden (creator only)
        until tiers are added back: removing tiers never makes content public by accident."""
        post = await self._own_post(principal, post_id)
        post.tier_ids = [t for t in post.tier_ids if t not in set(tier_ids)]
        post.updated_at = self._clock.now()
        async with self._uow() as uow:
            await uow.creators.update_post(post)
            await uow.commit()
        return post

    async def delete_post(self, principal: Principal, post_id: uuid.UUID) -> None:
        await self._own_post(principal, post_id)
        async with self._uow() as uow:
            await uow.creators.delete_post(post_id)
            await uow.commit()

    async def get_post(self, principal: Principal | None, post_id: uuid.UUID) -> Post:
        async with self._uow() as uow:
            post = await uow.creators.get_post(post_id, viewer_id=principal.user_id if principal else None)
        if post is None:
            raise PostNotFound()
        return post

    async def like(self, principal: Principal, post_id: uuid.UUID, liked: bool) -> Post:
        post = await self.get_post(principal, post_id)
        if post.locked:
            raise PermissionDenied("Subscribe to a tier of this post to react to it.", code="post-locked")
        async with self._uow() as uow:
            await uow.creators.set_like(post_id, principal.user_id, liked)
            await uow.commit()
        return await self.get_post(principal, post_id)

    # -- follows, feeds, search -----------------------------------------------------------------
    async def follow(self, principal: Principal, creator_id: uuid.UUID, follow: bool) -> bool:
        if creator_id == principal.user_id:
            raise ValidationFailed("You cannot follow yourself.", code="self-follow")
        await self.profile(creator_id)
        async with self._uow() as uow:
            await uow.creators.follow(principal.user_id, creator_id, follow)
            await uow.commit()
        return follow

    async def is_following(self, principal: Principal, creator_id: uuid.UUID) -> bool:
        async with self._uow() as uow:
            return await uow.creators.is_following(principal.user_id, creator_id)

    async def _page(self, limit: int, **filters: Any) -> FeedPage:
        limit = max(1, min(limit, MAX_PAGE))
        async with self._uow() as uow:
            posts = await uow.creators.posts(limit=limit + 1, **filters)
        more = len(posts) > limit
        posts = posts[:limit]
        cursor = FeedCursor(posts[-1].created_at, posts[-1].id) if more and posts and posts[-1].created_at else None
        return FeedPage(posts, cursor)

    async def feed(self, principal: Principal, *, before: FeedCursor | None, limit: int) -> FeedPage:
        return await self._page(limit, viewer_id=principal.user_id, followed_by=principal.user_id, before=before)

    async def creator_posts(self, principal: Principal | None, creator_id: uuid.UUID, *, before: FeedCursor | None, limit: int) -> FeedPage:
        return await self._page(limit, viewer_id=principal.user_id if principal else None, creator_id=creator_id, before=before)

    async def search(self, principal: Principal, query: str, *, limit: int = 20) -> tuple[list[CreatorProfile], list[Post]]:
        query = query.strip()
        if len(query) < 2:
            raise ValidationFailed("Search for at least 2 characters.", errors=[FieldError("q", "at least 2 characters")])
        async with self._uow() as uow:
            creators = await uow.creators.search_profiles(query, limit=limit)
            posts = await uow.creators.posts(viewer_id=principal.user_id, query=query, limit=limit)
        return creators, posts

    # -- dashboards -------------------------------------------------------------------------
    async def creator_stats(self, principal: Principal) -> dict[str, Any]:
        await self._require_creator(principal)
        async with self._uow() as uow:
            return await uow.stats.creator_stats(principal.user_id)

    async def user_stats(self, principal: Principal) -> dict[str, Any]:
        async with self._uow() as uow:
            return await uow.stats.user_stats(principal.user_id)
