"""Ports for outbound notifications shared by every module."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from app.domain.kernel import Page, UnitOfWork
from app.domain.notifications.entities import Notification


@dataclass(frozen=True, slots=True)
class EmailMessage:
    to: str
    subject: str
    text: str
    html: str | None = None


class Mailer(Protocol):
    """Delivers one email. Raises on failure so the calling job can retry."""

    async def send(self, message: EmailMessage) -> None: ...


class NotificationRepository(Protocol):
    async def add_many(self, notifications: list[Notification]) -> list[Notification]: ...

    async def add_for_followers(self, template: Notification, creator_id: uuid.UUID) -> list[Notification]:
        """One notification like `template` for every follower of `creator_id` but the actor (fan-out on write)."""

    async def get(self, notification_id: uuid.UUID) -> Notification | None: ...

    async def mark_read(self, user_id: uuid.UUID, notification_ids: list[uuid.UUID] | None) -> int: ...

    async def email_of(self, user_id: uuid.UUID) -> str | None: ...


class NotificationsUnitOfWork(UnitOfWork, Protocol):
    notifications: NotificationRepository


class NotificationQueries(Protocol):
    async def inbox(
        self, user_id: uuid.UUID, *, unread_only: bool, page: int, page_size: int
    ) -> tuple[Page[Notification], int]:
        """A page (newest first) and the reader's unread count, read in one snapshot."""
