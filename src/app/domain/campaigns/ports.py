from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol

from app.domain.accounts.entities import Page
from app.domain.campaigns.entities import Campaign, CampaignFilter, Comment
from app.domain.outbox import Outbox


class CampaignRepository(Protocol):
    async def add(self, campaign: Campaign) -> None: ...

    async def get(self, campaign_id: uuid.UUID, *, for_update: bool = False) -> Campaign | None: ...

    async def update(self, campaign: Campaign) -> None: ...

    async def delete(self, campaign_id: uuid.UUID) -> bool: ...

    async def property_exists(self, property_id: uuid.UUID) -> bool: ...

    async def search(self, filters: CampaignFilter, *, page: int, page_size: int) -> Page[Campaign]:
        """Newest first."""


class CommentRepository(Protocol):
    async def add(self, comment: Comment) -> None: ...

    async def get(self, comment_id: uuid.UUID, *, for_update: bool = False) -> Comment | None: ...

    async def update(self, comment: Comment) -> None: ...

    async def list_for_campaign(
        self, campaign_id: uuid.UUID, *, parent_id: uuid.UUID | None, page: int, page_size: int
    ) -> Page[Comment]:
        """Oldest first; `parent_id=None` lists the thread roots."""


class CampaignsUnitOfWork(Protocol):
    campaigns: CampaignRepository
    comments: CommentRepository
    outbox: Outbox

    async def __aenter__(self) -> CampaignsUnitOfWork: ...

    async def __aexit__(self, *exc_info: object) -> None: ...

    async def commit(self) -> None: ...


CampaignsUnitOfWorkFactory = Callable[[], CampaignsUnitOfWork]
