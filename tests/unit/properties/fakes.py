"""In-memory fakes of the properties ports."""

from __future__ import annotations

import uuid
from typing import Any

from app.domain.kernel import Page
from app.domain.properties.entities import Property, PropertyFilter
from tests.unit.fakes import MemoryDatabase, MemoryUnitOfWork, Table, page_of


class _Properties(Table):
    async def add(self, prop: Property) -> None:
        self.store(prop.id, prop)

    async def get(self, property_id: uuid.UUID, *, for_update: bool = False) -> Property | None:
        return self.load(property_id)  # type: ignore[no-any-return]

    async def update(self, prop: Property) -> None:
        self.store(prop.id, prop)

    async def delete(self, property_id: uuid.UUID) -> bool:
        return self.rows.pop(property_id, None) is not None


class MemoryPropertiesUnitOfWork(MemoryUnitOfWork):
    def _bind(self, tables: dict[str, dict[Any, Any]]) -> None:
        self.properties = _Properties(tables["properties"])


class MemoryPropertyQueries:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def search(self, filters: PropertyFilter, *, page: int, page_size: int) -> Page[Property]:
        found = [
            p
            for p in Table(self._db.tables["properties"]).all()
            if (filters.city is None or p.city.lower() == filters.city.lower())
            and (filters.min_price is None or (p.price_minor or 0) >= filters.min_price)
        ]
        return page_of(found, page, page_size)
