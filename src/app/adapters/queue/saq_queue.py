"""SAQ queue construction, safe job defaults and the transactional-outbox relay."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from saq import Job, Queue
from saq.job import Status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.adapters.postgres.database import plain_url
from app.adapters.postgres.tables import FailedJobRow, OutboxRow
from app.core.ids import new_id

log = structlog.get_logger("jobs")


@dataclass(frozen=True, slots=True)
class JobPolicy:
    """SAQ's defaults (10 s timeout, 1 attempt, no heartbeat) are unsafe; ours are explicit."""

    timeout: int = 60
    retries: int = 8
    retry_delay: float = 2.0
    # Exponential backoff with full jitter, capped at this many seconds.
    retry_backoff: float = 300.0
    heartbeat: int = 30

    def job_fields(self) -> dict[str, Any]:
        return {
            "timeout": self.timeout,
            "retries": self.retries,
            "retry_delay": self.retry_delay,
            "retry_backoff": self.retry_backoff,
            "heartbeat": self.heartbeat,
        }


def create_queue(*, redis_url: str, database_url: str, name: str = "atelier") -> Queue:
    """Redis when configured; otherwise SAQ's Postgres queue in our own database."""
    if redis_url:
        return Queue.from_url(redis_url, name=name)
    from saq.queue.postgres import PostgresQueue

    return PostgresQueue.from_url(plain_url(database_url), name=name, min_size=1, max_size=4)


def with_heartbeat(func: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Touch the job while it runs so a live job is never swept, and a killed one is."""

    @functools.wraps(func)
    async def wrapper(ctx: dict[str, Any], **kwargs: Any) -> Any:
        job: Job | None = ctx.get("job")
        beat: asyncio.Task[None] | None = None
        if job is not None and job.heartbeat:
            interval = max(job.heartbeat / 3, 0.5)

            async def _beat() -> None:
                while True:
                    await asyncio.sleep(interval)
                    await job.update()

            beat = asyncio.create_task(_beat())
        try:
            return await func(ctx, **kwargs)
        finally:
            if beat is not None:
                beat.cancel()

    return wrapper


class OutboxRelay:
    """Moves committed outbox rows into the queue (at-least-once; the job key dedupes)."""

    def __init__(
        self,
        *,
        session_factory: async_sessionmaker[AsyncSession],
        queue: Queue,
        policy: JobPolicy,
        poll_seconds: float = 0.5,
        batch_size: int = 100,
        timeouts: dict[str, int] | None = None,
    ) -> None:
        self._sessions = session_factory
        self._queue = queue
        self._policy = policy
        self._timeouts = timeouts or {}  # per task, for work slower than the default (AI calls)
        self._poll = poll_seconds
        self._batch = batch_size

    async def run_once(self) -> int:
        async with self._sessions() as session, session.begin():
            rows = (
                (
                    await session.execute(
                        select(OutboxRow)
                        .where(OutboxRow.dispatched_at.is_(None))
                        .order_by(OutboxRow.created_at)
                        .limit(self._batch)
                        .with_for_update(skip_locked=True)
                    )
                )
                .scalars()
                .all()
            )
            for row in rows:
                row.attempts += 1
                fields = self._policy.job_fields()
                fields["timeout"] = self._timeouts.get(row.task, fields["timeout"])
                await self._queue.enqueue(
                    Job(function=row.task, kwargs=dict(row.payload), key=f"outbox:{row.id}", **fields)
                )
                row.dispatched_at = datetime.now(UTC)
            return len(rows)

    async def run_forever(self) -> None:
        while True:
            try:
                moved = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # keep relaying after a transient DB/queue failure
                log.exception("outbox relay failed; retrying")
                moved = 0
            if moved < self._batch:
                await asyncio.sleep(self._poll)


class FailedJobLog:
    """Durable record of jobs that ran out of retries, for operators to inspect or replay."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def record_if_failed(self, job: Job | None) -> bool:
        if job is None or job.status != Status.FAILED:
            return False
        log.error("job failed permanently", task=job.function, key=job.key, attempts=job.attempts)
        async with self._sessions() as session, session.begin():
            session.add(
                FailedJobRow(
                    id=new_id(),
                    job_key=job.key[:200],
                    task=job.function,
                    payload=dict(job.kwargs or {}),
                    error=(job.error or "")[-8000:],
                    attempts=job.attempts,
                )
            )
        return True
