"""Postgres implementation of the notification repository (fan-out on write in SQL)."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from sqlalchemy import Uuid, bindparam, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.tables import FollowRow, NotificationRow, UserRow
from app.adapters.postgres.unit_of_work import PgQueries, PgUnitOfWork, columns_of, fetch_page, page_reads
from app.domain.kernel import Page
from app.domain.notifications.entities import Notification, NotificationKind


def _notification(r: Any) -> Notification:
    get = columns_of(r)
    return Notification(
        id=get("id"),
        user_id=get("user_id"),
        kind=NotificationKind(get("kind")),
        actor_id=get("actor_id"),
        target_id=get("target_id"),
        data=dict(get("data") or {}),
        read_at=get("read_at"),
        created_at=get("created_at"),
    )


@functools.cache
def _inbox(*, unread_only: bool) -> Any:
    """A page of the reader's notifications, its total and the unread count: one statement, one snapshot
    (a notification delivered meanwhile cannot show in one and not the other)."""
    reader = bindparam("user_id", None, type_=Uuid)
    conditions = [NotificationRow.user_id == reader]
    if unread_only:
        conditions.append(NotificationRow.read_at.is_(None))
    unread = (
        select(func.count())
        .select_from(NotificationRow)
        .where(NotificationRow.user_id == reader, NotificationRow.read_at.is_(None))
        .scalar_subquery()
    )
    return page_reads(NotificationRow, conditions, unread=unread)


class PgNotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add_many(self, notifications: list[Notification]) -> list[Notification]:
        if not notifications:
            return []
        rows = await self._s.execute(
            insert(NotificationRow)
            .values(
                [
                    {
                        "id": n.id,
                        "user_id": n.user_id,
                        "kind": n.kind.value,
                        "actor_id": n.actor_id,
                        "target_id": n.target_id,
                        "data": n.data,
                        "created_at": n.created_at,
                    }
                    for n in notifications
                ]
            )
            .returning(NotificationRow)
        )
        return [_notification(r) for r in rows.scalars()]

    async def add_for_followers(self, template: Notification, creator_id: uuid.UUID) -> list[Notification]:
        # One INSERT ... SELECT over the follows table: no per-follower round trips.
        fan_out = select(
            func.gen_random_uuid(),
            FollowRow.follower_id,
            literal(template.kind.value),
            literal(template.actor_id, NotificationRow.actor_id.type),
            literal(template.target_id, NotificationRow.target_id.type),
            literal(template.data, NotificationRow.data.type),
            literal(template.created_at, NotificationRow.created_at.type) if template.created_at else func.now(),
        ).where(FollowRow.creator_id == creator_id, FollowRow.follower_id != template.actor_id)
        rows = await self._s.execute(
            insert(NotificationRow)
            .from_select(["id", "user_id", "kind", "actor_id", "target_id", "data", "created_at"], fan_out)
            .returning(NotificationRow)
        )
        return [_notification(r) for r in rows.scalars()]

    async def get(self, notification_id: uuid.UUID) -> Notification | None:
        row = await self._s.get(NotificationRow, notification_id)
        return _notification(row) if row else None

    async def mark_read(self, user_id: uuid.UUID, notification_ids: list[uuid.UUID] | None) -> int:
        stmt = update(NotificationRow).where(NotificationRow.user_id == user_id, NotificationRow.read_at.is_(None))
        if notification_ids is not None:
            stmt = stmt.where(NotificationRow.id.in_(notification_ids))
        return int((await self._s.execute(stmt.values(read_at=func.now()))).rowcount or 0)

    async def email_of(self, user_id: uuid.UUID) -> str | None:
        return (await self._s.execute(select(UserRow.email).where(UserRow.id == user_id))).scalar_one_or_none()


class PgNotificationQueries(PgQueries):
    async def inbox(
        self, user_id: uuid.UUID, *, unread_only: bool, page: int, page_size: int
    ) -> tuple[Page[Notification], int]:
        read = _inbox(unread_only=unread_only)
        async with self._driver() as db:
            rows, counts = await fetch_page(db, read, user_id=user_id, limit=page_size, offset=(page - 1) * page_size)
        return Page([_notification(r) for r in rows], counts["total"], page, page_size), int(counts["unread"])


class PgNotificationsUnitOfWork(PgUnitOfWork):
    def _bind(self, session: AsyncSession) -> None:
        self.notifications = PgNotificationRepository(session)
