"""Emails go out through the outbox and SAQ jobs, with retries, over SMTP or Redis."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import time

import httpx
import pytest

from app.entrypoints.app import create_app
from tests.conftest import make_settings
from tests.support.api import register
from tests.support.database import query
from tests.support.mailbox import Mailbox
from tests.support.servers import free_port, serve
from tests.support.smtp import start_smtp_server


async def _wait(predicate, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def test_verification_email_is_sent_over_smtp(clean_db, tmp_path):
    smtp_port = free_port()
    controller, handler = start_smtp_server(smtp_port)
    settings = make_settings(clean_db, tmp_path, mail_backend="smtp", smtp_port=smtp_port)
    try:
        async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
            await register(client, "smtp_user", "smtp@example.com")
            await _wait(lambda: len(handler.messages) == 1)
            token = re.search(r"token=([A-Za-z0-9_-]+)", handler.messages[0].get_content()).group(1)
            assert (await client.post("/api/auth/email/verify", json={"token": token})).status_code == 200
    finally:
        controller.stop()
    assert query(clean_db, "SELECT dispatched_at IS NOT NULL FROM outbox") == [(True,)]


async def test_failed_email_job_is_retried_until_the_mail_server_is_back(clean_db, tmp_path):
    smtp_port = free_port()  # nothing listens here yet: the first attempts fail
    settings = make_settings(
        clean_db,
        tmp_path,
        mail_backend="smtp",
        smtp_port=smtp_port,
        smtp_timeout_seconds=1,
        job_retries=30,
        job_retry_delay_seconds=0.2,
        job_max_retry_delay_seconds=1.0,
    )
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        await register(client, "patient", "patient@example.com")
        await asyncio.sleep(1.0)
        controller, handler = start_smtp_server(smtp_port)
        try:
            await _wait(lambda: len(handler.messages) == 1, timeout=30)
        finally:
            controller.stop()
    assert handler.messages[0]["To"] == "patient@example.com"
    assert query(clean_db, "SELECT count(*) FROM failed_jobs") == [(0,)]


async def test_job_out_of_retries_is_recorded_as_failed(clean_db, tmp_path):
    settings = make_settings(
        clean_db, tmp_path, mail_backend="smtp", smtp_port=free_port(), job_retries=2, job_retry_delay_seconds=0.05
    )
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        user = await register(client, "unlucky", "unlucky@example.com")
        await _wait(lambda: query(clean_db, "SELECT count(*) FROM failed_jobs") == [(1,)])
    ((task, payload, attempts, error),) = query(clean_db, "SELECT task, payload, attempts, error FROM failed_jobs")
    assert task == "accounts.send_verification_email"
    assert payload == {"user_id": user["id"]}
    assert attempts == 2
    assert "ConnectionRefusedError" in error


@pytest.mark.redis
async def test_jobs_and_rate_limits_run_on_redis(clean_db, tmp_path, redis_url):
    settings = make_settings(
        clean_db, tmp_path, redis_url=redis_url, run_worker_in_process=True, auth_rate_limit_per_minute=50
    )
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        await register(client, "redis_user", "redis@example.com")
        token = await Mailbox(tmp_path / "mail").token_for("redis@example.com", "confirm your email")
        assert (await client.post("/api/auth/email/verify", json={"token": token})).status_code == 200


@pytest.mark.slow
@pytest.mark.redis
async def test_separate_worker_process_runs_jobs_from_redis(clean_db, tmp_path, redis_url):
    import signal
    import sys

    settings = make_settings(clean_db, tmp_path, redis_url=redis_url)
    assert settings.worker_in_process is False  # REDIS_URL set: the API only enqueues
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DATABASE_URL": clean_db,
        "REDIS_URL": redis_url,
        "MAIL_OUTBOX_DIR": str(tmp_path / "mail"),
        "OUTBOX_POLL_SECONDS": "0.05",
        "WORKER_SHUTDOWN_GRACE_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen([sys.executable, "-m", "app.entrypoints.cli", "worker"], env=env)
    try:
        async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
            await register(client, "offloaded", "offloaded@example.com")
            await Mailbox(tmp_path / "mail").wait_for("offloaded@example.com", "confirm your email", timeout=30)
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
