"""Postgres implementation of the prompt template ports."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from sqlalchemy import String, Uuid, bindparam, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.database import escape_like
from app.adapters.postgres.gamification import PgCreditsRepository
from app.adapters.postgres.generations import PgAiUsage
from app.adapters.postgres.tables import (
    PromptFavouriteRow,
    PromptRatingRow,
    PromptRunRow,
    PromptTemplateRow,
    PromptTemplateVersionRow,
)
from app.adapters.postgres.unit_of_work import PgQueries, PgUnitOfWork, columns_of, fetch_page, page_reads
from app.domain.kernel import Page
from app.domain.prompts.entities import PromptRun, PromptTemplate, RatingSummary, RunStatus, TemplateVersion

_TEMPLATE_FIELDS = (
    "owner_id",
    "title",
    "description",
    "category",
    "is_public",
    "version",
    "body",
    "created_at",
    "updated_at",
)
_RUN_FIELDS = (
    "template_id",
    "version",
    "user_id",
    "rendered_prompt",
    "variables",
    "output",
    "error",
    "attempts",
    "created_at",
    "completed_at",
)


def _template(row: Any) -> PromptTemplate:
    get = columns_of(row)
    return PromptTemplate(id=get("id"), **{f: get(f) for f in _TEMPLATE_FIELDS})


@functools.cache
def _template_search(*, mine: bool, query: bool, category: bool) -> Any:
    """Public templates and the viewer's own (or only the viewer's), compiled once per combination of filters."""
    viewer = bindparam("viewer_id", None, type_=Uuid)
    conditions = [
        PromptTemplateRow.owner_id == viewer
        if mine
        else or_(PromptTemplateRow.is_public.is_(True), PromptTemplateRow.owner_id == viewer)
    ]
    if query:
        pattern = bindparam("pattern", None, type_=String)
        conditions.append(
            or_(
                PromptTemplateRow.title.ilike(pattern, escape="\\"),
                PromptTemplateRow.description.ilike(pattern, escape="\\"),
            )
        )
    if category:
        conditions.append(PromptTemplateRow.category == bindparam("category", None, type_=String))
    return page_reads(PromptTemplateRow, conditions)


def _version(r: PromptTemplateVersionRow) -> TemplateVersion:
    return TemplateVersion(
        template_id=r.template_id, version=r.version, body=r.body, author_id=r.author_id, created_at=r.created_at
    )


def _run(row: PromptRunRow) -> PromptRun:
    return PromptRun(id=row.id, status=RunStatus(row.status), **{f: getattr(row, f) for f in _RUN_FIELDS})


class PgPromptTemplateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, template: PromptTemplate) -> None:
        self._s.add(PromptTemplateRow(id=template.id, **{f: getattr(template, f) for f in _TEMPLATE_FIELDS}))
        await self._s.flush()

    async def get(self, template_id: uuid.UUID, *, for_update: bool = False) -> PromptTemplate | None:
        stmt = select(PromptTemplateRow).where(PromptTemplateRow.id == template_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return _template(row) if row else None

    async def update(self, template: PromptTemplate) -> None:
        values = {f: getattr(template, f) for f in _TEMPLATE_FIELDS if f not in {"owner_id", "created_at"}}
        await self._s.execute(update(PromptTemplateRow).where(PromptTemplateRow.id == template.id).values(**values))

    async def delete(self, template_id: uuid.UUID) -> None:
        await self._s.execute(delete(PromptTemplateRow).where(PromptTemplateRow.id == template_id))

    async def add_version(self, version: TemplateVersion) -> None:
        self._s.add(
            PromptTemplateVersionRow(
                template_id=version.template_id,
                version=version.version,
                body=version.body,
                author_id=version.author_id,
                created_at=version.created_at,
            )
        )
        await self._s.flush()

    async def versions(self, template_id: uuid.UUID) -> list[TemplateVersion]:
        rows = await self._s.execute(
            select(PromptTemplateVersionRow)
            .where(PromptTemplateVersionRow.template_id == template_id)
            .order_by(PromptTemplateVersionRow.version.desc())
        )
        return [_version(r) for r in rows.scalars()]

    async def get_version(self, template_id: uuid.UUID, version: int) -> TemplateVersion | None:
        row = await self._s.get(PromptTemplateVersionRow, (template_id, version))
        return _version(row) if row else None


class PgPromptRunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, run: PromptRun) -> None:
        self._s.add(PromptRunRow(id=run.id, status=run.status.value, **{f: getattr(run, f) for f in _RUN_FIELDS}))
        await self._s.flush()

    async def get(self, run_id: uuid.UUID, *, for_update: bool = False) -> PromptRun | None:
        stmt = select(PromptRunRow).where(PromptRunRow.id == run_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return _run(row) if row else None

    async def update(self, run: PromptRun) -> None:
        await self._s.execute(
            update(PromptRunRow)
            .where(PromptRunRow.id == run.id)
            .values(
                status=run.status.value,
                output=run.output,
                error=run.error,
                attempts=run.attempts,
                completed_at=run.completed_at,
            )
        )


class PgPromptQueries(PgQueries):
    async def search(
        self, *, viewer_id: uuid.UUID, query: str | None, category: str | None, mine: bool, page: int, page_size: int
    ) -> Page[PromptTemplate]:
        reads = _template_search(mine=mine, query=bool(query), category=bool(category))
        async with self._driver() as db:
            rows, counts = await fetch_page(
                db,
                reads,
                viewer_id=viewer_id,
                pattern=f"%{escape_like(query)}%" if query else None,
                category=category,
                limit=page_size,
                offset=(page - 1) * page_size,
            )
        return Page(items=[_template(r) for r in rows], total=counts["total"], page=page, page_size=page_size)


class PgFavourites:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, user_id: uuid.UUID, template_id: uuid.UUID) -> bool:
        statement = insert(PromptFavouriteRow).values(user_id=user_id, template_id=template_id)
        result = await self._s.execute(statement.on_conflict_do_nothing(index_elements=["user_id", "template_id"]))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def remove(self, user_id: uuid.UUID, template_id: uuid.UUID) -> bool:
        result = await self._s.execute(
            delete(PromptFavouriteRow).where(
                PromptFavouriteRow.user_id == user_id, PromptFavouriteRow.template_id == template_id
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def of_user(self, user_id: uuid.UUID, *, page: int, page_size: int) -> Page[PromptTemplate]:
        visible = (
            select(PromptTemplateRow, PromptFavouriteRow.created_at.label("favoured_at"))
            .join(PromptFavouriteRow, PromptFavouriteRow.template_id == PromptTemplateRow.id)
            .where(
                PromptFavouriteRow.user_id == user_id,
                or_(PromptTemplateRow.is_public.is_(True), PromptTemplateRow.owner_id == user_id),
            )
        )
        total = (await self._s.execute(select(func.count()).select_from(visible.subquery()))).scalar_one()
        rows = await self._s.execute(
            visible.order_by(PromptFavouriteRow.created_at.desc(), PromptTemplateRow.id)
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
        return Page([_template(row) for row, _ in rows], total, page, page_size)


class PgRatings:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def put(self, user_id: uuid.UUID, template_id: uuid.UUID, stars: int) -> None:
        statement = insert(PromptRatingRow).values(user_id=user_id, template_id=template_id, stars=stars)
        await self._s.execute(
            statement.on_conflict_do_update(
                index_elements=["user_id", "template_id"], set_={"stars": stars, "updated_at": func.now()}
            )
        )

    async def summary(self, template_id: uuid.UUID, viewer_id: uuid.UUID) -> RatingSummary:
        mine = (
            select(PromptRatingRow.stars)
            .where(PromptRatingRow.template_id == template_id, PromptRatingRow.user_id == viewer_id)
            .scalar_subquery()
        )
        row = (
            await self._s.execute(
                select(func.avg(PromptRatingRow.stars), func.count(), mine).where(
                    PromptRatingRow.template_id == template_id
                )
            )
        ).one()
        average = round(float(row[0]), 2) if row[0] is not None else None
        return RatingSummary(average=average, count=int(row[1]), mine=row[2])


class PgPromptsUnitOfWork(PgUnitOfWork):
    def _bind(self, session: AsyncSession) -> None:
        self.favourites = PgFavourites(session)
        self.ratings = PgRatings(session)
        self.templates = PgPromptTemplateRepository(session)
        self.runs = PgPromptRunRepository(session)
        self.usage = PgAiUsage(session)
        self.credits = PgCreditsRepository(session)
