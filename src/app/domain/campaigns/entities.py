"""Campaigns (AdVenture + CRE Studio) and their threaded comments."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime

NAME_MAX_LENGTH = 200  # campaign names, whoever composes them


class BudgetPeriod(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    ARCHIVED = "archived"


class AiStatus(enum.StrEnum):
    """State of the AI content generation for the campaign."""

    IDLE = "idle"
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(slots=True, kw_only=True)
class Budget:
    amount_minor: int  # integer minor units (cents, paise)
    currency: str  # ISO 4217
    period: BudgetPeriod


@dataclass(slots=True, kw_only=True)
class Campaign:
    id: uuid.UUID
    owner_id: uuid.UUID
    name: str
    description: str = ""
    property_id: uuid.UUID | None = None
    budget: Budget | None = None
    status: CampaignStatus = CampaignStatus.DRAFT
    ai_status: AiStatus = AiStatus.IDLE
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(slots=True, kw_only=True)
class Comment:
    id: uuid.UUID
    campaign_id: uuid.UUID
    author_id: uuid.UUID
    body: str
    parent_id: uuid.UUID | None = None
    mentions: list[uuid.UUID] = field(default_factory=list)
    is_deleted: bool = False
    edited: bool = False
    reply_count: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CampaignFilter:
    query: str | None = None
    status: CampaignStatus | None = None
    ai_status: AiStatus | None = None
    property_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
