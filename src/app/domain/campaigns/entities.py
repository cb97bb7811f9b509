"""Campaigns (AdVenture + CRE Studio) and their threaded comments."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

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


# Average length of each budget period in days, for monthly equivalents and flight totals.
PERIOD_DAYS = {
    BudgetPeriod.DAILY: 1.0,
    BudgetPeriod.WEEKLY: 7.0,
    BudgetPeriod.MONTHLY: 365.25 / 12,
    BudgetPeriod.QUARTERLY: 365.25 / 4,
    BudgetPeriod.ANNUAL: 365.25,
}
BUDGET_ALERT_THRESHOLDS = (80, 100)  # percent of the planned total, each announced once


@dataclass(slots=True, kw_only=True)
class Budget:
    amount_minor: int  # integer minor units (cents, paise), per `period`
    currency: str  # ISO 4217
    period: BudgetPeriod
    starts_on: date | None = None  # the flight; both or neither
    ends_on: date | None = None

    @property
    def monthly_equivalent_minor(self) -> int:
        return round(self.amount_minor * PERIOD_DAYS[BudgetPeriod.MONTHLY] / PERIOD_DAYS[self.period])

    @property
    def planned_total_minor(self) -> int:
        """The amount for the whole flight (the amount per period times the periods it spans); one period's
        amount when the budget has no dates."""
        if self.starts_on is None or self.ends_on is None:
            return self.amount_minor
        days = (self.ends_on - self.starts_on).days + 1
        return round(self.amount_minor * days / PERIOD_DAYS[self.period])


@dataclass(slots=True, kw_only=True)
class SpendEntry:
    id: uuid.UUID
    campaign_id: uuid.UUID
    amount_minor: int
    spent_on: date
    note: str = ""
    created_by: uuid.UUID | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BudgetSummary:
    budget: Budget
    spent_minor: int
    entries: int

    @property
    def remaining_minor(self) -> int:
        return self.budget.planned_total_minor - self.spent_minor

    @property
    def percent_spent(self) -> float:
        planned = self.budget.planned_total_minor
        return round(100 * self.spent_minor / planned, 1) if planned else (100.0 if self.spent_minor else 0.0)


class CollaboratorRole(enum.StrEnum):
    """What someone invited to a campaign may do there (the owner may do everything)."""

    EDITOR = "editor"  # edit the campaign, its canvas and generations; comment
    COMMENTER = "commenter"  # read and comment
    VIEWER = "viewer"  # read only


class InviteStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"


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
    # Who else works on it, and how. Part of the campaign as `get` loads it (access rules read it);
    # items of a list leave it empty (the list's own query scopes what a caller sees).
    collaborators: dict[uuid.UUID, CollaboratorRole] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class Collaborator:
    campaign_id: uuid.UUID
    user_id: uuid.UUID
    role: CollaboratorRole
    username: str = ""
    added_by: uuid.UUID | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(slots=True, kw_only=True)
class Invite:
    id: uuid.UUID
    campaign_id: uuid.UUID
    email: str
    role: CollaboratorRole
    invited_by: uuid.UUID | None
    expires_at: datetime
    status: InviteStatus = InviteStatus.PENDING
    token_hash: str | None = None  # set when the email is sent; the raw token exists only in the email
    accepted_by: uuid.UUID | None = None
    created_at: datetime | None = None
    responded_at: datetime | None = None
    campaign_name: str = ""  # for the invitee's list

    def is_open(self, now: datetime) -> bool:
        return self.status is InviteStatus.PENDING and self.expires_at > now


@dataclass(slots=True, kw_only=True)
class Comment:
    id: uuid.UUID
    campaign_id: uuid.UUID
    author_id: uuid.UUID
    body: str
    parent_id: uuid.UUID | None = None
    mentions: list[uuid.UUID] = field(default_factory=list)
    attachment_ids: list[uuid.UUID] = field(default_factory=list)  # the author's private uploads
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
    visible_to: uuid.UUID | None = None  # only campaigns this user owns or collaborates on
