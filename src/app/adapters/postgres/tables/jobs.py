"""Tables of the transactional outbox, failed jobs, idempotency keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.adapters.postgres.tables.base import Base, _now_column


class OutboxRow(Base):
    """Jobs written in the same transaction as the change that caused them."""

    __tablename__ = "outbox"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    task: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = _now_column()
    dispatched_at: Mapped[datetime | None] = _now_column(nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_outbox_pending", "created_at", postgresql_where=text("dispatched_at IS NULL")),)


class FailedJobRow(Base):
    """Jobs that exhausted their retries (SAQ forgets them after its TTL; we do not)."""

    __tablename__ = "failed_jobs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    job_key: Mapped[str] = mapped_column(String(200), index=True)
    task: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    failed_at: Mapped[datetime] = _now_column()


class IdempotencyKeyRow(Base):
    """First response to a money-creating POST, replayed for a retry with the same Idempotency-Key."""

    __tablename__ = "idempotency_keys"

    scope: Mapped[str] = mapped_column(String(100), primary_key=True)  # "user:<id>" or "anonymous"
    operation: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None while the first request runs
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = _now_column()
