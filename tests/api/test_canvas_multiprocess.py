"""Two real app processes share one room through Redis: every client sees every op in one order."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import httpx
import pytest

from tests.support.api import bearer, login, register, set_role
from tests.support.servers import free_port
from tests.support.ws import Editor, add_rect


def _start(port: int, database_url: str, redis_url: str, tmp_path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        JWT_SECRET="multi-process-secret-" + "z" * 32,  # both processes must accept each other's tokens
        AUTH_RATE_LIMIT_PER_MINUTE="1000",
        MAIL_OUTBOX_DIR=str(tmp_path / "mail"),
        LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "app.entrypoints.cli", "run", "--port", str(port), "--no-migrate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_healthy(base_url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{base_url} did not start")


@pytest.mark.slow
@pytest.mark.redis
async def test_editors_on_two_processes_see_the_same_order(clean_db, redis_url, tmp_path):
    ports = [free_port(), free_port()]
    processes = [_start(port, clean_db, redis_url, tmp_path) for port in ports]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url in urls:
            _wait_healthy(url)
        async with httpx.AsyncClient(base_url=urls[0]) as http:
            await register(http, "proc_owner")
            await register(http, "proc_boss")
            set_role(clean_db, "proc_boss", "manager")
            owner = await login(http, "proc_owner")
            boss = await login(http, "proc_boss")
            campaign = (await http.post("/api/campaigns", headers=bearer(owner), json={"name": "Multi"})).json()
        # Editors alternate between the two processes.
        editors = [
            await Editor.join(urls[i % 2], campaign["id"], (owner if i % 2 == 0 else boss)["access_token"])
            for i in range(4)
        ]
        for editor in editors:
            await editor.next("snapshot")

        async def burst(index: int, editor: Editor) -> None:
            for n in range(10):
                await editor.op(f"e{index}-{n}", add_rect(f"e{index}-{n}"))

        await asyncio.gather(*(burst(i, e) for i, e in enumerate(editors)))

        async def stream(editor: Editor) -> list[tuple[int, str]]:
            got = []
            while len(got) < 40:
                message = await editor.next("op", "ack", timeout=20)
                got.append((message["version"], message["client_op_id"]))
            return got

        streams = await asyncio.gather(*(stream(e) for e in editors))
        assert [v for v, _ in streams[0]] == list(range(1, 41))
        assert all(s == streams[0] for s in streams)
        # Presence spans both processes.
        presence = [m for m in editors[0].seen if m["type"] == "presence"][-1]
        assert {u["username"] for u in presence["users"]} == {"proc_owner", "proc_boss"}
        for editor in editors:
            await editor.close()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
