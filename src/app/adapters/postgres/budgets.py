"""Postgres implementation of the campaign spend port (budgets that track spend)."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.tables import CampaignBudgetAlertRow, CampaignSpendRow
from app.domain.campaigns.entities import SpendEntry
from app.domain.kernel import Page


def _entry(row: CampaignSpendRow) -> SpendEntry:
    return SpendEntry(
        id=row.id,
        campaign_id=row.campaign_id,
        amount_minor=row.amount_minor,
        spent_on=row.spent_on,
        note=row.note,
        created_by=row.created_by,
        created_at=row.created_at,
    )


class PgSpendRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, entry: SpendEntry) -> None:
        self._s.add(
            CampaignSpendRow(
                id=entry.id,
                campaign_id=entry.campaign_id,
                amount_minor=entry.amount_minor,
                spent_on=entry.spent_on,
                note=entry.note,
                created_by=entry.created_by,
                created_at=entry.created_at,
            )
        )
        await self._s.flush()

    async def get(self, entry_id: uuid.UUID) -> SpendEntry | None:
        row = await self._s.get(CampaignSpendRow, entry_id)
        return _entry(row) if row else None

    async def delete(self, entry_id: uuid.UUID) -> bool:
        result = await self._s.execute(delete(CampaignSpendRow).where(CampaignSpendRow.id == entry_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def list(self, campaign_id: uuid.UUID, *, page: int, page_size: int) -> Page[SpendEntry]:
        condition = CampaignSpendRow.campaign_id == campaign_id
        total = (
            await self._s.execute(select(func.count()).select_from(CampaignSpendRow).where(condition))
        ).scalar_one()
        rows = await self._s.execute(
            select(CampaignSpendRow)
            .where(condition)
            .order_by(CampaignSpendRow.spent_on.desc(), CampaignSpendRow.created_at.desc(), CampaignSpendRow.id)
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
        return Page([_entry(r) for r in rows.scalars()], total, page, page_size)

    async def totals(self, campaign_id: uuid.UUID) -> tuple[int, int]:
        row = (
            await self._s.execute(
                select(func.coalesce(func.sum(CampaignSpendRow.amount_minor), 0), func.count()).where(
                    CampaignSpendRow.campaign_id == campaign_id
                )
            )
        ).one()
        return int(row[0]), int(row[1])

    async def announced(self, campaign_id: uuid.UUID) -> set[int]:
        rows = await self._s.execute(
            select(CampaignBudgetAlertRow.threshold).where(CampaignBudgetAlertRow.campaign_id == campaign_id)
        )
        return set(rows.scalars())

    async def mark_announced(self, campaign_id: uuid.UUID, threshold: int) -> None:
        await self._s.execute(
            insert(CampaignBudgetAlertRow)
            .values(campaign_id=campaign_id, threshold=threshold)
            .on_conflict_do_nothing(index_elements=["campaign_id", "threshold"])
        )
