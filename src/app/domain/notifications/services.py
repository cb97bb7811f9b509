"""Notification use cases. Other modules do not call this directly: they add a
`notifications.deliver` outbox row in their own transaction, and the job fans it out."""

from __future__ import annotations

import builtins  # a method named `list` shadows the builtin in this class's annotations
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from app.core.clock import Clock
from app.core.errors import NotFound
from app.domain.accounts.entities import Page, Principal
from app.domain.notifications.entities import EMAIL_KINDS, Notification, NotificationKind
from app.domain.notifications.ports import EmailMessage, Mailer
from app.domain.outbox import Outbox

DELIVER = "notifications.deliver"
SEND_EMAIL = "notifications.email"


def notify(
    outbox: Outbox,
    kind: NotificationKind,
    *,
    at: datetime,
    actor_id: uuid.UUID | None,
    target_id: uuid.UUID | None,
    recipients: list[uuid.UUID] | None = None,
    followers_of: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Queue a notification inside the caller's transaction (delivered after commit by a job).

    `at` is when it happened: notifications are dated (and ordered) by their event, not by when a
    job got round to delivering them, which may be in any order."""
    outbox.add(
        DELIVER,
        {
            "kind": kind.value,
            "at": at.isoformat(),
            "actor_id": str(actor_id) if actor_id else None,
            "target_id": str(target_id) if target_id else None,
            "recipients": [str(r) for r in recipients or []],
            "followers_of": str(followers_of) if followers_of else None,
            "data": data or {},
        },
    )


class NotificationRepository(Protocol):
    async def add_many(self, notifications: list[Notification]) -> list[Notification]: ...

    async def add_for_followers(self, template: Notification, creator_id: uuid.UUID) -> list[Notification]:
        """One notification like `template` for every follower of `creator_id` but the actor (fan-out on write)."""

    async def get(self, notification_id: uuid.UUID) -> Notification | None: ...

    async def page(self, user_id: uuid.UUID, *, unread_only: bool, page: int, page_size: int) -> Page[Notification]: ...

    async def unread_count(self, user_id: uuid.UUID) -> int: ...

    async def mark_read(self, user_id: uuid.UUID, notification_ids: list[uuid.UUID] | None) -> int: ...

    async def email_of(self, user_id: uuid.UUID) -> str | None: ...


class NotificationsUnitOfWork(Protocol):
    notifications: NotificationRepository
    outbox: Outbox

    async def __aenter__(self) -> NotificationsUnitOfWork: ...

    async def __aexit__(self, *exc_info: object) -> None: ...

    async def commit(self) -> None: ...


_SUBJECTS = {
    NotificationKind.NEW_SUBSCRIBER: "You have a new subscriber",
    NotificationKind.TIP: "You received a tip",
    NotificationKind.COMMISSION_UPDATE: "A commission was updated",
    NotificationKind.COMMENT: "New comment",
    NotificationKind.REPLY: "New reply to your comment",
    NotificationKind.CAMPAIGN_UPDATE: "Your campaign was updated",
}


class NotificationService:
    def __init__(self, *, uow: Callable[[], NotificationsUnitOfWork], mailer: Mailer, clock: Clock) -> None:
        self._uow = uow
        self._mailer = mailer
        self._clock = clock

    async def deliver(self, payload: dict[str, Any]) -> int:
        """Job: create the notifications; important kinds also queue one email each."""
        kind = NotificationKind(payload["kind"])
        actor = uuid.UUID(payload["actor_id"]) if payload.get("actor_id") else None
        target = uuid.UUID(payload["target_id"]) if payload.get("target_id") else None
        followers_of = uuid.UUID(payload["followers_of"]) if payload.get("followers_of") else None
        happened = datetime.fromisoformat(payload["at"]) if payload.get("at") else self._clock.now()
        notifications = [
            Notification(
                id=uuid.uuid4(),
                user_id=uuid.UUID(r),
                kind=kind,
                actor_id=actor,
                target_id=target,
                data=payload.get("data") or {},
                created_at=happened,
            )
            for r in payload.get("recipients") or []
            if uuid.UUID(r) != actor
        ]
        async with self._uow() as uow:
            created = await uow.notifications.add_many(notifications)
            if followers_of is not None:
                template = Notification(
                    id=uuid.uuid4(),
                    user_id=followers_of,
                    kind=kind,
                    actor_id=actor,
                    target_id=target,
                    data=payload.get("data") or {},
                    created_at=happened,
                )
                created += await uow.notifications.add_for_followers(template, followers_of)
            if kind in EMAIL_KINDS:
                for notification in created:
                    uow.outbox.add(SEND_EMAIL, {"notification_id": str(notification.id)})
            await uow.commit()
        return len(created)

    async def send_email(self, notification_id: uuid.UUID) -> bool:
        async with self._uow() as uow:
            notification = await uow.notifications.get(notification_id)
            address = await uow.notifications.email_of(notification.user_id) if notification else None
        if notification is None or not address or address.endswith("@guest.invalid"):
            return False
        details = ", ".join(f"{k}: {v}" for k, v in sorted(notification.data.items()))
        await self._mailer.send(
            EmailMessage(
                to=address,
                subject=_SUBJECTS.get(notification.kind, "News on Atelier"),
                text=f"{_SUBJECTS.get(notification.kind, '')}.\n\n{details}\n",
            )
        )
        return True

    async def list(
        self, principal: Principal, *, unread_only: bool, page: int, page_size: int
    ) -> tuple[Page[Notification], int]:
        async with self._uow() as uow:
            result = await uow.notifications.page(
                principal.user_id, unread_only=unread_only, page=page, page_size=page_size
            )
            unread = await uow.notifications.unread_count(principal.user_id)
        return result, unread

    async def mark_read(self, principal: Principal, notification_ids: builtins.list[uuid.UUID] | None) -> int:
        async with self._uow() as uow:
            changed = await uow.notifications.mark_read(principal.user_id, notification_ids)
            if notification_ids and changed == 0:
                raise NotFound("Notification not found.", code="notification-not-found")
            await uow.commit()
            return changed
