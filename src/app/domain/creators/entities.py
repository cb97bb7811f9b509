"""Oasis creators: profiles, posts gated by tiers, likes, follows, feed."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime


class PostVisibility(enum.StrEnum):
    PUBLIC = "public"
    TIERS = "tiers"  # only subscribers of one of `tier_ids` (and the creator)


@dataclass(slots=True, kw_only=True)
class CreatorProfile:
    user_id: uuid.UUID
    display_name: str
    bio: str = ""
    category: str = ""
    avatar_url: str = ""
    follower_count: int = 0
    created_at: datetime | None = None


@dataclass(slots=True, kw_only=True)
class Post:
    id: uuid.UUID
    creator_id: uuid.UUID
    title: str
    body: str | None  # None when the viewer may not see it (locked preview)
    visibility: PostVisibility = PostVisibility.PUBLIC
    tier_ids: list[uuid.UUID] = field(default_factory=list)
    media_ids: list[uuid.UUID] = field(default_factory=list)
    like_count: int = 0
    liked_by_viewer: bool = False
    locked: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedCursor:
    """Keyset position: posts strictly older than (created_at, id). Stable under inserts."""

    created_at: datetime
    post_id: uuid.UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedPage:
    items: list[Post]
    next_cursor: FeedCursor | None


@dataclass(slots=True, kw_only=True)
class PostComment:
    id: uuid.UUID
    post_id: uuid.UUID
    author_id: uuid.UUID
    body: str
    parent_id: uuid.UUID | None = None
    created_at: datetime | None = None


class CommissionStatus(enum.StrEnum):
    ORDERED = "ordered"
    IN_PROGRESS = "in_progress"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


# (who, from) -> allowed next statuses
COMMISSION_TRANSITIONS: dict[tuple[str, CommissionStatus], frozenset[CommissionStatus]] = {
    ("creator", CommissionStatus.ORDERED): frozenset({CommissionStatus.IN_PROGRESS, CommissionStatus.CANCELLED}),
    ("creator", CommissionStatus.IN_PROGRESS): frozenset({CommissionStatus.DELIVERED, CommissionStatus.CANCELLED}),
    ("buyer", CommissionStatus.ORDERED): frozenset({CommissionStatus.CANCELLED}),
}


@dataclass(slots=True, kw_only=True)
class CommissionOffer:
    id: uuid.UUID
    creator_id: uuid.UUID
    title: str
    description: str
    price_minor: int
    currency: str
    active: bool = True
    created_at: datetime | None = None


@dataclass(slots=True, kw_only=True)
class Commission:
    id: uuid.UUID
    offer_id: uuid.UUID
    creator_id: uuid.UUID
    buyer_id: uuid.UUID
    description: str
    contact_details: str
    price_minor: int
    currency: str
    status: CommissionStatus = CommissionStatus.ORDERED
    paid: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def deletable(self) -> bool:
        """Oasis "deletable": an unpaid request that no work has started on (or that was cancelled)."""
        return not self.paid and self.status in (CommissionStatus.ORDERED, CommissionStatus.CANCELLED)
