"""Postgres implementation of the property repository."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.database import escape_like
from app.adapters.postgres.tables import PropertyRow
from app.adapters.postgres.unit_of_work import PgQueries, PgUnitOfWork
from app.domain.kernel import Page
from app.domain.properties.entities import Property, PropertyFilter, PropertyType

_FIELDS = (
    "owner_id",
    "name",
    "city",
    "description",
    "address",
    "country",
    "price_minor",
    "currency",
    "size_sqft",
    "attributes",
    "media_ids",
    "created_at",
    "updated_at",
)


def _property(r: PropertyRow) -> Property:
    return Property(id=r.id, property_type=PropertyType(r.property_type), **{f: getattr(r, f) for f in _FIELDS})


class PgPropertyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, prop: Property) -> None:
        self._s.add(
            PropertyRow(id=prop.id, property_type=prop.property_type.value, **{f: getattr(prop, f) for f in _FIELDS})
        )
        await self._s.flush()

    async def get(self, property_id: uuid.UUID, *, for_update: bool = False) -> Property | None:
        row = await self._s.get(PropertyRow, property_id, with_for_update=for_update)
        return _property(row) if row else None

    async def update(self, prop: Property) -> None:
        values: dict[str, Any] = {f: getattr(prop, f) for f in _FIELDS if f not in {"owner_id", "created_at"}}
        values["property_type"] = prop.property_type.value
        await self._s.execute(update(PropertyRow).where(PropertyRow.id == prop.id).values(**values))

    async def delete(self, property_id: uuid.UUID) -> bool:
        return bool((await self._s.execute(delete(PropertyRow).where(PropertyRow.id == property_id))).rowcount)


class PgPropertyQueries(PgQueries):
    async def search(self, filters: PropertyFilter, *, page: int, page_size: int) -> Page[Property]:
        async with self._read() as s:
            c: list[Any] = []
            if filters.query:
                pattern = f"%{escape_like(filters.query)}%"
                c.append(
                    or_(
                        *(
                            col.ilike(pattern, escape="\\")
                            for col in (PropertyRow.name, PropertyRow.description, PropertyRow.address)
                        )
                    )
                )
            if filters.property_type is not None:
                c.append(PropertyRow.property_type == filters.property_type.value)
            if filters.city:
                c.append(func.lower(PropertyRow.city) == filters.city.lower())
            if filters.min_price is not None:
                c.append(PropertyRow.price_minor >= filters.min_price)
            if filters.max_price is not None:
                c.append(PropertyRow.price_minor <= filters.max_price)
            if filters.min_size is not None:
                c.append(PropertyRow.size_sqft >= filters.min_size)
            if filters.max_size is not None:
                c.append(PropertyRow.size_sqft <= filters.max_size)
            total = (await s.execute(select(func.count()).select_from(PropertyRow).where(*c))).scalar_one()
            rows = await s.execute(
                select(PropertyRow)
                .where(*c)
                .order_by(PropertyRow.created_at.desc(), PropertyRow.id.desc())
                .offset((page - 1) * page_size)
                .limit(page_size)
            )
            return Page([_property(r) for r in rows.scalars()], total, page, page_size)


class PgPropertiesUnitOfWork(PgUnitOfWork):
    def _bind(self, session: AsyncSession) -> None:
        self.properties = PgPropertyRepository(session)
