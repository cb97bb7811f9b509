"""Tables of CRE Studio properties."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.adapters.postgres.tables.base import Base, _now_column


class PropertyRow(Base):
    __tablename__ = "properties"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    property_type: Mapped[str] = mapped_column(String(20), index=True)
    city: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    country: Mapped[str] = mapped_column(String(100), default="")
    price_minor: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    size_sqft: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    media_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = _now_column()
    updated_at: Mapped[datetime] = _now_column()

    __table_args__ = (
        Index("ix_properties_city_lower", func.lower(text("city"))),
        Index("ix_properties_created", "created_at"),
        # The bounding box of a distance search narrows on these first.
        Index("ix_properties_latitude_longitude", "latitude", "longitude"),
        CheckConstraint(
            "(latitude IS NULL) = (longitude IS NULL) "
            "AND latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180",
            name="coordinates_valid",
        ),
    )
