"""A full room under a burst: 50 sockets, every op delivered to every socket, in version order, with one
app process and with two sharing the room through Redis. Not timed: the latency figures live in bench/."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.api.test_canvas_multiprocess import _start, _wait_healthy
from tests.support.api import bearer, login, register, set_role
from tests.support.servers import free_port
from tests.support.ws import Editor, add_rect

SOCKETS = 50
OPS = 200
PER_USER = 10  # the per-user socket cap of a room (WS_SOCKETS_PER_USER_PER_ROOM)


async def _room_burst(urls: list[str], database_url: str) -> None:
    async with httpx.AsyncClient(base_url=urls[0], timeout=30) as http:
        names = [f"burst{i}" for i in range(SOCKETS // PER_USER)]
        for name in names:
            await register(http, name)
        for name in names[1:]:
            set_role(database_url, name, "manager")  # staff edit any campaign
        tokens = [(await login(http, name))["access_token"] for name in names]
        campaign = (
            await http.post("/api/campaigns", headers=bearer({"access_token": tokens[0]}), json={"name": "Burst"})
        ).json()
    editors = [await Editor.join(urls[i % len(urls)], campaign["id"], tokens[i // PER_USER]) for i in range(SOCKETS)]
    for editor in editors:
        await editor.next("snapshot", timeout=30)

    async def send(index: int, editor: Editor) -> None:
        for n in range(OPS // SOCKETS):
            await editor.op(f"s{index}-{n}", add_rect(f"s{index}-{n}"))

    async def receive(editor: Editor) -> list[tuple[int, str]]:
        got = []
        while len(got) < OPS:
            message = await editor.next("op", "ack", timeout=60)
            got.append((message["version"], message["client_op_id"]))
        return got

    receivers = [asyncio.create_task(receive(e)) for e in editors]
    await asyncio.gather(*(send(i, e) for i, e in enumerate(editors)))
    streams = await asyncio.gather(*receivers)
    assert [v for v, _ in streams[0]] == list(range(1, OPS + 1))  # every op, in version order, no gaps
    assert all(stream == streams[0] for stream in streams)  # and the same sequence on every socket
    assert {op for _, op in streams[0]} == {f"s{i}-{n}" for i in range(SOCKETS) for n in range(OPS // SOCKETS)}
    await asyncio.gather(*(editor.close() for editor in editors))


async def _with_processes(count: int, database_url: str, redis_url: str, tmp_path) -> None:
    ports = [free_port() for _ in range(count)]
    started = [_start(port, database_url, redis_url, tmp_path) for port in ports]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url in urls:
            _wait_healthy(url)
        await _room_burst(urls, database_url)
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=20)


@pytest.mark.slow
async def test_a_full_room_on_one_process_receives_every_op_of_a_burst_in_order(clean_db, tmp_path):
    await _with_processes(1, clean_db, "", tmp_path)


@pytest.mark.slow
@pytest.mark.redis
async def test_a_full_room_split_over_two_processes_receives_every_op_in_order(clean_db, redis_url, tmp_path):
    await _with_processes(2, clean_db, redis_url, tmp_path)
