"""Postgres implementation of the media repository."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.tables import MediaRow
from app.adapters.postgres.unit_of_work import PgUnitOfWork
from app.domain.media.entities import MediaObject, MediaStatus, Visibility

_FIELDS = (
    "owner_id",
    "key",
    "filename",
    "content_type",
    "declared_size",
    "size",
    "width",
    "height",
    "thumbnail_key",
    "rejection_reason",
    "created_at",
    "updated_at",
)


def _media(row: MediaRow) -> MediaObject:
    return MediaObject(
        id=row.id,
        visibility=Visibility(row.visibility),
        status=MediaStatus(row.status),
        **{name: getattr(row, name) for name in _FIELDS},
    )


def _values(media: MediaObject) -> dict[str, object]:
    values = {name: getattr(media, name) for name in _FIELDS}
    values["visibility"] = media.visibility.value
    values["status"] = media.status.value
    return values


class PgMediaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, media: MediaObject) -> None:
        self._s.add(MediaRow(id=media.id, **_values(media)))
        await self._s.flush()

    async def get(self, media_id: uuid.UUID, *, for_update: bool = False) -> MediaObject | None:
        stmt = select(MediaRow).where(MediaRow.id == media_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return _media(row) if row else None

    async def update(self, media: MediaObject) -> None:
        values = _values(media)
        values.pop("created_at")
        await self._s.execute(update(MediaRow).where(MediaRow.id == media.id).values(**values))

    async def delete(self, media_id: uuid.UUID) -> None:
        await self._s.execute(delete(MediaRow).where(MediaRow.id == media_id))


class PgMediaUnitOfWork(PgUnitOfWork):
    def _bind(self, session: AsyncSession) -> None:
        self.media = PgMediaRepository(session)


class PgUploadedFiles:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def owner_of(self, media_id: uuid.UUID) -> tuple[uuid.UUID, bool] | None:
        stmt = select(MediaRow.owner_id, MediaRow.visibility).where(MediaRow.id == media_id, MediaRow.status == "ready")
        row = (await self._s.execute(stmt)).first()
        return (row[0], row[1] == "public") if row else None
