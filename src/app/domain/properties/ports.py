"""Ports of the properties module."""

from __future__ import annotations

import uuid
from typing import Protocol

from app.domain.kernel import Page, UnitOfWork
from app.domain.properties.entities import Property, PropertyFilter


class PropertyRepository(Protocol):
    async def add(self, prop: Property) -> None: ...

    async def get(self, property_id: uuid.UUID, *, for_update: bool = False) -> Property | None: ...

    async def update(self, prop: Property) -> None: ...

    async def delete(self, property_id: uuid.UUID) -> bool: ...


class PropertiesUnitOfWork(UnitOfWork, Protocol):
    properties: PropertyRepository


class PropertyQueries(Protocol):
    """The read side: lists and searches, outside any unit of work."""

    async def search(self, filters: PropertyFilter, *, page: int, page_size: int) -> Page[Property]: ...
