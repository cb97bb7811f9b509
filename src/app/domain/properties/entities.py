"""CRE Studio properties: commercial real estate listings with galleries and custom attributes."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class PropertyType(enum.StrEnum):
    OFFICE = "office"
    RETAIL = "retail"
    INDUSTRIAL = "industrial"
    MULTIFAMILY = "multifamily"
    LAND = "land"
    MIXED_USE = "mixed_use"
    HOSPITALITY = "hospitality"
    OTHER = "other"


@dataclass(slots=True, kw_only=True)
class Property:
    id: uuid.UUID
    owner_id: uuid.UUID
    name: str
    property_type: PropertyType
    city: str
    description: str = ""
    address: str = ""
    country: str = ""
    price_minor: int | None = None
    currency: str = "USD"
    size_sqft: int | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    media_ids: list[uuid.UUID] = field(default_factory=list)  # the gallery, in order; the first is the cover
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def cover_media_id(self) -> uuid.UUID | None:
        return self.media_ids[0] if self.media_ids else None


@dataclass(frozen=True, slots=True, kw_only=True)
class PropertyFilter:
    query: str | None = None
    property_type: PropertyType | None = None
    city: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    min_size: int | None = None
    max_size: int | None = None
