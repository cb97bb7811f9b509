"""Tables of AI generation requests and results."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.adapters.postgres.tables.base import Base, _now_column


class GenerationRow(Base):
    __tablename__ = "generations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    brief: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    only: Mapped[str | None] = mapped_column(String(16), nullable=True)  # ad copy: one part regenerated
    created_at: Mapped[datetime] = _now_column()
    updated_at: Mapped[datetime] = _now_column()
    completed_at: Mapped[datetime | None] = _now_column(nullable=True)

    __table_args__ = (
        Index("ix_generations_user_created", "user_id", "created_at"),  # the hourly quota count
        Index("ix_generations_campaign_created", "campaign_id", "created_at"),
    )


class CampaignAdAssetsRow(Base):
    """A campaign's editable responsive search ad assets: [{text, pin, locked}] per kind."""

    __tablename__ = "campaign_ad_assets"

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    headlines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    descriptions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    updated_at: Mapped[datetime] = _now_column()


class BrandKitRow(Base):
    __tablename__ = "brand_kits"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    colors: Mapped[list[str]] = mapped_column(ARRAY(String(7)), default=list)
    heading_font: Mapped[str] = mapped_column(String(40))
    body_font: Mapped[str] = mapped_column(String(40))
    logo_media_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("media_objects.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = _now_column()
