"""Shared fixtures: real Postgres (own database per session), real HTTP (uvicorn on
loopback), the app's own mail adapter writing to a temp folder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.adapters.postgres import migrate
from app.adapters.postgres.embedded import EmbeddedPostgres
from app.core.settings import Settings
from app.entrypoints.app import create_app
from tests.fakes.razorpay_server import KEY_ID, KEY_SECRET, WEBHOOK_SECRET, FakeRazorpay
from tests.support.api import bearer, login, register
from tests.support.database import create_database, drop_database, truncate_all
from tests.support.mailbox import Mailbox
from tests.support.servers import free_port, serve

TEST_JWT_SECRET = "test-secret-" + "x" * 40
STRONG_PASSWORD = "Sturdy-Passw0rd!"


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """DATABASE_URL's server when set; otherwise a throwaway local PostgreSQL."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        yield configured
        return
    with EmbeddedPostgres() as pg:
        yield pg.url


@pytest.fixture(scope="session")
def database_url(pg_server_url: str) -> Iterator[str]:
    url = create_database(pg_server_url)
    migrate.upgrade(url)
    yield url
    drop_database(pg_server_url, url)


@pytest.fixture
def clean_db(database_url: str) -> Iterator[str]:
    yield database_url
    truncate_all(database_url)


def make_settings(database_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    base: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "jwt_secret": TEST_JWT_SECRET,
        "mail_outbox_dir": str(tmp_path / "mail"),
        "auth_rate_limit_per_minute": 1000,
        "outbox_poll_seconds": 0.05,
        "job_retry_delay_seconds": 0.1,
        "log_level": "WARNING",
        "database_pool_size": 5,
        "worker_shutdown_grace_seconds": 0,
        "media_root": str(tmp_path / "media"),
        "ad_view_seconds": 0,
        # Cheap argon2 in tests: the cost parameters are settings; production keeps the strong defaults.
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8192,
        "argon2_parallelism": 1,
    }
    base.update(overrides)
    # env={} keeps the developer's environment out of the tests.
    return Settings.from_env(env={}, **base)


@pytest.fixture
def settings(clean_db: str, tmp_path: Path) -> Settings:
    return make_settings(clean_db, tmp_path)


@pytest.fixture
def mailbox(settings: Settings) -> Mailbox:
    return Mailbox(Path(settings.mail_outbox_dir))


@pytest.fixture
async def live_server(settings: Settings) -> AsyncIterator[str]:
    async with serve(create_app(settings)) as base_url:
        yield base_url


@pytest.fixture
async def client(live_server: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        yield http


def _worker_index() -> int:
    """0 without pytest-xdist, else the worker's number (gw0 -> 0, gw1 -> 1, ...)."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def redis_reachable(url: str) -> bool:
    parsed = httpx.URL(url)
    try:
        with socket.create_connection((parsed.host or "127.0.0.1", parsed.port or 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """REDIS_URL, else the local server on 6379, else one started from the redis-server binary."""
    configured = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    if redis_reachable(configured):
        # Parallel workers share the server but not their data: one logical database each.
        yield str(httpx.URL(configured).copy_with(path=f"/{_worker_index() + 1}"))
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no Redis server configured, running, or installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        if redis_reachable(url):
            break
        time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """A moto server (S3, sagemaker-runtime, ...) speaking AWS HTTP APIs on loopback."""
    # The AWS SDK insists on credentials; moto accepts any. Never real ones in tests.
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    binary = shutil.which("moto_server") or str(Path(sys.executable).with_name("moto_server"))
    port = free_port()
    process = subprocess.Popen(
        [binary, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{url}/moto-api/", timeout=1)
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture
async def rzp() -> AsyncIterator[FakeRazorpay]:
    fake = FakeRazorpay()
    async with serve(fake.app()) as url:
        fake.url = url
        yield fake


@pytest.fixture
async def paying(clean_db: str, tmp_path: Any, rzp: FakeRazorpay) -> AsyncIterator[httpx.AsyncClient]:
    """An app with billing configured against the Razorpay fake; `creator` has a creator profile, `fan` does not."""
    settings = make_settings(
        clean_db,
        tmp_path,
        razorpay_key_id=KEY_ID,
        razorpay_key_secret=KEY_SECRET,
        razorpay_webhook_secret=WEBHOOK_SECRET,
        razorpay_base_url=rzp.url,
    )
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        await register(client, "creator")
        await register(client, "fan")
        client.creator = bearer(await login(client, "creator"))  # type: ignore[attr-defined]
        client.fan = bearer(await login(client, "fan"))  # type: ignore[attr-defined]
        made = await client.put("/api/creators/me", headers=client.creator, json={"display_name": "Creator"})  # type: ignore[attr-defined]
        assert made.status_code in (200, 201), made.text
        client.creator_id = (await client.get("/api/users/me", headers=client.creator)).json()["id"]  # type: ignore[attr-defined]
        client.fan_id = (await client.get("/api/users/me", headers=client.fan)).json()["id"]  # type: ignore[attr-defined]
        client.settings = settings  # type: ignore[attr-defined]
        yield client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first: xdist hands tests out in this order, so a long one started last would keep one worker
    busy after the others are done (the suite's wall time is what `make test` is held to)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
