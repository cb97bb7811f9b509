from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol

from app.domain.campaigns.entities import Campaign, CampaignFilter, Comment
from app.domain.kernel import Page, UnitOfWork


class CampaignRepository(Protocol):
    async def add(self, campaign: Campaign) -> None: ...

    async def get(self, campaign_id: uuid.UUID, *, for_update: bool = False) -> Campaign | None: ...

    async def update(self, campaign: Campaign) -> None: ...

    async def delete(self, campaign_id: uuid.UUID) -> bool: ...

    async def property_exists(self, property_id: uuid.UUID) -> bool: ...


class CommentRepository(Protocol):
    async def add(self, comment: Comment) -> None: ...

    async def get(self, comment_id: uuid.UUID, *, for_update: bool = False) -> Comment | None: ...

    async def update(self, comment: Comment) -> None: ...

    async def list_for_campaign(
        self, campaign_id: uuid.UUID, *, parent_id: uuid.UUID | None, page: int, page_size: int
    ) -> Page[Comment]:
        """Oldest first; `parent_id=None` lists the thread roots."""


class CampaignsUnitOfWork(UnitOfWork, Protocol):
    campaigns: CampaignRepository
    comments: CommentRepository


CampaignsUnitOfWorkFactory = Callable[[], CampaignsUnitOfWork]


class CampaignQueries(Protocol):
    """The read side: the hot list, outside any unit of work."""

    async def search(self, filters: CampaignFilter, *, page: int, page_size: int) -> Page[Campaign]:
        """Newest first. `total` is exact up to TOTAL_CAP matches; beyond it, TOTAL_CAP with `total_exact=False`."""
