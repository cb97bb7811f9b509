"""Tables of campaigns, their comments, canvas documents and edit records."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.adapters.postgres.tables.base import Base, _now_column


class CampaignRow(Base):
    __tablename__ = "campaigns"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Properties arrive with the CRE Studio module; until then an opaque reference.
    # Deleting a property keeps its campaigns (and their content); they just no longer name it.
    property_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("properties.id", ondelete="SET NULL"), nullable=True, index=True
    )
    budget_amount_minor: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    budget_currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    budget_period: Mapped[str | None] = mapped_column(String(16), nullable=True)
    budget_starts_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    budget_ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    ai_status: Mapped[str] = mapped_column(String(16), default="idle")
    created_at: Mapped[datetime] = _now_column()
    updated_at: Mapped[datetime] = _now_column()

    __table_args__ = (
        # Exactly the list's order (created_at DESC, id DESC), per owner and for everyone (migration 0020).
        Index("ix_campaigns_owner_created_id", "owner_id", "created_at", "id"),
        Index("ix_campaigns_created_id", "created_at", "id"),
        # `q` searches: trigram indexes answer ILIKE '%text%' (migration 0019).
        Index("ix_campaigns_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
        Index(
            "ix_campaigns_description_trgm",
            "description",
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        ),
        CheckConstraint("budget_amount_minor IS NULL OR budget_amount_minor >= 0", name="budget_not_negative"),
        CheckConstraint(
            "(budget_amount_minor IS NULL) = (budget_currency IS NULL)"
            " AND (budget_currency IS NULL) = (budget_period IS NULL)",
            name="budget_complete",
        ),
    )


class CommentRow(Base):
    __tablename__ = "campaign_comments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("campaign_comments.id", ondelete="CASCADE"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text)
    mentions: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    attachment_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list, server_default="{}")
    is_deleted: Mapped[bool] = mapped_column(default=False)
    edited: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = _now_column()
    updated_at: Mapped[datetime] = _now_column()

    __table_args__ = (Index("ix_comments_thread", "campaign_id", "parent_id", "created_at"),)


class CanvasDocumentRow(Base):
    __tablename__ = "canvas_documents"

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    background: Mapped[str] = mapped_column(String(64))
    layers: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    updated_at: Mapped[datetime] = _now_column()


class CanvasEditRow(Base):
    """Edit records: every accepted canvas operation, in version order."""

    __tablename__ = "canvas_edits"

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    client_op_id: Mapped[str] = mapped_column(String(100))
    op: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = _now_column()


class CanvasNamedVersionRow(Base):
    """Names given to canvas versions (the edit records hold the versions themselves)."""

    __tablename__ = "canvas_named_versions"

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    named_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = _now_column()


class CampaignSpendRow(Base):
    """Money spent against a campaign's budget (CRE Studio)."""

    __tablename__ = "campaign_spend"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    spent_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = _now_column()

    __table_args__ = (
        Index("ix_campaign_spend_campaign", "campaign_id", "spent_on"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
    )


class CampaignBudgetAlertRow(Base):
    """A budget threshold (percent) already announced for a campaign: each is announced once."""

    __tablename__ = "campaign_budget_alerts"

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    threshold: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = _now_column()


class CampaignCollaboratorRow(Base):
    """Who else works on a campaign, and how (AdVenture collaborators); the owner is never one."""

    __tablename__ = "campaign_collaborators"

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    added_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = _now_column()
    updated_at: Mapped[datetime] = _now_column()

    __table_args__ = (
        Index("ix_campaign_collaborators_user", "user_id"),
        CheckConstraint("role IN ('editor','commenter','viewer')", name="role_known"),
    )


class CampaignInviteRow(Base):
    """An invitation by email; its token is stored only as a hash (the raw token exists only in the email)."""

    __tablename__ = "campaign_invites"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    invited_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    accepted_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = _now_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    responded_at: Mapped[datetime | None] = _now_column(nullable=True)

    __table_args__ = (
        # One open invitation per address and campaign; addresses compare case-insensitively.
        Index(
            "uq_campaign_invites_pending",
            "campaign_id",
            func.lower(text("email")),
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_campaign_invites_email", func.lower(text("email"))),
        CheckConstraint("role IN ('editor','commenter','viewer')", name="role_known"),
        CheckConstraint("status IN ('pending','accepted','declined','revoked')", name="status_known"),
    )
