"""Creator use cases: profiles, tier-gated posts, likes, follows, feeds and search."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from app.core.clock import Clock
from app.core.errors import FieldError, ValidationFailed
from app.core.ids import new_id
from app.domain.creators.entities import (
    COMMISSION_TRANSITIONS,
    Commission,
    CommissionOffer,
    CommissionStatus,
    CreatorProfile,
    FeedCursor,
    FeedPage,
    Post,
    PostComment,
    PostVisibility,
)
from app.domain.creators.errors import (
    CommissionNotDeletable,
    CommissionNotFound,
    CommissionTransition,
    CreatorNotFound,
    NotACreator,
    OfferNotFound,
    OwnOffer,
    PostLocked,
    PostNotFound,
    SelfFollow,
)
from app.domain.creators.ports import CreatorQueries, CreatorsUnitOfWorkFactory
from app.domain.kernel import Principal
from app.domain.notifications.entities import NotificationKind
from app.domain.notifications.services import notify, notify_comment

MAX_PAGE = 50


@dataclass(frozen=True, slots=True)
class NewPost:
    title: str
    body: str
    visibility: PostVisibility = PostVisibility.PUBLIC
    tier_ids: tuple[uuid.UUID, ...] = ()
    media_ids: tuple[uuid.UUID, ...] = ()


class CreatorService:
    def __init__(self, *, uow: CreatorsUnitOfWorkFactory, queries: CreatorQueries, clock: Clock) -> None:
        self._uow = uow
        self._queries = queries
        self._clock = clock

    # -- profiles -------------------------------------------------------------------------
    async def save_profile(
        self, principal: Principal, *, display_name: str, bio: str, category: str, avatar_url: str
    ) -> CreatorProfile:
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
            raise CreatorNotFound("Creator not found.")
        return profile

    # -- posts ------------------------------------------------------------------------------
    async def _require_creator(self, principal: Principal) -> None:
        async with self._uow() as uow:
            if await uow.creators.get_profile(principal.user_id) is None:
                raise NotACreator("Set up a creator profile first (PUT /api/creators/me).")

    async def _check_tiers(self, principal: Principal, visibility: PostVisibility, tier_ids: list[uuid.UUID]) -> None:
        if visibility is PostVisibility.TIERS and not tier_ids:
            raise ValidationFailed(
                "Choose at least one tier.", errors=[FieldError("tier_ids", "required for tier-only posts")]
            )
        if tier_ids:
            async with self._uow() as uow:
                owned = await uow.creators.tiers_owned_by(principal.user_id, tier_ids)
            foreign = [t for t in tier_ids if t not in owned]
            if foreign:
                raise ValidationFailed(
                    "Posts can only use your own tiers.", errors=[FieldError("tier_ids", f"not yours: {foreign[0]}")]
                )

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
            notify(
                uow.outbox,
                NotificationKind.NEW_POST,
                at=self._clock.now(),
                actor_id=post.creator_id,
                target_id=post.id,
                followers_of=post.creator_id,
                data={"title": post.title},
            )
            await uow.commit()
        return post

    async def _own_post(self, principal: Principal, post_id: uuid.UUID) -> Post:
        post = await self._queries.post(post_id, viewer_id=principal.user_id)
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
        post = await self._queries.post(post_id, viewer_id=principal.user_id if principal else None)
        if post is None:
            raise PostNotFound()
        return post

    async def like(self, principal: Principal, post_id: uuid.UUID, liked: bool) -> Post:
        post = await self.get_post(principal, post_id)
        if post.locked:
            raise PostLocked("Subscribe to a tier of this post to react to it.")
        async with self._uow() as uow:
            await uow.creators.set_like(post_id, principal.user_id, liked)
            await uow.commit()
        return await self.get_post(principal, post_id)

    # -- follows, feeds, search -----------------------------------------------------------------
    async def follow(self, principal: Principal, creator_id: uuid.UUID, follow: bool) -> bool:
        if creator_id == principal.user_id:
            raise SelfFollow("You cannot follow yourself.")
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
        posts = await self._queries.posts(limit=limit + 1, **filters)
        more = len(posts) > limit
        posts = posts[:limit]
        cursor = (
            FeedCursor(created_at=posts[-1].created_at, post_id=posts[-1].id)
            if more and posts and posts[-1].created_at
            else None
        )
        return FeedPage(items=posts, next_cursor=cursor)

    async def feed(self, principal: Principal, *, before: FeedCursor | None, limit: int) -> FeedPage:
        return await self._page(limit, viewer_id=principal.user_id, followed_by=principal.user_id, before=before)

    async def creator_posts(
        self, principal: Principal | None, creator_id: uuid.UUID, *, before: FeedCursor | None, limit: int
    ) -> FeedPage:
        return await self._page(
            limit, viewer_id=principal.user_id if principal else None, creator_id=creator_id, before=before
        )

    async def search(
        self, principal: Principal, query: str, *, limit: int = 20
    ) -> tuple[list[CreatorProfile], list[Post]]:
        query = query.strip()
        if len(query) < 2:
            raise ValidationFailed(
                "Search for at least 2 characters.", errors=[FieldError("q", "at least 2 characters")]
            )
        creators = await self._queries.search_profiles(query, limit=limit)
        posts = await self._queries.posts(viewer_id=principal.user_id, query=query, limit=limit)
        return creators, posts

    # -- dashboards -------------------------------------------------------------------------
    async def creator_stats(self, principal: Principal) -> dict[str, Any]:
        await self._require_creator(principal)
        return await self._queries.creator_stats(principal.user_id)

    async def user_stats(self, principal: Principal) -> dict[str, Any]:
        return await self._queries.user_stats(principal.user_id)

    # -- post comments -------------------------------------------------------------------------
    async def _readable_post(self, principal: Principal, post_id: uuid.UUID) -> Post:
        post = await self.get_post(principal, post_id)
        if post.locked:
            raise PostLocked("Subscribe to a tier of this post to join the conversation.")
        return post

    async def add_comment(
        self, principal: Principal, post_id: uuid.UUID, body: str, parent_id: uuid.UUID | None
    ) -> PostComment:
        post = await self._readable_post(principal, post_id)
        body = body.strip()
        if not body:
            raise ValidationFailed("A comment needs text.", errors=[FieldError("body", "must not be blank")])
        async with self._uow() as uow:
            parent = await uow.community.get_comment(parent_id) if parent_id else None
            if parent_id and (parent is None or parent.post_id != post_id):
                raise ValidationFailed(
                    "You can only reply to a comment on this post.",
                    errors=[FieldError("parent_id", "not on this post")],
                )
            comment = PostComment(
                id=new_id(),
                post_id=post_id,
                author_id=principal.user_id,
                body=body,
                parent_id=parent_id,
                created_at=self._clock.now(),
            )
            await uow.community.add_comment(comment)
            data = {"post": post.title, "excerpt": body[:140]}
            notify_comment(
                uow.outbox,
                at=self._clock.now(),
                author_id=principal.user_id,
                comment_id=comment.id,
                owner_id=post.creator_id,
                replied_to=parent.author_id if parent is not None else None,
                data=data,
            )
            await uow.commit()
        return comment

    async def comments(self, principal: Principal, post_id: uuid.UUID) -> list[PostComment]:
        await self._readable_post(principal, post_id)
        return await self._queries.comments(post_id, limit=500)

    # -- commissions -----------------------------------------------------------------------------
    async def create_offer(
        self, principal: Principal, *, title: str, description: str, price_minor: int, currency: str
    ) -> CommissionOffer:
        await self._require_creator(principal)
        if price_minor < 100 or currency.upper() not in ("INR", "USD"):
            raise ValidationFailed(
                "Price at least 100 minor units, INR or USD.", errors=[FieldError("price_minor", "invalid")]
            )
        offer = CommissionOffer(
            id=new_id(),
            creator_id=principal.user_id,
            title=title.strip(),
            description=description,
            price_minor=price_minor,
            currency=currency.upper(),
            created_at=self._clock.now(),
        )
        async with self._uow() as uow:
            await uow.community.add_offer(offer)
            await uow.commit()
        return offer

    async def offers(self, creator_id: uuid.UUID) -> list[CommissionOffer]:
        return await self._queries.offers_of(creator_id)

    async def request_commission(
        self, principal: Principal, *, offer_id: uuid.UUID, description: str, contact_details: str
    ) -> Commission:
        async with self._uow() as uow:
            offer = await uow.community.get_offer(offer_id)
            if offer is None or not offer.active:
                raise OfferNotFound("Commission offer not found.")
            if offer.creator_id == principal.user_id:
                raise OwnOffer("You cannot commission yourself.")
            now = self._clock.now()
            commission = Commission(
                id=new_id(),
                offer_id=offer.id,
                creator_id=offer.creator_id,
                buyer_id=principal.user_id,
                description=description.strip(),
                contact_details=contact_details.strip(),
                price_minor=offer.price_minor,
                currency=offer.currency,
                created_at=now,
                updated_at=now,
            )
            await uow.community.add_commission(commission)
            notify(
                uow.outbox,
                NotificationKind.COMMISSION_UPDATE,
                at=self._clock.now(),
                actor_id=principal.user_id,
                target_id=commission.id,
                recipients=[offer.creator_id],
                data={"offer": offer.title, "status": commission.status.value},
            )
            await uow.commit()
            return commission

    async def _party(
        self, principal: Principal, commission_id: uuid.UUID, *, for_update: bool = False
    ) -> tuple[Any, Commission]:
        async with self._uow() as uow:
            commission = await uow.community.get_commission(commission_id, for_update=for_update)
        if commission is None or principal.user_id not in (commission.creator_id, commission.buyer_id):
            raise CommissionNotFound("Commission not found.")
        return ("creator" if principal.user_id == commission.creator_id else "buyer"), commission

    async def commission(self, principal: Principal, commission_id: uuid.UUID) -> Commission:
        return (await self._party(principal, commission_id))[1]

    async def my_commissions(self, principal: Principal, *, as_creator: bool) -> list[Commission]:
        return await self._queries.commissions_of(principal.user_id, as_creator=as_creator)

    async def move_commission(
        self, principal: Principal, commission_id: uuid.UUID, status: CommissionStatus
    ) -> Commission:
        async with self._uow() as uow:
            commission = await uow.community.get_commission(commission_id, for_update=True)
            if commission is None or principal.user_id not in (commission.creator_id, commission.buyer_id):
                raise CommissionNotFound("Commission not found.")
            who = "creator" if principal.user_id == commission.creator_id else "buyer"
            if status not in COMMISSION_TRANSITIONS.get((who, commission.status), frozenset()):
                raise CommissionTransition(
                    f"As the {who} you cannot move a commission from {commission.status.value} to {status.value}."
                )
            commission.status = status
            commission.updated_at = self._clock.now()
            await uow.community.update_commission(commission)
            other = commission.buyer_id if who == "creator" else commission.creator_id
            notify(
                uow.outbox,
                NotificationKind.COMMISSION_UPDATE,
                at=self._clock.now(),
                actor_id=principal.user_id,
                target_id=commission.id,
                recipients=[other],
                data={"status": status.value},
            )
            await uow.commit()
            return commission

    async def delete_commission(self, principal: Principal, commission_id: uuid.UUID) -> None:
        who, commission = await self._party(principal, commission_id)
        if who != "buyer" or not commission.deletable:
            raise CommissionNotDeletable("Only an unpaid commission that was not started can be deleted, by its buyer.")
        async with self._uow() as uow:
            await uow.community.delete_commission(commission_id)
            await uow.commit()
