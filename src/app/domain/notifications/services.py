"""Notification use cases. Other modules do not call this directly: they add a
`notifications.deliver` outbox row in their own transaction, and the job fans it out."""

from __future__ import annotations

import builtins  # a method named `list` shadows the builtin in this class's annotations
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.core.clock import Clock
from app.domain.kernel import Page, Principal
from app.domain.notifications.entities import EMAIL_KINDS, Notification, NotificationKind
from app.domain.notifications.errors import NotificationNotFound
from app.domain.notifications.ports import EmailMessage, Mailer, NotificationQueries, NotificationsUnitOfWork
from app.domain.outbox import DeliverNotification, EmailNotification, Outbox


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
        DeliverNotification(
            kind=kind.value,
            at=at,
            actor_id=actor_id,
            target_id=target_id,
            recipients=list(recipients or []),
            followers_of=followers_of,
            data=data or {},
        )
    )


_SUBJECTS = {
    NotificationKind.NEW_SUBSCRIBER: "You have a new subscriber",
    NotificationKind.TIP: "You received a tip",
    NotificationKind.COMMISSION_UPDATE: "A commission was updated",
    NotificationKind.COMMENT: "New comment",
    NotificationKind.REPLY: "New reply to your comment",
    NotificationKind.CAMPAIGN_UPDATE: "Your campaign was updated",
    NotificationKind.COLLABORATOR_JOINED: "Someone joined your campaign",
    NotificationKind.MENTION: "You were mentioned in a comment",
    NotificationKind.BUDGET_ALERT: "A campaign's spend passed a budget threshold",
    NotificationKind.COLLABORATION_CHANGED: "Your access to a campaign changed",
}


def notify_comment(
    outbox: Outbox,
    *,
    at: datetime,
    author_id: uuid.UUID,
    comment_id: uuid.UUID,
    owner_id: uuid.UUID,
    replied_to: uuid.UUID | None,
    data: dict[str, Any],
    mentioned: list[uuid.UUID] | None = None,
) -> None:
    """A new comment tells the owner of what it is on; a reply also tells the author of the comment it answers;
    people it mentions get a mention instead (one notification each, the most specific)."""
    mentioned = list(mentioned or [])
    if mentioned:
        notify(
            outbox,
            NotificationKind.MENTION,
            at=at,
            actor_id=author_id,
            target_id=comment_id,
            recipients=mentioned,
            data=data,
        )
    if owner_id not in mentioned:
        notify(
            outbox,
            NotificationKind.COMMENT,
            at=at,
            actor_id=author_id,
            target_id=comment_id,
            recipients=[owner_id],
            data=data,
        )
    if replied_to is not None and replied_to not in mentioned:
        notify(
            outbox,
            NotificationKind.REPLY,
            at=at,
            actor_id=author_id,
            target_id=comment_id,
            recipients=[replied_to],
            data=data,
        )


class NotificationService:
    def __init__(
        self, *, uow: Callable[[], NotificationsUnitOfWork], queries: NotificationQueries, mailer: Mailer, clock: Clock
    ) -> None:
        self._uow = uow
        self._queries = queries
        self._mailer = mailer
        self._clock = clock

    async def deliver(self, message: DeliverNotification) -> int:
        """Job: create the notifications; important kinds also queue one email each."""
        kind = NotificationKind(message.kind)
        notifications = [
            Notification(
                id=uuid.uuid4(),
                user_id=recipient,
                kind=kind,
                actor_id=message.actor_id,
                target_id=message.target_id,
                data=message.data,
                created_at=message.at,
            )
            for recipient in message.recipients
            if recipient != message.actor_id
        ]
        async with self._uow() as uow:
            created = await uow.notifications.add_many(notifications)
            if message.followers_of is not None:
                template = Notification(
                    id=uuid.uuid4(),
                    user_id=message.followers_of,
                    kind=kind,
                    actor_id=message.actor_id,
                    target_id=message.target_id,
                    data=message.data,
                    created_at=message.at,
                )
                created += await uow.notifications.add_for_followers(template, message.followers_of)
            if kind in EMAIL_KINDS:
                for notification in created:
                    uow.outbox.add(EmailNotification(notification.id))
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
        return await self._queries.inbox(principal.user_id, unread_only=unread_only, page=page, page_size=page_size)

    async def mark_read(self, principal: Principal, notification_ids: builtins.list[uuid.UUID] | None) -> int:
        async with self._uow() as uow:
            changed = await uow.notifications.mark_read(principal.user_id, notification_ids)
            if notification_ids and changed == 0:
                raise NotificationNotFound("Notification not found.")
            await uow.commit()
            return changed
