"""Shared pieces for the in-memory fakes of each module's ports (tests/unit/<module>/fakes.py).

A `MemoryDatabase` is named tables of copied objects. A `MemoryUnitOfWork` works on a deep copy taken
when its block opens: `commit()` publishes the copy, leaving without it throws the copy away, so a rule
that fails half-way leaves nothing behind, as with Postgres. Subclasses bind their repositories in
`_bind`, like the Postgres units of work."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from app.domain.kernel import Page, Principal, Role
from app.domain.notifications.ports import EmailMessage
from app.domain.outbox import JobMessage


class MemoryDatabase:
    def __init__(self, *tables: str) -> None:
        self.tables: dict[str, dict[Any, Any]] = {name: {} for name in tables}
        self.outbox: list[JobMessage] = []


class MemoryOutbox:
    def __init__(self, messages: list[JobMessage]) -> None:
        self._messages = messages

    def add(self, message: JobMessage) -> None:
        self._messages.append(message)


class MemoryUnitOfWork:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    def _bind(self, tables: dict[str, dict[Any, Any]]) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        self._tables = copy.deepcopy(self._db.tables)
        self._messages: list[JobMessage] = []
        self.outbox = MemoryOutbox(self._messages)
        self._bind(self._tables)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._tables = {}

    async def commit(self) -> None:
        self._db.tables = copy.deepcopy(self._tables)
        self._db.outbox.extend(self._messages)
        self._messages.clear()


class Table:
    """One table of a unit of work: objects are copied in and out, as rows would be."""

    def __init__(self, rows: dict[Any, Any]) -> None:
        self.rows = rows

    def store(self, key: Any, value: Any) -> None:
        self.rows[key] = copy.deepcopy(value)

    def load(self, key: Any) -> Any:
        value = self.rows.get(key)
        return copy.deepcopy(value) if value is not None else None

    def all(self) -> list[Any]:
        return [copy.deepcopy(v) for v in self.rows.values()]


def page_of(items: list[Any], page: int, page_size: int) -> Page[Any]:
    start = (page - 1) * page_size
    return Page(items[start : start + page_size], len(items), page, page_size)


class RecordingMailer:
    """The Mailer port, keeping what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    async def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


class StepClock:
    """A clock that moves only when told to."""

    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


def member(role: Role = Role.MEMBER, *, username: str = "someone", guest: bool = False) -> Principal:
    return Principal(
        user_id=uuid.uuid4(),
        session_id=uuid.uuid4(),
        role=role,
        is_guest=guest,
        email_verified=not guest,
        username=username,
    )
