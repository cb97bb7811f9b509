from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Protocol

from app.domain.creators.entities import Commission, CommissionOffer, CreatorProfile, FeedCursor, Post, PostComment
from app.domain.kernel import UnitOfWork


class CreatorRepository(Protocol):
    async def get_profile(self, user_id: uuid.UUID) -> CreatorProfile | None: ...

    async def save_profile(self, profile: CreatorProfile) -> None: ...

    async def add_post(self, post: Post) -> None: ...

    async def update_post(self, post: Post) -> None: ...

    async def delete_post(self, post_id: uuid.UUID) -> None: ...

    async def tiers_owned_by(self, creator_id: uuid.UUID, tier_ids: list[uuid.UUID]) -> set[uuid.UUID]: ...

    async def set_like(self, post_id: uuid.UUID, user_id: uuid.UUID, liked: bool) -> None: ...

    async def follow(self, follower_id: uuid.UUID, creator_id: uuid.UUID, follow: bool) -> None: ...

    async def is_following(self, follower_id: uuid.UUID, creator_id: uuid.UUID) -> bool: ...


class CommunityRepository(Protocol):
    async def add_comment(self, comment: PostComment) -> None: ...

    async def get_comment(self, comment_id: uuid.UUID) -> PostComment | None: ...

    async def add_offer(self, offer: CommissionOffer) -> None: ...

    async def get_offer(self, offer_id: uuid.UUID) -> CommissionOffer | None: ...

    async def add_commission(self, commission: Commission) -> None: ...

    async def get_commission(self, commission_id: uuid.UUID, *, for_update: bool = False) -> Commission | None:
        """`paid` is derived from a paid billing order referencing the commission."""

    async def update_commission(self, commission: Commission) -> None: ...

    async def delete_commission(self, commission_id: uuid.UUID) -> None: ...


class CreatorsUnitOfWork(UnitOfWork, Protocol):
    creators: CreatorRepository
    community: CommunityRepository


CreatorsUnitOfWorkFactory = Callable[[], CreatorsUnitOfWork]


class CreatorQueries(Protocol):
    """The read side, outside any unit of work: the feed and other post lists, searches, comment threads,
    offers, commissions lists and the dashboards."""

    async def search_profiles(self, query: str, *, limit: int) -> list[CreatorProfile]: ...

    async def post(self, post_id: uuid.UUID, *, viewer_id: uuid.UUID | None) -> Post | None:
        """With `body` NULLed in SQL unless the viewer may read it (never leaves the database otherwise)."""

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
        """Newest first, keyset-paginated; gated bodies NULLed for viewers without access.
        `query` matches titles, and bodies only where the viewer has access."""

    async def comments(self, post_id: uuid.UUID, *, limit: int) -> list[PostComment]:
        """Oldest first."""

    async def offers_of(self, creator_id: uuid.UUID) -> list[CommissionOffer]: ...

    async def commissions_of(self, user_id: uuid.UUID, *, as_creator: bool) -> list[Commission]: ...

    async def creator_stats(self, creator_id: uuid.UUID) -> dict[str, Any]:
        """subscribers_per_tier, revenue_by_month, tips, followers, posts: SQL aggregates."""

    async def user_stats(self, user_id: uuid.UUID) -> dict[str, Any]: ...
