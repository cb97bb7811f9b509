"""Postgres implementation of the canvas ports: documents, edit records, and generation times for the
freemium lock."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.database import json_text
from app.adapters.postgres.tables import CanvasDocumentRow, CanvasEditRow, CanvasNamedVersionRow, GenerationRow
from app.adapters.postgres.unit_of_work import driver_of
from app.domain.canvas.entities import (
    DEFAULT_BACKGROUND,
    DEFAULT_HEIGHT,
    DEFAULT_WIDTH,
    CanvasDocument,
    CanvasEdit,
    NamedVersion,
)
from app.domain.kernel import Page


class PgNamedVersions:
    """The named-version part of the canvas repository (mixed into PgCanvasRepository)."""

    _s: AsyncSession

    async def name_version(self, named: NamedVersion) -> None:
        statement = insert(CanvasNamedVersionRow).values(
            campaign_id=named.campaign_id,
            version=named.version,
            name=named.name,
            named_by=named.named_by,
            created_at=named.created_at or func.now(),
        )
        await self._s.execute(
            statement.on_conflict_do_update(
                index_elements=["campaign_id", "version"],
                set_={"name": statement.excluded.name, "named_by": statement.excluded.named_by},
            )
        )

    async def named_versions(self, campaign_id: uuid.UUID) -> list[NamedVersion]:
        rows = await self._s.execute(
            select(CanvasNamedVersionRow)
            .where(CanvasNamedVersionRow.campaign_id == campaign_id)
            .order_by(CanvasNamedVersionRow.version.desc())
        )
        return [
            NamedVersion(
                campaign_id=r.campaign_id, version=r.version, name=r.name, named_by=r.named_by, created_at=r.created_at
            )
            for r in rows.scalars()
        ]

    async def unname_version(self, campaign_id: uuid.UUID, version: int) -> bool:
        result = await self._s.execute(
            delete(CanvasNamedVersionRow).where(
                CanvasNamedVersionRow.campaign_id == campaign_id, CanvasNamedVersionRow.version == version
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


class PgCanvasRepository(PgNamedVersions):
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

    # The write path of a busy room runs these once per batch of ops: plain SQL on the unit of work's
    # connection (same transaction), where SQLAlchemy's per-statement work cost more than the statements.
    async def locked_version(self, campaign_id: uuid.UUID) -> int | None:
        db = await driver_of(self._s)
        version: int | None = await db.fetchval(
            "SELECT version FROM canvas_documents WHERE campaign_id = $1 FOR UPDATE", campaign_id
        )
        return version

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
        db = await driver_of(self._s)
        await db.execute(
            "UPDATE canvas_documents SET version = $2, width = $3, height = $4, background = $5, "
            "layers = $6::jsonb, updated_at = coalesce($7, now()) WHERE campaign_id = $1",
            document.campaign_id,
            document.version,
            document.width,
            document.height,
            document.background,
            json_text(document.layers),
            document.updated_at,
        )

    async def add_edits(self, edits: list[CanvasEdit]) -> None:
        # One statement for the batch, whatever its size (arrays, unnested).
        db = await driver_of(self._s)
        await db.execute(
            "INSERT INTO canvas_edits (campaign_id, version, user_id, client_op_id, op, created_at) "
            "SELECT c, v, u, k, o::jsonb, coalesce(t, now()) "
            "FROM unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[]) "
            "AS e(c, v, u, k, o, t)",
            [e.campaign_id for e in edits],
            [e.version for e in edits],
            [e.user_id for e in edits],
            [e.client_op_id for e in edits],
            [json_text(e.op) for e in edits],
            [e.created_at for e in edits],
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
