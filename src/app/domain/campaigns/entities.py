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
