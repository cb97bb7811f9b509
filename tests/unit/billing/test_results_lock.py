"""The freemium results lock: one object every read path asks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain.billing.entities import ResultsLock

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_members_are_never_locked() -> None:
    assert not ResultsLock(applies=False).locks(NOW)


def test_a_guest_without_an_ad_view_is_locked() -> None:
    assert ResultsLock(applies=True, latest_view=None, valid_after=NOW - timedelta(hours=1)).locks(NOW)


def test_an_ad_view_unlocks_only_what_was_requested_before_it_and_only_for_an_hour() -> None:
    lock = ResultsLock(applies=True, latest_view=NOW, valid_after=NOW - timedelta(hours=1))
    assert not lock.locks(NOW - timedelta(minutes=5))
    assert lock.locks(NOW + timedelta(seconds=1))  # requested after the ad: watch another
    stale = ResultsLock(applies=True, latest_view=NOW - timedelta(hours=2), valid_after=NOW - timedelta(hours=1))
    assert stale.locks(NOW - timedelta(hours=3))
