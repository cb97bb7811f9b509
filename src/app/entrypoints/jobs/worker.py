"""Worker settings and the runner that hosts the SAQ worker plus the outbox relay,
either inside the API process (default without Redis) or as `app worker`."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog
from saq import CronJob, Worker

from app.entrypoints.container import Services
from app.entrypoints.jobs.tasks import TASKS, reconcile_payments

log = structlog.get_logger("worker")


class HostedWorker(Worker):
    """A SAQ worker whose host owns the signals.

    SAQ's worker installs SIGINT/SIGTERM handlers by default, which inside the API
    process would steal uvicorn's shutdown signal; JobRunner stops it instead.
    """

    SIGNALS = []  # noqa: RUF012 - overrides SAQ's class attribute


def build_worker(services: Services) -> Worker:
    async def startup(ctx: dict[str, Any]) -> None:
        ctx["services"] = services

    async def after_process(ctx: dict[str, Any]) -> None:
        await services.failed_jobs.record_if_failed(ctx.get("job"))

    cron_jobs = []
    if services.billing is not None:
        # Payments whose webhook never came (or whose buyer closed the tab) are asked for every 5 minutes.
        cron_jobs.append(CronJob(reconcile_payments, cron="*/5 * * * *", timeout=240, heartbeat=60, retries=1))
    return HostedWorker(
        services.queue,
        functions=TASKS,
        cron_jobs=cron_jobs,
        concurrency=services.settings.worker_concurrency,
        startup=startup,
        after_process=after_process,
        # Sweep often so a job whose worker died is retried within ~heartbeat seconds.
        timers={"sweep": 5, "abort": 1, "schedule": 1, "stats": 10},
        shutdown_grace_period_s=services.settings.worker_shutdown_grace_seconds,
    )


class JobRunner:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._worker = build_worker(services)
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        await self._services.queue.connect()
        self._tasks = [
            asyncio.create_task(self._worker.start(), name="saq-worker"),
            asyncio.create_task(self._services.relay.run_forever(), name="outbox-relay"),
        ]
        log.info("job runner started", queue=self._services.queue.name)

    async def stop(self) -> None:
        for task in self._tasks:
            if task.get_name() == "outbox-relay":
                task.cancel()
        await self._worker.stop()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        with contextlib.suppress(Exception):
            await self._services.queue.disconnect()

    async def run_until_cancelled(self) -> None:
        await self.start()
        try:
            await asyncio.gather(*self._tasks)
        finally:
            await self.stop()
