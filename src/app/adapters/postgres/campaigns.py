"""Postgres implementation of the campaigns, comments and canvas ports."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.adapters.postgres.accounts import PgPrincipalDirectory
from app.adapters.postgres.database import escape_like
from app.adapters.postgres.tables import (
    CampaignRow,
    CanvasDocumentRow,
    CanvasEditRow,
    CommentRow,
    GenerationRow,
    PropertyRow,
)
from app.adapters.postgres.unit_of_work import PgUnitOfWork
from app.domain.campaigns.entities import (
    AiStatus,
    Budget,
    BudgetPeriod,
    Campaign,
    CampaignFilter,
    CampaignStatus,
    Comment,
)
from app.domain.canvas.entities import DEFAULT_BACKGROUND, DEFAULT_HEIGHT, DEFAULT_WIDTH, CanvasDocument, CanvasEdit
from app.domain.kernel import Page


def _campaign(row: CampaignRow) -> Campaign:
    budget = None
    if row.budget_amount_minor is not None and row.budget_currency and row.budget_period:
        budget = Budget(
            amount_minor=row.budget_amount_minor, currency=row.budget_currency, period=BudgetPeriod(row.budget_period)
        )
    return Campaign(
        id=row.id,
        owner_id=row.owner_id,
        name=row.name,
        description=row.description,
        property_id=row.property_id,
        budget=budget,
        status=CampaignStatus(row.status),
        ai_status=AiStatus(row.ai_status),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _campaign_values(campaign: Campaign) -> dict[str, object]:
    budget = campaign.budget
    return {
        "owner_id": campaign.owner_id,
        "name": campaign.name,
        "description": campaign.description,
        "property_id": campaign.property_id,
        "budget_amount_minor": budget.amount_minor if budget else None,
        "budget_currency": budget.currency if budget else None,
        "budget_period": budget.period.value if budget else None,
        "status": campaign.status.value,
        "ai_status": campaign.ai_status.value,
        "updated_at": campaign.updated_at or func.now(),
    }


class PgCampaignRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, campaign: Campaign) -> None:
        values = _campaign_values(campaign)
        self._s.add(CampaignRow(id=campaign.id, created_at=campaign.created_at or func.now(), **values))
        await self._s.flush()

    async def get(self, campaign_id: uuid.UUID, *, for_update: bool = False) -> Campaign | None:
        stmt = select(CampaignRow).where(CampaignRow.id == campaign_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return _campaign(row) if row else None

    async def update(self, campaign: Campaign) -> None:
        await self._s.execute(
            update(CampaignRow).where(CampaignRow.id == campaign.id).values(**_campaign_values(campaign))
        )

    async def delete(self, campaign_id: uuid.UUID) -> bool:
        return bool((await self._s.execute(delete(CampaignRow).where(CampaignRow.id == campaign_id))).rowcount)

    async def property_exists(self, property_id: uuid.UUID) -> bool:
        return (await self._s.execute(select(PropertyRow.id).where(PropertyRow.id == property_id))).first() is not None

    async def search(self, filters: CampaignFilter, *, page: int, page_size: int) -> Page[Campaign]:
        conditions = []
        if filters.query:
            pattern = f"%{escape_like(filters.query)}%"
            conditions.append(
                or_(CampaignRow.name.ilike(pattern, escape="\\"), CampaignRow.description.ilike(pattern, escape="\\"))
            )
        if filters.status is not None:
            conditions.append(CampaignRow.status == filters.status.value)
        if filters.ai_status is not None:
            conditions.append(CampaignRow.ai_status == filters.ai_status.value)
        if filters.property_id is not None:
            conditions.append(CampaignRow.property_id == filters.property_id)
        if filters.owner_id is not None:
            conditions.append(CampaignRow.owner_id == filters.owner_id)
        total = (await self._s.execute(select(func.count()).select_from(CampaignRow).where(*conditions))).scalar_one()
        rows = (
            await self._s.execute(
                select(CampaignRow)
                .where(*conditions)
                .order_by(CampaignRow.created_at.desc(), CampaignRow.id.desc())
                .offset((page - 1) * page_size)
                .limit(page_size)
            )
        ).scalars()
        return Page(items=[_campaign(r) for r in rows], total=total, page=page, page_size=page_size)


class PgCommentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    @staticmethod
    def _comment(row: CommentRow, reply_count: int = 0) -> Comment:
        return Comment(
            id=row.id,
            campaign_id=row.campaign_id,
            author_id=row.author_id,
            body=row.body,
            parent_id=row.parent_id,
            mentions=list(row.mentions or []),
            is_deleted=row.is_deleted,
            edited=row.edited,
            reply_count=reply_count,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    async def add(self, comment: Comment) -> None:
        self._s.add(
            CommentRow(
                id=comment.id,
                campaign_id=comment.campaign_id,
                author_id=comment.author_id,
                parent_id=comment.parent_id,
                body=comment.body,
                mentions=comment.mentions,
                created_at=comment.created_at,
                updated_at=comment.updated_at,
            )
        )
        await self._s.flush()

    async def get(self, comment_id: uuid.UUID, *, for_update: bool = False) -> Comment | None:
        stmt = select(CommentRow).where(CommentRow.id == comment_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return self._comment(row) if row else None

    async def update(self, comment: Comment) -> None:
        await self._s.execute(
            update(CommentRow)
            .where(CommentRow.id == comment.id)
            .values(
                body=comment.body,
                mentions=comment.mentions,
                is_deleted=comment.is_deleted,
                edited=comment.edited,
                updated_at=comment.updated_at,
            )
        )

    async def list_for_campaign(
        self, campaign_id: uuid.UUID, *, parent_id: uuid.UUID | None, page: int, page_size: int
    ) -> Page[Comment]:
        parent_condition = CommentRow.parent_id.is_(None) if parent_id is None else CommentRow.parent_id == parent_id
        conditions = [CommentRow.campaign_id == campaign_id, parent_condition]
        total = (await self._s.execute(select(func.count()).select_from(CommentRow).where(*conditions))).scalar_one()
        replies = aliased(CommentRow)
        reply_count = (
            select(func.count()).select_from(replies).where(replies.parent_id == CommentRow.id).scalar_subquery()
        )
        rows = await self._s.execute(
            select(CommentRow, reply_count)
            .where(*conditions)
            .order_by(CommentRow.created_at, CommentRow.id)
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
        items = [self._comment(row, count) for row, count in rows]
        return Page(items=items, total=total, page=page, page_size=page_size)


class PgCanvasRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    @staticmethod
    def _edit(row: CanvasEditRow) -> CanvasEdit:
        return CanvasEdit(
            campaign_id=row.campaign_id,
            version=row.version,
            user_id=row.user_id,
            client_op_id=row.client_op_id,
            op=row.op,
            created_at=row.created_at,
        )

    async def get_document(self, campaign_id: uuid.UUID, *, for_update: bool = False) -> CanvasDocument | None:
        stmt = select(CanvasDocumentRow).where(CanvasDocumentRow.campaign_id == campaign_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        if row is None:
            return None
        return CanvasDocument(
            campaign_id=row.campaign_id,
            version=row.version,
            width=row.width,
            height=row.height,
            background=row.background,
            layers=list(row.layers),
            updated_at=row.updated_at,
        )

    async def ensure_document(self, campaign_id: uuid.UUID) -> None:
        await self._s.execute(
            insert(CanvasDocumentRow)
            .values(
                campaign_id=campaign_id,
                version=0,
                width=DEFAULT_WIDTH,
                height=DEFAULT_HEIGHT,
                background=DEFAULT_BACKGROUND,
                layers=[],
            )
            .on_conflict_do_nothing(index_elements=["campaign_id"])
        )

    async def save_document(self, document: CanvasDocument) -> None:
        table = CanvasDocumentRow.__table__
        await self._s.execute(
            update(table)
            .where(table.c.campaign_id == document.campaign_id)
            .values(
                version=document.version,
                width=document.width,
                height=document.height,
                background=document.background,
                layers=document.layers,
                updated_at=document.updated_at or func.now(),
            )
        )

    async def add_edits(self, edits: list[CanvasEdit]) -> None:
        # Core statements on the hot path: the ORM bulk layer costs more than the SQL.
        await self._s.execute(
            insert(CanvasEditRow.__table__),
            [
                {
                    "campaign_id": e.campaign_id,
                    "version": e.version,
                    "user_id": e.user_id,
                    "client_op_id": e.client_op_id,
                    "op": e.op,
                    "created_at": e.created_at,
                }
                for e in edits
            ],
        )

    async def edits_after(self, campaign_id: uuid.UUID, version: int, *, limit: int) -> list[CanvasEdit]:
        rows = await self._s.execute(
            select(CanvasEditRow)
            .where(CanvasEditRow.campaign_id == campaign_id, CanvasEditRow.version > version)
            .order_by(CanvasEditRow.version)
            .limit(limit)
        )
        return [self._edit(r) for r in rows.scalars()]

    async def edits_up_to(self, campaign_id: uuid.UUID, version: int) -> list[CanvasEdit]:
        rows = await self._s.execute(
            select(CanvasEditRow)
            .where(CanvasEditRow.campaign_id == campaign_id, CanvasEditRow.version <= version)
            .order_by(CanvasEditRow.version)
        )
        return [self._edit(r) for r in rows.scalars()]

    async def history(self, campaign_id: uuid.UUID, *, page: int, page_size: int) -> Page[CanvasEdit]:
        condition = CanvasEditRow.campaign_id == campaign_id
        total = (await self._s.execute(select(func.count()).select_from(CanvasEditRow).where(condition))).scalar_one()
        rows = await self._s.execute(
            select(CanvasEditRow)
            .where(condition)
            .order_by(CanvasEditRow.version.desc())
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
        return Page(items=[self._edit(r) for r in rows.scalars()], total=total, page=page, page_size=page_size)


class PgGenerationTimes:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def requested_at(self, campaign_id: uuid.UUID) -> dict[str, datetime]:
        rows = await self._s.execute(
            select(GenerationRow.id, GenerationRow.created_at).where(GenerationRow.campaign_id == campaign_id)
        )
        return {gid.hex[:12]: created for gid, created in rows}


class PgCampaignsUnitOfWork(PgUnitOfWork):
    """Implements both CampaignsUnitOfWork and CanvasUnitOfWork."""

    def _bind(self, session: AsyncSession) -> None:
        self.campaigns = PgCampaignRepository(session)
        self.comments = PgCommentRepository(session)
        self.canvas = PgCanvasRepository(session)
        self.principals = PgPrincipalDirectory(session)
        self.generation_times = PgGenerationTimes(session)
