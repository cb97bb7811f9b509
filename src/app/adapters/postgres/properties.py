"""Postgres implementation of the property repository."""

from __future__ import annotations

import math
import uuid
from typing import Any

from sqlalchemy import Numeric, case, delete, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.database import escape_like
from app.adapters.postgres.tables import PropertyRow
from app.adapters.postgres.unit_of_work import PgQueries, PgUnitOfWork
from app.domain.kernel import Page
from app.domain.properties.entities import EARTH_RADIUS_KM, Property, PropertyFilter, PropertyType

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
    "latitude",
    "longitude",
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
            for key, text_value in filters.attribute_equals:
                c.append(PropertyRow.attributes[key].astext == text_value)
            for key, low in filters.attribute_min:
                c.append(_number(key) >= low)
            for key, high in filters.attribute_max:
                c.append(_number(key) <= high)
            order: list[Any] = [PropertyRow.created_at.desc(), PropertyRow.id.desc()]
            distance: Any = literal(None)
            if filters.near is not None:
                distance = _distance_km(*filters.near)
                c.extend(_within(*filters.near, filters.radius_km or DEFAULT_RADIUS_KM, distance))
                order = [distance, PropertyRow.id]
            total = (await s.execute(select(func.count()).select_from(PropertyRow).where(*c))).scalar_one()
            rows = await s.execute(
                select(PropertyRow, distance).where(*c).order_by(*order).offset((page - 1) * page_size).limit(page_size)
            )
            items = []
            for row, km in rows:
                item = _property(row)
                item.distance_km = round(km, 3) if km is not None else None
                items.append(item)
            return Page(items, total, page, page_size)


DEFAULT_RADIUS_KM = 10.0
_KM_PER_DEGREE = 111.045


def _number(key: str) -> Any:
    """The attribute as a number, or NULL when it is not one (so a text value never matches a range)."""
    value = PropertyRow.attributes[key]
    return case((func.jsonb_typeof(value) == "number", value.astext.cast(Numeric)), else_=None)


def _distance_km(lat: float, lng: float) -> Any:
    """Great-circle distance (haversine) from (lat, lng) to the property."""
    d_lat = func.radians(PropertyRow.latitude - lat) / 2
    d_lng = func.radians(PropertyRow.longitude - lng) / 2
    h = func.power(func.sin(d_lat), 2) + math.cos(math.radians(lat)) * func.cos(
        func.radians(PropertyRow.latitude)
    ) * func.power(func.sin(d_lng), 2)
    return 2 * EARTH_RADIUS_KM * func.asin(func.sqrt(func.least(1.0, h)))


def _within(lat: float, lng: float, radius_km: float, distance: Any) -> list[Any]:
    """A bounding box first (latitude is indexed), then the exact distance."""
    span = radius_km / _KM_PER_DEGREE
    conditions = [PropertyRow.latitude.between(lat - span, lat + span), distance <= radius_km]
    cos_lat = math.cos(math.radians(lat))
    lng_span = span / cos_lat if cos_lat > 0.01 else 360.0
    if lng_span < 180 and lng - lng_span >= -180 and lng + lng_span <= 180:  # no box across the antimeridian
        conditions.append(PropertyRow.longitude.between(lng - lng_span, lng + lng_span))
    return conditions


class PgPropertiesUnitOfWork(PgUnitOfWork):
    def _bind(self, session: AsyncSession) -> None:
        self.properties = PgPropertyRepository(session)
