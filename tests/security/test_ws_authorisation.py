"""A websocket's authority lasts only while it is true: revoked sessions and lost access end open
sockets within a second (error frame, then close 4401/4403), and no op sent afterwards is stored."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from app.entrypoints.app import create_app
from tests.conftest import make_settings
from tests.support.api import STRONG_PASSWORD, bearer, login, register, set_role
from tests.support.database import query
from tests.support.servers import serve
from tests.support.ws import Editor, add_rect

NOTICE_WITHIN = 1.5  # the rule is 1 s (re-checks every 0.5 s); a little slack for a loaded machine


@pytest.fixture
async def room(client: httpx.AsyncClient, settings: Any) -> dict[str, Any]:
    """Owner's campaign; a manager who edits it; an admin who manages users."""
    for name in ("owner", "boss", "root"):
        await register(client, name)
    set_role(settings.database_url, "boss", "manager")
    set_role(settings.database_url, "root", "admin")
    tokens = {name: await login(client, name) for name in ("owner", "boss", "root")}
    created = await client.post("/api/campaigns", headers=bearer(tokens["owner"]), json={"name": "Launch"})
    assert created.status_code == 201, created.text
    boss_id = (await client.get("/api/users/me", headers=bearer(tokens["boss"]))).json()["id"]
    return {"campaign": created.json()["id"], "tokens": tokens, "boss_id": boss_id}


async def ended(editor: Editor) -> tuple[int, str | None]:
    """Wait for the server to end the socket: (close code, error code of the last frame)."""
    last_error = None
    async with asyncio.timeout(NOTICE_WITHIN):
        try:
            while True:
                message = json.loads(await editor.ws.recv())
                if message["type"] == "error":
                    last_error = message["code"]
        except ConnectionClosed as closed:
            assert closed.rcvd is not None
            return closed.rcvd.code, last_error


def stored_ops(database_url: str, client_op_id: str) -> int:
    return query(database_url, "SELECT count(*) FROM canvas_edits WHERE client_op_id = %s", client_op_id)[0][0]


async def test_logout_ends_the_socket_and_a_later_op_is_never_stored(client, room, live_server, settings) -> None:
    boss = room["tokens"]["boss"]
    editor = await Editor.join(live_server, room["campaign"], boss["access_token"])
    await editor.next("snapshot")
    assert (await client.post("/api/auth/logout", headers=bearer(boss))).status_code in (200, 204)
    await editor.op("after-logout", add_rect("late"))
    assert await ended(editor) == (4401, "session-ended")
    assert stored_ops(settings.database_url, "after-logout") == 0


async def test_password_change_ends_every_socket_of_the_users_other_sessions(client, room, live_server) -> None:
    here = room["tokens"]["boss"]
    elsewhere = await login(client, "boss")  # another device
    first = await Editor.join(live_server, room["campaign"], elsewhere["access_token"])
    second = await Editor.join(live_server, room["campaign"], elsewhere["access_token"])
    kept = await Editor.join(live_server, room["campaign"], here["access_token"])
    for editor in (first, second, kept):
        await editor.next("snapshot")
    changed = await client.post(
        "/api/auth/password/change",
        headers=bearer(here),
        json={
            "old_password": STRONG_PASSWORD,
            "new_password": "An0ther-Sturdy-One!",
            "new_password_confirm": "An0ther-Sturdy-One!",
        },
    )
    assert changed.status_code in (200, 204), changed.text
    assert (await ended(first))[0] == 4401
    assert (await ended(second))[0] == 4401
    # The session that changed the password stays signed in, and so does its socket.
    await kept.op("still-mine", add_rect("kept"))
    assert (await kept.next("ack"))["client_op_id"] == "still-mine"
    await kept.close()


async def test_disabling_the_account_ends_its_sockets(client, room, live_server) -> None:
    editor = await Editor.join(live_server, room["campaign"], room["tokens"]["boss"]["access_token"])
    await editor.next("snapshot")
    disabled = await client.patch(
        f"/api/admin/users/{room['boss_id']}", headers=bearer(room["tokens"]["root"]), json={"is_active": False}
    )
    assert disabled.status_code == 200, disabled.text
    assert (await ended(editor))[0] == 4401


async def test_losing_the_role_that_gave_access_ends_the_socket_with_4403(client, room, live_server, settings) -> None:
    editor = await Editor.join(live_server, room["campaign"], room["tokens"]["boss"]["access_token"])
    await editor.next("snapshot")
    demoted = await client.patch(
        f"/api/admin/users/{room['boss_id']}", headers=bearer(room["tokens"]["root"]), json={"role": "member"}
    )
    assert demoted.status_code == 200, demoted.text
    await editor.op("after-demotion", add_rect("late"))
    assert await ended(editor) == (4403, "access-lost")
    assert stored_ops(settings.database_url, "after-demotion") == 0


async def test_becoming_a_viewer_keeps_the_socket_but_refuses_edits(client, room, live_server, settings) -> None:
    editor = await Editor.join(live_server, room["campaign"], room["tokens"]["boss"]["access_token"])
    await editor.next("snapshot")
    set_role(settings.database_url, "boss", "viewer")
    await asyncio.sleep(NOTICE_WITHIN)
    await editor.op("as-viewer", add_rect("v"))
    error = await editor.next("error")
    assert error["code"] == "role-required"
    assert stored_ops(settings.database_url, "as-viewer") == 0
    await editor.close()


