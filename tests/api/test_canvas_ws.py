"""Live canvas co-editing over real websockets."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from app.entrypoints.app import create_app
from tests.support.api import bearer, login, register, set_role
from tests.support.database import query
from tests.support.servers import serve
from tests.support.ws import Editor, add_rect


@pytest.fixture
async def team(client, settings):
    """Owner and a manager who may both edit one campaign; an outsider who may not."""
    await register(client, "owner")
    await register(client, "boss")
    await register(client, "outsider")
    set_role(settings.database_url, "boss", "manager")
    tokens = {name: await login(client, name) for name in ("owner", "boss", "outsider")}
    created = await client.post("/api/campaigns", headers=bearer(tokens["owner"]), json={"name": "Launch"})
    assert created.status_code == 201, created.text
    return created.json()["id"], {k: v["access_token"] for k, v in tokens.items()}


async def test_join_sends_a_snapshot_and_presence(live_server, team):
    campaign_id, tokens = team
    editor = await Editor.join(live_server, campaign_id, tokens["owner"])
    snapshot = await editor.next("snapshot")
    assert snapshot["version"] == 0
    assert snapshot["document"] == {"width": 1080, "height": 1080, "background": "#ffffff", "layers": []}
    presence = await editor.next("presence")
    assert [u["username"] for u in presence["users"]] == ["owner"]
    await editor.close()


async def test_two_editors_see_each_others_ops_in_the_same_order(live_server, team, settings):
    campaign_id, tokens = team
    alice = await Editor.join(live_server, campaign_id, tokens["owner"])
    bob = await Editor.join(live_server, campaign_id, tokens["boss"])
    await alice.next("snapshot")
    await bob.next("snapshot")

    async def burst(editor: Editor, prefix: str) -> None:
        for i in range(15):
            await editor.op(f"{prefix}-{i}", add_rect(f"{prefix}-{i}"))

    await asyncio.gather(burst(alice, "a"), burst(bob, "b"))

    async def stream(editor: Editor) -> list[tuple[int, str]]:
        got = []
        while len(got) < 30:
            message = await editor.next("op", "ack")
            got.append((message["version"], message["client_op_id"]))
        return got

    seen_by_alice, seen_by_bob = await asyncio.gather(stream(alice), stream(bob))
    assert [v for v, _ in seen_by_alice] == list(range(1, 31))
    assert seen_by_alice == seen_by_bob
    stored = query(settings.database_url, "SELECT version, client_op_id FROM canvas_edits ORDER BY version")
    assert [tuple(row) for row in stored] == seen_by_alice
    acks = [m for m in alice.seen if m["type"] == "ack"]
    assert sorted(m["client_op_id"] for m in acks) == sorted(f"a-{i}" for i in range(15))
    await alice.close()
    await bob.close()


async def test_acked_op_survives_a_server_restart(settings, team):
    campaign_id, tokens = team
    async with serve(create_app(settings)) as base_url:
        editor = await Editor.join(base_url, campaign_id, tokens["owner"])
        await editor.next("snapshot")
        await editor.op("keep-me", add_rect("durable", fill="#ff0000"))
        ack = await editor.next("ack")
        await editor.close()
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as http:
        canvas = (
            await http.get(
                f"/api/campaigns/{campaign_id}/canvas", headers={"Authorization": f"Bearer {tokens['owner']}"}
            )
        ).json()
        rejoined = await Editor.join(base_url, campaign_id, tokens["owner"])
        snapshot = await rejoined.next("snapshot")
        await rejoined.close()
    assert canvas["version"] == ack["version"] == snapshot["version"] == 1
    assert canvas["document"]["layers"][0]["id"] == "durable"


async def test_reconnect_with_since_version_replays_missed_ops(live_server, team):
    campaign_id, tokens = team
    alice = await Editor.join(live_server, campaign_id, tokens["owner"])
    await alice.next("snapshot")
    await alice.op("one", add_rect("l1"))
    assert (await alice.next("ack"))["version"] == 1
    bob = await Editor.join(live_server, campaign_id, tokens["boss"])
    assert (await bob.next("snapshot"))["version"] == 1
    await bob.close()
    for i in (2, 3):
        await alice.op(f"op{i}", add_rect(f"l{i}"))
        await alice.next("ack")
    bob = await Editor.join(live_server, campaign_id, tokens["boss"], since_version=1)
    replay = await bob.next("replay", "snapshot")
    assert replay["type"] == "replay"
    assert [op["version"] for op in replay["ops"]] == [2, 3]
    assert [op["op"]["layer"]["id"] for op in replay["ops"]] == ["l2", "l3"]
    # And live ops continue after the replay.
    await alice.op("op4", add_rect("l4"))
    assert (await bob.next("op"))["version"] == 4
    await alice.close()
    await bob.close()


async def test_unauthenticated_and_unauthorised_users_are_refused(live_server, team):
    campaign_id, tokens = team
    with pytest.raises(InvalidStatus):
        await Editor.join(live_server, campaign_id, "not-a-token")
    with pytest.raises(InvalidStatus):
        await Editor.join(live_server, campaign_id, tokens["outsider"])
    with pytest.raises(InvalidStatus):
        await Editor.join(live_server, "00000000-0000-0000-0000-000000000000", tokens["owner"])


async def test_malformed_messages_get_errors_and_the_room_keeps_working(live_server, team):
    campaign_id, tokens = team
    alice = await Editor.join(live_server, campaign_id, tokens["owner"])
    bob = await Editor.join(live_server, campaign_id, tokens["boss"])
    await alice.next("snapshot")
    await bob.next("snapshot")

    await alice.send("{this is not json")
    assert (await alice.next("error"))["code"] == "invalid-message"
    await alice.send({"type": "op", "client_op_id": "x", "op": {"kind": "explode"}})
    assert (await alice.next("error"))["code"] == "invalid-message"
    await alice.send({"type": "op", "client_op_id": "big", "op": add_rect("big", text="x" * 70_000)})
    assert (await alice.next("error"))["code"] == "message-too-large"

    await alice.op("add", add_rect("shape"))
    await alice.next("ack")
    await bob.op("rm", {"kind": "remove_layer", "layer_id": "shape"})
    await bob.next("ack")
    await alice.op("late-edit", {"kind": "update_layer", "layer_id": "shape", "props": {"fill": "#00ff00"}})
    error = await alice.next("error")
    assert error["code"] == "layer-not-found" and error["client_op_id"] == "late-edit"

    await alice.op("after", add_rect("still-works"))
    assert (await alice.next("ack"))["version"] == 3
    assert (await bob.next("op"))["client_op_id"] == "after"
    await alice.close()
    await bob.close()


async def test_last_writer_wins_per_property(live_server, team, client):
    campaign_id, tokens = team
    alice = await Editor.join(live_server, campaign_id, tokens["owner"])
    await alice.next("snapshot")
    await alice.op("add", add_rect("box", fill="#000000", x=5))
    await alice.next("ack")
    await alice.op("fill", {"kind": "update_layer", "layer_id": "box", "props": {"fill": "#ff0000"}})
    await alice.op("move", {"kind": "update_layer", "layer_id": "box", "props": {"x": 50}})
    await alice.op("fill2", {"kind": "update_layer", "layer_id": "box", "props": {"fill": "#0000ff"}})
    for _ in range(3):
        await alice.next("ack")
    await alice.close()
    canvas = (
        await client.get(f"/api/campaigns/{campaign_id}/canvas", headers={"Authorization": f"Bearer {tokens['owner']}"})
    ).json()
    assert canvas["document"]["layers"][0]["props"] == {"x": 50, "y": 0, "width": 10, "height": 10, "fill": "#0000ff"}


async def test_viewer_may_watch_but_not_edit(live_server, team, client, settings):
    campaign_id, tokens = team
    await register(client, "watcher")
    set_role(settings.database_url, "watcher", "viewer")
    watcher_token = (await login(client, "watcher"))["access_token"]
    watcher = await Editor.join(live_server, campaign_id, watcher_token)
    await watcher.next("snapshot")
    await watcher.op("nope", add_rect("x"))
    assert (await watcher.next("error"))["code"] == "role-required"
    await watcher.close()


async def test_cursors_reach_others_but_are_not_persisted(live_server, team, settings):
    campaign_id, tokens = team
    alice = await Editor.join(live_server, campaign_id, tokens["owner"])
    bob = await Editor.join(live_server, campaign_id, tokens["boss"])
    await alice.next("snapshot")
    await bob.next("snapshot")
    await alice.send({"type": "cursor", "x": 12.5, "y": 40})
    cursor = await bob.next("cursor")
    assert (cursor["x"], cursor["y"]) == (12.5, 40)
    assert query(settings.database_url, "SELECT count(*) FROM canvas_edits") == [(0,)]
    await alice.close()
    await bob.close()


async def test_a_client_that_stops_reading_is_dropped_and_the_room_goes_on(clean_db, tmp_path):
    from tests.conftest import make_settings
    from tests.support.ws import connect

    # Quotas are not the subject here: 300 ops in a row would exceed the default 60/s.
    settings = make_settings(clean_db, tmp_path, ws_send_queue_limit=8, ws_ops_per_second=10_000, ws_ops_burst=10_000)
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as http:
        await register(http, "fast_owner")
        token = (await login(http, "fast_owner"))["access_token"]
        campaign = (
            await http.post("/api/campaigns", headers={"Authorization": f"Bearer {token}"}, json={"name": "x"})
        ).json()
        url = f"{base_url.replace('http', 'ws', 1)}/ws/campaigns/{campaign['id']}?token={token}"
        # The stalled client's library buffers at most 1 frame and then stops reading the socket.
        stalled = await connect(url, max_queue=1, max_size=2**22)
        active = await Editor.join(base_url, campaign["id"], token)
        await active.next("snapshot")
        await active.op("base", add_rect("big"))
        await active.next("ack")
        for i in range(300):
            # ~40 KB frames fill the socket buffers quickly while the document stays small.
            await active.op(
                f"op{i}", {"kind": "update_layer", "layer_id": "big", "props": {"note": f"{i:05d}" + "x" * 40_000}}
            )
            message = await active.next("ack", "error", timeout=10)
            assert message["type"] == "ack", message
        # Reading again, the stalled client finds what was buffered, then the server's 4408 close.
        with pytest.raises(ConnectionClosed):
            async with asyncio.timeout(30):
                while True:
                    await stalled.recv()
        assert stalled.close_code == 4408
        await active.close()


async def test_since_version_ahead_of_the_room_gets_a_snapshot(live_server, team):
    campaign_id, tokens = team
    editor = await Editor.join(live_server, campaign_id, tokens["owner"], since_version=99)
    message = await editor.next("snapshot", "replay")
    assert message["type"] == "snapshot" and message["version"] == 0
    await editor.close()
