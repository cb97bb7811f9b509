"""Faults: a stopped or frozen Postgres gives 503 problem+json within the configured bounds (never a
500, never a hang), and the app recovers without a restart. Redis outages are reported by /ready."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from app.adapters.postgres import migrate
from app.adapters.postgres.embedded import EmbeddedPostgres
from app.entrypoints.app import create_app
from tests.conftest import make_settings
from tests.support.api import assert_problem, bearer, login, register
from tests.support.servers import free_port, serve

BOUND_SECONDS = 1.0  # statement, pool-acquire and connect timeouts in these tests


@pytest.fixture
def own_postgres() -> Iterator[EmbeddedPostgres]:
    """A server of our own, so the test may stop and freeze it."""
    with EmbeddedPostgres() as pg:
        migrate.upgrade(pg.url)
        yield pg


@pytest.fixture
async def app_on_own_postgres(
    own_postgres: EmbeddedPostgres, tmp_path: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    settings = make_settings(
        own_postgres.url,
        tmp_path,
        database_statement_timeout_seconds=BOUND_SECONDS,
        database_pool_timeout_seconds=BOUND_SECONDS,
        database_connect_timeout_seconds=BOUND_SECONDS,
        run_worker_in_process=False,  # the worker's own polling is not what these tests are about
    )
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        await register(client, "steady")
        headers = bearer(await login(client, "steady"))
        assert (await client.post("/api/campaigns", headers=headers, json={"name": "Before"})).status_code == 201
        yield client, headers


async def _until_ok(client: httpx.AsyncClient, headers: dict[str, str], seconds: float = 20) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        response = await client.get("/api/campaigns", headers=headers)
        if response.status_code == 200 or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.2)


async def test_postgres_stopped_gives_503_then_recovers(app_on_own_postgres, own_postgres: EmbeddedPostgres) -> None:
    client, headers = app_on_own_postgres
    await asyncio.to_thread(own_postgres.stop_server)
    for request in (
        client.get("/api/campaigns", headers=headers),
        client.post("/api/campaigns", headers=headers, json={"name": "During"}),
        client.post("/api/auth/login", json={"login": "steady", "password": "whatever-it-is"}),
        client.get("/api/users/me", headers=headers),
    ):
        response = await request
        problem = assert_problem(response, 503, "database-unavailable")
        assert response.headers["retry-after"]
        assert problem["status"] == 503
    assert_problem(await client.get("/ready"), 503)
    await asyncio.to_thread(own_postgres.start_server)
    recovered = await _until_ok(client, headers)
    assert recovered.status_code == 200, recovered.text
    assert [c["name"] for c in recovered.json()["items"]] == ["Before"]


async def test_postgres_frozen_gives_503_within_the_bound_then_recovers(
    app_on_own_postgres, own_postgres: EmbeddedPostgres
) -> None:
    client, headers = app_on_own_postgres
    pids = own_postgres.server_pids()
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        responses = await asyncio.gather(
            client.get("/api/campaigns", headers=headers),
            client.post("/api/campaigns", headers=headers, json={"name": "Frozen"}),
            client.get("/api/users/me", headers=headers),
        )
        elapsed = time.monotonic() - started
        for response in responses:
            assert_problem(response, 503, "database-unavailable")
        # Bounded: the timeouts (1 s each, statement + pool + connect) and not the database's stall.
        assert elapsed < 4 * BOUND_SECONDS + 6, elapsed
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
    recovered = await _until_ok(client, headers)
    assert recovered.status_code == 200, recovered.text


# -- Redis -----------------------------------------------------------------------------------------


@pytest.mark.redis
async def test_ready_checks_redis_when_configured(clean_db: str, tmp_path: Any, redis_url: str) -> None:
    async with (
        serve(
            create_app(make_settings(clean_db, tmp_path, redis_url=redis_url, run_worker_in_process=True))
        ) as base_url,
        httpx.AsyncClient(base_url=base_url) as client,
    ):
        ready = await client.get("/ready")
        assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "redis": "ok"}


async def test_a_redis_outage_gives_clear_errors_not_500(clean_db: str, tmp_path: Any) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    settings = make_settings(clean_db, tmp_path, redis_url=dead, run_worker_in_process=False)
    # The broker cannot subscribe at start-up; the API still starts and keeps trying in the background.
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        assert (await client.get("/health")).status_code == 200
        body = assert_problem(await client.get("/ready"), 503, "not-ready")
        assert body["checks"]["database"] == "ok" and body["checks"]["redis"].startswith("failed")
        # Rate-limited routes keep their counters in Redis: without it they say so, clearly.
        limited = await client.post("/api/auth/login", json={"login": "x", "password": "y"})
        assert_problem(limited, 503, "redis-unavailable")
        assert limited.headers["retry-after"]
