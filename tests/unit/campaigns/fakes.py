"""In-memory fakes of the campaigns ports."""

from __future__ import annotations

import uuid
from typing import Any

from app.domain.campaigns.entities import Campaign, CampaignFilter, Comment
from app.domain.kernel import Page
from tests.unit.fakes import MemoryDatabase, MemoryUnitOfWork, Table, page_of


class _Campaigns(Table):
    def __init__(self, rows: dict[Any, Any], properties: dict[Any, Any]) -> None:
        super().__init__(rows)
        self._properties = properties

    async def add(self, campaign: Campaign) -> None:
        self.store(campaign.id, campaign)

    async def get(self, campaign_id: uuid.UUID, *, for_update: bool = False) -> Campaign | None:
        return self.load(campaign_id)  # type: ignore[no-any-return]

    async def update(self, campaign: Campaign) -> None:
        self.store(campaign.id, campaign)

    async def delete(self, campaign_id: uuid.UUID) -> bool:
        return self.rows.pop(campaign_id, None) is not None

    async def property_exists(self, property_id: uuid.UUID) -> bool:
        return property_id in self._properties


class _Comments(Table):
    async def add(self, comment: Comment) -> None:
        self.store(comment.id, comment)
        if comment.parent_id is not None:
            self.rows[comment.parent_id].reply_count += 1

    async def get(self, comment_id: uuid.UUID, *, for_update: bool = False) -> Comment | None:
        return self.load(comment_id)  # type: ignore[no-any-return]

    async def update(self, comment: Comment) -> None:
        self.store(comment.id, comment)

    async def list_for_campaign(
        self, campaign_id: uuid.UUID, *, parent_id: uuid.UUID | None, page: int, page_size: int
    ) -> Page[Comment]:
        found = [c for c in self.all() if c.campaign_id == campaign_id and c.parent_id == parent_id]
        return page_of(sorted(found, key=lambda c: c.created_at), page, page_size)


class MemoryCampaignsUnitOfWork(MemoryUnitOfWork):
    def _bind(self, tables: dict[str, dict[Any, Any]]) -> None:
        self.campaigns = _Campaigns(tables["campaigns"], tables["properties"])
        self.comments = _Comments(tables["comments"])


class MemoryCampaignQueries:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def search(self, filters: CampaignFilter, *, page: int, page_size: int) -> Page[Campaign]:
        found = [
            c
            for c in Table(self._db.tables["campaigns"]).all()
            if (filters.owner_id is None or c.owner_id == filters.owner_id)
            and (filters.status is None or c.status is filters.status)
            and (not filters.query or filters.query.lower() in c.name.lower())
        ]
        return page_of(sorted(found, key=lambda c: c.created_at, reverse=True), page, page_size)


def campaigns_database() -> MemoryDatabase:
    return MemoryDatabase("campaigns", "comments", "properties")
