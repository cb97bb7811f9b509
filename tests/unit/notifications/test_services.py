"""Notification rules against in-memory ports: nobody is notified of their own action, followers get
fan-out, important kinds send one email each (never to guests' placeholder addresses), pages are newest
first by the event's time, and marking read is scoped to the reader."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.notifications.entities import NotificationKind
from app.domain.notifications.errors import NotificationNotFound
from app.domain.notifications.services import NotificationService
from app.domain.outbox import DeliverNotification, EmailNotification
from tests.unit.fakes import MemoryDatabase, RecordingMailer, StepClock, member
from tests.unit.notifications.fakes import MemoryNotificationQueries, MemoryNotificationsUnitOfWork

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def db() -> MemoryDatabase:
    return MemoryDatabase("notifications", "followers", "emails")


@pytest.fixture
def mailer() -> RecordingMailer:
    return RecordingMailer()


@pytest.fixture
def notifications(db: MemoryDatabase, mailer: RecordingMailer) -> NotificationService:
    return NotificationService(
        uow=lambda: MemoryNotificationsUnitOfWork(db),
        queries=MemoryNotificationQueries(db),
        mailer=mailer,
        clock=StepClock(),
    )


def _event(kind: NotificationKind, actor: uuid.UUID, **fields: object) -> DeliverNotification:
    return DeliverNotification(
        kind=kind.value, at=fields.pop("at", T0), actor_id=actor, target_id=uuid.uuid4(), **fields
    )  # type: ignore[arg-type]


async def test_nobody_hears_of_their_own_action_and_followers_get_fan_out(
    notifications: NotificationService, db: MemoryDatabase
) -> None:
    creator, fans = member(), [member() for _ in range(3)]
    db.tables["followers"][creator.user_id] = [f.user_id for f in fans] + [creator.user_id]
    created = await notifications.deliver(
        _event(NotificationKind.NEW_POST, creator.user_id, followers_of=creator.user_id)
    )
    assert created == 3
    assert (
        await notifications.deliver(_event(NotificationKind.COMMENT, creator.user_id, recipients=[creator.user_id]))
        == 0
    )


async def test_important_kinds_email_once_each_and_never_a_guest_placeholder(
    notifications: NotificationService, db: MemoryDatabase, mailer: RecordingMailer
) -> None:
    tipper, creator, guest_creator = member(), member(), member()
    db.tables["emails"].update({creator.user_id: "c@example.com", guest_creator.user_id: "g-1@guest.invalid"})
    await notifications.deliver(
        _event(NotificationKind.TIP, tipper.user_id, recipients=[creator.user_id, guest_creator.user_id])
    )
    emails = [m for m in db.outbox if isinstance(m, EmailNotification)]
    assert len(emails) == 2
    sent = [await notifications.send_email(m.notification_id) for m in emails]
    assert sorted(sent) == [False, True]
    assert [m.to for m in mailer.sent] == ["c@example.com"]
    assert await notifications.send_email(uuid.uuid4()) is False
    await notifications.deliver(_event(NotificationKind.NEW_POST, tipper.user_id, recipients=[creator.user_id]))
    assert len([m for m in db.outbox if isinstance(m, EmailNotification)]) == 2  # new posts are in-app only


async def test_pages_are_newest_event_first_and_reading_is_the_readers_own(notifications: NotificationService) -> None:
    actor, reader, other = member(), member(), member()
    for minutes in (5, 1, 3):  # delivered out of order, dated by the event
        await notifications.deliver(
            _event(
                NotificationKind.COMMENT,
                actor.user_id,
                recipients=[reader.user_id, other.user_id],
                at=T0 + timedelta(minutes=minutes),
            )
        )
    page, unread = await notifications.list(reader, unread_only=False, page=1, page_size=10)
    assert [n.created_at for n in page.items] == [T0 + timedelta(minutes=m) for m in (5, 3, 1)]
    assert unread == 3
    with pytest.raises(NotificationNotFound):  # another reader's notification
        other_page, _ = await notifications.list(other, unread_only=False, page=1, page_size=10)
        await notifications.mark_read(reader, [other_page.items[0].id])
    assert await notifications.mark_read(reader, [page.items[0].id]) == 1
    assert (await notifications.list(reader, unread_only=True, page=1, page_size=10))[1] == 2
    assert await notifications.mark_read(reader, None) == 2
    assert (await notifications.list(other, unread_only=True, page=1, page_size=10))[1] == 3