async def test_deleting_the_campaign_ends_its_sockets(client, room, live_server) -> None:
    editor = await Editor.join(live_server, room["campaign"], room["tokens"]["boss"]["access_token"])
    await editor.next("snapshot")
    deleted = await client.delete(f"/api/campaigns/{room['campaign']}", headers=bearer(room["tokens"]["owner"]))
    assert deleted.status_code == 204, deleted.text
    assert (await ended(editor))[0] == 4403


async def test_other_users_sockets_are_untouched_by_a_logout(client, room, live_server) -> None:
    owner = await Editor.join(live_server, room["campaign"], room["tokens"]["owner"]["access_token"])
    boss = await Editor.join(live_server, room["campaign"], room["tokens"]["boss"]["access_token"])
    await owner.next("snapshot")
    await boss.next("snapshot")
    await client.post("/api/auth/logout", headers=bearer(room["tokens"]["boss"]))
    assert (await ended(boss))[0] == 4401
    await owner.op("still-here", add_rect("ok"))
    assert (await owner.next("ack"))["client_op_id"] == "still-here"
    await owner.close()


@pytest.mark.redis
async def test_a_logout_on_another_process_ends_the_socket(clean_db, tmp_path, redis_url) -> None:
    common = {"redis_url": redis_url, "run_worker_in_process": True}
    async with (
        serve(create_app(make_settings(clean_db, tmp_path / "a", **common))) as first,
        serve(create_app(make_settings(clean_db, tmp_path / "b", **common))) as second,
        httpx.AsyncClient(base_url=first) as on_first,
    ):
        await register(on_first, "owner")
        tokens = await login(on_first, "owner")
        created = await on_first.post("/api/campaigns", headers=bearer(tokens), json={"name": "Two processes"})
        editor = await Editor.join(second, created.json()["id"], tokens["access_token"])
        await editor.next("snapshot")
        assert (await on_first.post("/api/auth/logout", headers=bearer(tokens))).status_code in (200, 204)
        await editor.op("after-remote-logout", add_rect("late"))
        assert (await ended(editor))[0] == 4401
        assert stored_ops(clean_db, "after-remote-logout") == 0


# -- handshake: Origin -------------------------------------------------------------------------------


async def test_a_foreign_origin_is_refused_at_the_handshake(room, live_server) -> None:
    url = f"{live_server.replace('http', 'ws', 1)}/ws/campaigns/{room['campaign']}?token={room['tokens']['owner']['access_token']}"
    for origin in ("https://evil.example", "http://localhost:3000.evil.example", "null"):
        with pytest.raises(InvalidStatus):
            async with connect(url, origin=origin):  # type: ignore[arg-type]
                pass
    async with connect(url, origin="http://localhost:3000") as ws:  # type: ignore[arg-type]
        assert json.loads(await ws.recv())["type"] == "snapshot"


# -- quotas ----------------------------------------------------------------------------------------


@pytest.fixture
async def tight(clean_db: str, tmp_path: Any) -> Any:
    settings = make_settings(
        clean_db,
        tmp_path,
        ws_ops_per_second=5.0,
        ws_ops_burst=10,
        ws_sockets_per_user_per_room=3,
        ws_cursors_per_second=5.0,
    )
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        await register(client, "owner")
        tokens = await login(client, "owner")
        created = await client.post("/api/campaigns", headers=bearer(tokens), json={"name": "Quotas"})
        yield base_url, created.json()["id"], tokens["access_token"], settings


async def test_ops_beyond_the_per_socket_rate_get_an_error_and_are_not_applied(tight) -> None:
    base_url, campaign_id, token, settings = tight
    editor = await Editor.join(base_url, campaign_id, token)
    await editor.next("snapshot")
    for i in range(40):
        await editor.op(f"burst-{i}", add_rect(f"r{i}"))
    acks, limited = 0, 0
    while acks + limited < 40:
        message = await editor.next("ack", "error")
        if message["type"] == "ack":
            acks += 1
        else:
            assert message["code"] == "rate-limited"
            limited += 1
    assert 10 <= acks <= 13 and limited >= 27
    assert query(settings.database_url, "SELECT count(*) FROM canvas_edits")[0][0] == acks
    await editor.close()


async def test_sockets_per_user_per_room_are_capped(tight) -> None:
    base_url, campaign_id, token, _ = tight
    open_ = [await Editor.join(base_url, campaign_id, token) for _ in range(3)]
    for editor in open_:
        await editor.next("snapshot")
    extra = await Editor.join(base_url, campaign_id, token)
    code, error = await ended(extra)
    assert (code, error) == (4429, "too-many-connections")
    for editor in open_:
        await editor.close()


async def test_cursor_frames_beyond_the_rate_are_dropped(tight) -> None:
    base_url, campaign_id, token, _ = tight
    mover = await Editor.join(base_url, campaign_id, token)
    watcher = await Editor.join(base_url, campaign_id, token)
    await mover.next("snapshot")
    await watcher.next("snapshot")
    for i in range(60):
        await mover.send({"type": "cursor", "x": i, "y": i})
    await mover.send({"type": "ping"})
    await mover.next("pong")
    await asyncio.sleep(0.5)
    await watcher.send({"type": "ping"})
    await watcher.next("pong")
    cursors = [m for m in watcher.seen if m["type"] == "cursor"]
    assert 1 <= len(cursors) <= 10, len(cursors)  # a burst of 5, plus what 5/s refills meanwhile
    await mover.close()
    await watcher.close()
