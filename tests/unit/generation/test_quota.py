"""The hourly AI quota: refused at the limit with a Retry-After that says when the oldest request ages out."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.generation.errors import AiQuotaExceeded
from app.domain.generation.services import enforce_ai_quota

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


class Usage:
    def __init__(self, *times: datetime) -> None:
        self.times = list(times)

    async def lock_and_count_since(self, user_id: uuid.UUID, since: datetime) -> tuple[int, datetime | None]:
        recent = [t for t in self.times if t > since]
        return len(recent), min(recent, default=None)


async def test_under_the_limit_passes_and_at_the_limit_says_when_to_retry() -> None:
    user = uuid.uuid4()
    await enforce_ai_quota(Usage(NOW - timedelta(minutes=5)), user, now=NOW, per_hour=2)
    await enforce_ai_quota(Usage(*(NOW - timedelta(hours=2),) * 10), user, now=NOW, per_hour=2)  # all aged out
    with pytest.raises(AiQuotaExceeded) as refused:
        await enforce_ai_quota(
            Usage(NOW - timedelta(minutes=50), NOW - timedelta(minutes=5)), user, now=NOW, per_hour=2
        )
    assert refused.value.status == 429
    assert refused.value.headers["Retry-After"] == str(10 * 60)  # the oldest of the two leaves the window in 10 min
