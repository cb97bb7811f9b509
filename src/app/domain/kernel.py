"""The shared kernel: the few types every module speaks. Who is calling (`Principal`, `Role`), a page of
results (`Page`), and the transaction boundary every module's unit of work extends (`UnitOfWork`)."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from typing import Generic, Protocol, Self, TypeVar

from app.domain.outbox import Outbox

T = TypeVar("T")


class Role(enum.StrEnum):
    """CRE Studio roles; `member` is everyone else (creators, talent, ...)."""

    ADMIN = "admin"
    MANAGER = "manager"
    VIEWER = "viewer"
    MEMBER = "member"


@dataclass(frozen=True, slots=True, kw_only=True)
class Principal:
    """Who is calling: what the edge knows after validating an access token."""

    user_id: uuid.UUID
    session_id: uuid.UUID
    role: Role
    is_guest: bool
    email_verified: bool
    username: str


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int
    # False when `total` is a lower bound: big lists count up to a cap instead of reading every row.
    total_exact: bool = True


class UnitOfWork(Protocol):
    """One transaction. Jobs added to `outbox` are committed with it; leaving the block without
    `commit()` rolls everything back. Module units of work add their repositories as attributes."""

    outbox: Outbox

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc_info: object) -> None: ...

    async def commit(self) -> None: ...
