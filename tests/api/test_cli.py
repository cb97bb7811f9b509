"""The `app` command as a user runs it: run (with a throwaway Postgres), db upgrade, create-admin."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.api import STRONG_PASSWORD
from tests.support.database import query
from tests.support.servers import free_port

APP = [sys.executable, "-m", "app.entrypoints.cli"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(extra)
    return env


@pytest.mark.slow
def test_app_run_starts_postgres_and_serves_health_and_offline_docs(tmp_path: Path):
    port = free_port()
    process = subprocess.Popen(
        [*APP, "run", "--port", str(port)],
        env=_env(MAIL_OUTBOX_DIR=str(tmp_path / "mail"), LOG_LEVEL="WARNING"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("app run did not come up")
        assert httpx.get(f"{base}/ready").json()["checks"]["database"] == "ok"
        docs = httpx.get(f"{base}/docs")
        assert docs.status_code == 200
        # Every asset the page loads is served by the app itself: no CDN, works offline.
        assets = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", docs.text)
        assert assets and all(a.startswith("/docs/static/") for a in assets), assets
        for asset in assets:
            assert httpx.get(base + asset).status_code == 200
        schema = httpx.get(f"{base}/docs/openapi.json").json()
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                assert operation.get("summary") and operation.get("tags"), (method, path)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "throwaway local PostgreSQL" in output
    assert process.returncode == 0, output
    # SIGTERM stops the throwaway server too: nothing listens on its port any more.
    pg_port = int(re.search(r"PostgreSQL ready at postgresql://\S+:(\d+)/", output).group(1))
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", pg_port)) != 0


@pytest.mark.slow
def test_db_upgrade_and_create_admin(pg_server_url: str):
    from tests.support.database import create_database, drop_database

    url = create_database(pg_server_url)
    try:
        upgraded = subprocess.run([*APP, "db", "upgrade"], env=_env(DATABASE_URL=url), capture_output=True, text=True)
        assert upgraded.returncode == 0, upgraded.stderr
        created = subprocess.run(
            [*APP, "create-admin", "--username", "root_admin", "--email", "root@example.com"],
            env=_env(DATABASE_URL=url, ADMIN_PASSWORD=STRONG_PASSWORD),
            capture_output=True,
            text=True,
        )
        assert created.returncode == 0, created.stderr
        assert query(url, "SELECT role, email_verified FROM users WHERE username = 'root_admin'") == [("admin", True)]
        weak = subprocess.run(
            [*APP, "create-admin", "--username", "weak_admin", "--email", "weak@example.com"],
            env=_env(DATABASE_URL=url, ADMIN_PASSWORD="weak"),
            capture_output=True,
            text=True,
        )
        assert weak.returncode != 0
        assert "too weak" in weak.stderr
    finally:
        drop_database(pg_server_url, url)
