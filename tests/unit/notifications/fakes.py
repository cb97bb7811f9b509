"""In-memory fakes of the notifications ports, and a mailer that keeps what it sends."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from app.domain.kernel import Page
from app.domain.notifications.entities import Notification
from tests.unit.fakes import MemoryDatabase, MemoryUnitOfWork, Table, page_of


class _Notifications(Table):
    def __init__(self, rows: dict[Any, Any], followers: dict[Any, Any], emails: dict[Any, Any]) -> None:
        super().__init__(rows)
        self._followers, self._emails = followers, emails

    async def add_many(self, notifications: list[Notification]) -> list[Notification]:
        for n in notifications:
            self.store(n.id, n)
        return list(notifications)

    async def add_for_followers(self, template: Notification, creator_id: uuid.UUID) -> list[Notification]:
        made = []
        for follower in self._followers.get(creator_id, []):
            if follower != template.actor_id:
                n = Notification(
                    id=uuid.uuid4(),
                    user_id=follower,
                    kind=template.kind,
                    actor_id=template.actor_id,
                    target_id=template.target_id,
                    data=template.data,
                    created_at=template.created_at,
                )
                self.store(n.id, n)
                made.append(n)
        return made

    async def get(self, notification_id: uuid.UUID) -> Notification | None:
        return self.load(notification_id)  # type: ignore[no-any-return]

    def _of(self, user_id: uuid.UUID, unread_only: bool) -> list[Notification]:
        mine = [n for n in self.all() if n.user_id == user_id and not (unread_only and n.read_at)]
        return sorted(mine, key=lambda n: n.created_at, reverse=True)

    async def page(self, user_id: uuid.UUID, *, unread_only: bool, page: int, page_size: int) -> Page[Notification]:
        return page_of(self._of(user_id, unread_only), page, page_size)

    async def unread_count(self, user_id: uuid.UUID) -> int:
        return len(self._of(user_id, True))

    async def mark_read(self, user_id: uuid.UUID, notification_ids: list[uuid.UUID] | None) -> int:
        changed = 0
        for n in self.rows.values():
            if n.user_id == user_id and n.read_at is None and (notification_ids is None or n.id in notification_ids):
                n.read_at = datetime.now(UTC)
                changed += 1
        return changed

    async def email_of(self, user_id: uuid.UUID) -> str | None:
        return self._emails.get(user_id)  # type: ignore[no-any-return]


class MemoryNotificationsUnitOfWork(MemoryUnitOfWork):
    def _bind(self, tables: dict[str, dict[Any, Any]]) -> None:
        self.notifications = _Notifications(tables["notifications"], tables["followers"], tables["emails"])


class MemoryNotificationQueries:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def inbox(
        self, user_id: uuid.UUID, *, unread_only: bool, page: int, page_size: int
    ) -> tuple[Page[Notification], int]:
        t = self._db.tables
        view = _Notifications(t["notifications"], t["followers"], t["emails"])
        return await view.page(
            user_id, unread_only=unread_only, page=page, page_size=page_size
        ), await view.unread_count(user_id)
