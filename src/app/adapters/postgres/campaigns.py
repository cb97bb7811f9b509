"""Postgres implementation of the campaigns and comments ports, the campaigns list, and the unit of work
shared by the campaigns and canvas modules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.adapters.postgres.accounts import PgPrincipalDirectory
from app.adapters.postgres.budgets import PgSpendRepository
from app.adapters.postgres.canvas import PgCanvasRepository, PgGenerationTimes
from app.adapters.postgres.collaborators import PgCollaboratorRepository, PgInviteRepository, PgUserEmails
from app.adapters.postgres.database import escape_like
from app.adapters.postgres.media import PgUploadedFiles
from app.adapters.postgres.tables import (
    CampaignRow,
    CommentRow,
    PropertyRow,
)
from app.adapters.postgres.unit_of_work import PgQueries, PgUnitOfWork, driver_of
from app.domain.campaigns.entities import (
    AiStatus,
    Budget,
    BudgetPeriod,
    Campaign,
    CampaignFilter,
    CampaignStatus,
    CollaboratorRole,
    Comment,
)
from app.domain.kernel import Page


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
        "budget_starts_on": budget.starts_on if budget else None,
        "budget_ends_on": budget.ends_on if budget else None,
        "status": campaign.status.value,
        "ai_status": campaign.ai_status.value,
        "updated_at": campaign.updated_at or func.now(),
    }


_INSERT_CAMPAIGN = (
    "INSERT INTO campaigns (id, owner_id, name, description, property_id, budget_amount_minor, budget_currency, "
    "budget_period, status, ai_status, created_at, updated_at, budget_starts_on, budget_ends_on) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
)


class PgCampaignRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, campaign: Campaign) -> None:
        # Plain SQL on the unit of work's own connection (same transaction): the ORM's flush, or even a Core
        # insert per call, costs more than the statement itself on this hot path.
        budget, now = campaign.budget, datetime.now(UTC)
        db = await driver_of(self._s)
        await db.execute(
            _INSERT_CAMPAIGN,
            campaign.id,
            campaign.owner_id,
            campaign.name,
            campaign.description,
            campaign.property_id,
            budget.amount_minor if budget else None,
            budget.currency if budget else None,
            budget.period.value if budget else None,
            campaign.status.value,
            campaign.ai_status.value,
            campaign.created_at or now,
            campaign.updated_at or now,
            budget.starts_on if budget else None,
            budget.ends_on if budget else None,
        )

    async def get(self, campaign_id: uuid.UUID, *, for_update: bool = False) -> Campaign | None:
        # Plain SQL: every canvas batch and most campaign requests start here.
        db = await driver_of(self._s)
        row = await db.fetchrow(_GET_CAMPAIGN_FOR_UPDATE if for_update else _GET_CAMPAIGN, campaign_id)
        if row is None:
            return None
        campaign = _campaign_of(row)
        campaign.collaborators = {
            user_id: _COLLABORATOR_ROLES[role]
            for user_id, role in zip(row["collaborator_ids"], row["collaborator_roles"], strict=True)
        }
        return campaign

    async def update(self, campaign: Campaign) -> None:
        await self._s.execute(
            update(CampaignRow).where(CampaignRow.id == campaign.id).values(**_campaign_values(campaign))
        )

    async def delete(self, campaign_id: uuid.UUID) -> bool:
        return bool((await self._s.execute(delete(CampaignRow).where(CampaignRow.id == campaign_id))).rowcount)

    async def property_exists(self, property_id: uuid.UUID) -> bool:
        return (await self._s.execute(select(PropertyRow.id).where(PropertyRow.id == property_id))).first() is not None


# -- the read side: the hot list in plain SQL on the driver ----------------------------------------------
TOTAL_CAP = 1_000  # lists count exactly up to here; beyond, `total` is this cap and `total_exact` is false
_COLUMNS = (
    "id, owner_id, name, description, property_id, budget_amount_minor, budget_currency, budget_period, "
    "status, ai_status, created_at, updated_at, budget_starts_on, budget_ends_on"
)
# A campaign as `get` loads it: with its collaborators (the access rules read them).
# Both arrays from one pass over the campaign's collaborators (the lock, when asked, is the campaign row's).
_GET_CAMPAIGN = (
    f"SELECT {_COLUMNS}, m.collaborator_ids, m.collaborator_roles FROM campaigns "
    "CROSS JOIN LATERAL (SELECT coalesce(array_agg(user_id ORDER BY user_id), '{}') AS collaborator_ids, "
    "coalesce(array_agg(role ORDER BY user_id), '{}') AS collaborator_roles "
    "FROM campaign_collaborators WHERE campaign_id = campaigns.id) AS m "
    "WHERE campaigns.id = $1"
)
_GET_CAMPAIGN_FOR_UPDATE = _GET_CAMPAIGN + " FOR UPDATE OF campaigns"
_STATUSES = {s.value: s for s in CampaignStatus}
_AI_STATUSES = {s.value: s for s in AiStatus}
_PERIODS = {p.value: p for p in BudgetPeriod}
_COLLABORATOR_ROLES = {r.value: r for r in CollaboratorRole}


def _campaign_of(r: Any) -> Campaign:
    budget = None
    if r[5] is not None and r[6] and r[7]:
        budget = Budget(
            amount_minor=r[5],
            currency=r[6],
            period=_PERIODS[r[7]],
            starts_on=r["budget_starts_on"],
            ends_on=r["budget_ends_on"],
        )
    return Campaign(
        id=r[0],
        owner_id=r[1],
        name=r[2],
        description=r[3],
        property_id=r[4],
        budget=budget,
        status=_STATUSES[r[8]],
        ai_status=_AI_STATUSES[r[9]],
        created_at=r[10],
        updated_at=r[11],
    )


class PgCampaignQueries(PgQueries):
    """Which list uses which index: pages walk (created_at, id) or (owner_id, created_at, id) backwards
    (migration 0020); `q` is answered by the trigram indexes (0019) and sorted afterwards, so its cost
    follows the number of matches, never the size of the table; totals are counted up to TOTAL_CAP."""

    async def search(self, filters: CampaignFilter, *, page: int, page_size: int) -> Page[Campaign]:
        conditions: list[str] = []
        args: list[Any] = []

        def arg(value: Any) -> str:
            args.append(value)
            return f"${len(args)}"

        if filters.status is not None:
            conditions.append(f"status = {arg(filters.status.value)}")
        if filters.ai_status is not None:
            conditions.append(f"ai_status = {arg(filters.ai_status.value)}")
        if filters.property_id is not None:
            conditions.append(f"property_id = {arg(filters.property_id)}")
        if filters.owner_id is not None:
            conditions.append(f"owner_id = {arg(filters.owner_id)}")
        limit, offset = arg(page_size), arg((page - 1) * page_size)
        order = "ORDER BY created_at DESC, id DESC"
        cap = TOTAL_CAP + 1

        def where(*extra: str) -> str:
            both = [*extra, *conditions]
            return f"WHERE {' AND '.join(both)}" if both else ""

        if filters.query:
            pattern = arg(f"%{escape_like(filters.query)}%")
            text = f"(name ILIKE {pattern} ESCAPE '\\' OR description ILIKE {pattern} ESCAPE '\\')"
            # Materialised steps keep Postgres from walking the whole date index hoping to meet matches soon
            # (with prepared statements it cannot see the pattern): one user's rows first when scoped to a
            # user, else the trigram matches; then the newest of them.
            if filters.visible_to is not None:
                who = arg(filters.visible_to)
                shared_ids = f"SELECT campaign_id FROM campaign_collaborators WHERE user_id = {who}"
                scope = f"(owner_id = {who} OR id IN ({shared_ids}))"
                source = (
                    f"WITH scoped AS MATERIALIZED (SELECT {_COLUMNS} FROM campaigns {where(scope)}), "
                    f"found AS MATERIALIZED (SELECT * FROM scoped WHERE {text}) "
                )
            elif filters.owner_id is not None:
                source = (
                    f"WITH scoped AS MATERIALIZED (SELECT {_COLUMNS} FROM campaigns {where()}), "
                    f"found AS MATERIALIZED (SELECT * FROM scoped WHERE {text}) "
                )
            else:
                source = f"WITH found AS MATERIALIZED (SELECT {_COLUMNS} FROM campaigns {where(text)}) "
            count = f"SELECT count(*) FROM (SELECT 1 FROM found LIMIT {cap}) AS capped"
            page_rows = f"SELECT {_COLUMNS} FROM found {order} LIMIT {limit} OFFSET {offset}"
        elif filters.visible_to is not None:
            # Owned or shared: each branch takes only the rows the page can need, newest first (the owner's
            # branch walks its (owner_id, created_at, id) index and stops), then the two are merged.
            who = arg(filters.visible_to)
            owned = where(f"owner_id = {who}")
            shared = where(f"id IN (SELECT campaign_id FROM campaign_collaborators WHERE user_id = {who})")
            window = arg(page * page_size)
            source = ""
            count = (
                f"SELECT (SELECT count(*) FROM (SELECT 1 FROM campaigns {owned} LIMIT {cap}) AS a) "
                f"+ (SELECT count(*) FROM (SELECT 1 FROM campaigns {shared} LIMIT {cap}) AS b)"
            )
            page_rows = (
                f"SELECT * FROM ((SELECT {_COLUMNS} FROM campaigns {owned} {order} LIMIT {window}) UNION ALL "
                f"(SELECT {_COLUMNS} FROM campaigns {shared} {order} LIMIT {window})) AS visible "
                f"{order} LIMIT {limit} OFFSET {offset}"
            )
        else:
            source = ""
            # Counting stops at the cap, so the cost of `total` does not grow with the table.
            count = f"SELECT count(*) FROM (SELECT 1 FROM campaigns {where()} LIMIT {cap}) AS capped"
            page_rows = f"SELECT {_COLUMNS} FROM campaigns {where()} {order} LIMIT {limit} OFFSET {offset}"
        # One statement (one snapshot, one round trip) for the page and its total, even past the end: the
        # counts row is always there (the shape of `page_reads`, in plain SQL for this list's own plans).
        page_sql = (
            f"{source}SELECT page.*, counts.total FROM (SELECT ({count}) AS total) AS counts "
            f"LEFT JOIN LATERAL ({page_rows}) AS page ON true ORDER BY page.created_at DESC, page.id DESC"
        )
        async with self._driver() as db:
            rows = await db.fetch(page_sql, *args)
        total = rows[0]["total"]
        return Page(
            items=[_campaign_of(r) for r in rows if r[0] is not None],
            total=min(total, TOTAL_CAP),
            page=page,
            page_size=page_size,
            total_exact=total <= TOTAL_CAP,
        )


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
            attachment_ids=list(row.attachment_ids or []),
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
                attachment_ids=comment.attachment_ids,
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
                attachment_ids=comment.attachment_ids,
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


class PgCampaignsUnitOfWork(PgUnitOfWork):
    """Implements both CampaignsUnitOfWork and CanvasUnitOfWork."""

    def _bind(self, session: AsyncSession) -> None:
        self.campaigns = PgCampaignRepository(session)
        self.comments = PgCommentRepository(session)
        self.collaborators = PgCollaboratorRepository(session)
        self.invites = PgInviteRepository(session)
        self.user_emails = PgUserEmails(session)
        self.uploads = PgUploadedFiles(session)
        self.spend = PgSpendRepository(session)
        self.canvas = PgCanvasRepository(session)
        self.principals = PgPrincipalDirectory(session)
        self.generation_times = PgGenerationTimes(session)
