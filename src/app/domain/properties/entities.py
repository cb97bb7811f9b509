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
    latitude: float | None = None  # both or neither
    longitude: float | None = None
    distance_km: float | None = None  # set only by a distance search
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def cover_media_id(self) -> uuid.UUID | None:
        return self.media_ids[0] if self.media_ids else None


ATTRIBUTE_KEY_RE = r"^[A-Za-z0-9_-]{1,64}$"
MAX_ATTRIBUTE_FILTERS = 10
EARTH_RADIUS_KM = 6371.0088
MAX_RADIUS_KM = 20_000.0


@dataclass(frozen=True, slots=True, kw_only=True)
class PropertyFilter:
    query: str | None = None
    property_type: PropertyType | None = None
    city: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    min_size: int | None = None
    max_size: int | None = None
    # Custom attributes: equal (compared as text, so 12 matches "12"), and numeric ranges (numbers only).
    attribute_equals: tuple[tuple[str, str], ...] = ()
    attribute_min: tuple[tuple[str, float], ...] = ()
    attribute_max: tuple[tuple[str, float], ...] = ()
    # Within `radius_km` of (latitude, longitude): nearest first, each item with its distance.
    near: tuple[float, float] | None = None
    radius_km: float | None = None
