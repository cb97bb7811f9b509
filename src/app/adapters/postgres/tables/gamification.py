"""Tables of credit accounts and entries, achievements."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.adapters.postgres.tables.base import Base, _now_column


class CreditAccountRow(Base):
    __tablename__ = "credit_accounts"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    balance: Mapped[int] = mapped_column(BigInteger)
    xp: Mapped[int] = mapped_column(BigInteger, default=0)
    ai_runs: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = _now_column()

    __table_args__ = (
        CheckConstraint("balance >= 0", name="balance_not_negative"),  # the last line of defence
        Index("ix_credit_accounts_xp", "xp"),
    )


class CreditEntryRow(Base):
    __tablename__ = "credit_entries"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    delta: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(100))
    balance_after: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _now_column()

    __table_args__ = (
        Index("uq_credit_entries_user_reference", "user_id", "reference", unique=True),
        Index("ix_credit_entries_user_created", "user_id", "created_at"),
    )


class AchievementRow(Base):
    __tablename__ = "achievements"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    unlocked_at: Mapped[datetime] = _now_column()
