"""Named canvas versions and JSON-Patch diffs between versions, over real HTTP and a real websocket; the
patches are applied with an independent RFC 6902 implementation (jsonpatch)."""

from __future__ import annotations

import copy

import jsonpatch

from tests.support.api import assert_problem, bearer, login, register, set_role
from tests.support.ws import Editor, add_rect

EMPTY = {"width": 1080, "height": 1080, "background": "#ffffff", "layers": []}


async def test_versions_are_named_listed_and_diffed(client, live_server, settings) -> None:
    await register(client, "author")
    await register(client, "reader")
    set_role(settings.database_url, "reader", "viewer")
    author, reader = await login(client, "author"), await login(client, "reader")
    campaign = (await client.post("/api/campaigns", headers=bearer(author), json={"name": "Versions"})).json()["id"]
    editor = await Editor.join(live_server, campaign, author["access_token"])
    await editor.next("snapshot")
    ops = [
        add_rect("a", x=1),
        add_rect("b", x=2),
        {"kind": "update_layer", "layer_id": "a", "props": {"x": 50, "fill": "#ff0000"}},
        add_rect("c/~odd", x=3),
        {"kind": "remove_layer", "layer_id": "b"},
    ]
    for n, op in enumerate(ops):
        await editor.op(f"v{n}", op)
        assert (await editor.next("ack"))["version"] == n + 1
    await editor.close()
    url = f"/api/campaigns/{campaign}/canvas"
    named = await client.post(
        f"{url}/named-versions", headers=bearer(author), json={"name": "First draft", "version": 2}
    )
    assert named.status_code == 201, named.text
    current = await client.post(f"{url}/named-versions", headers=bearer(author), json={"name": "  Sent  "})
    assert current.json()["version"] == 5 and current.json()["name"] == "Sent"
    renamed = await client.post(f"{url}/named-versions", headers=bearer(author), json={"name": "Draft 1", "version": 2})
    assert renamed.status_code == 201
    listed = (await client.get(f"{url}/named-versions", headers=bearer(reader))).json()
    assert [(n["version"], n["name"]) for n in listed] == [(5, "Sent"), (2, "Draft 1")]

    document = (await client.get(url, headers=bearer(author))).json()["document"]

    async def diff(a: int, b: int) -> list:
        response = await client.get(f"{url}/versions/{a}/diff/{b}", headers=bearer(reader))
        assert response.status_code == 200, response.text
        assert (response.json()["from_version"], response.json()["to_version"]) == (a, b)
        return response.json()["patch"]

    states = {v: jsonpatch.apply_patch(copy.deepcopy(EMPTY), await diff(0, v)) for v in range(6)}
    assert states[5] == document
    assert [layer["id"] for layer in states[2]["layers"]] == ["a", "b"]
    for a, b in ((2, 5), (5, 2), (1, 4), (3, 3)):
        assert jsonpatch.apply_patch(copy.deepcopy(states[a]), await diff(a, b)) == states[b]
    assert await diff(3, 3) == []
    assert await diff(2, 3) == [
        {"op": "replace", "path": "/layers/0/props/x", "value": 50},
        {"op": "add", "path": "/layers/0/props/fill", "value": "#ff0000"},
    ]
    assert any(op["path"] == "/layers/2" and op["op"] == "add" for op in await diff(3, 4))  # "c/~odd" is a value

    # Readers read; only editors name; unknown versions and campaigns are 404.
    assert_problem(await client.post(f"{url}/named-versions", headers=bearer(reader), json={"name": "x"}), 403)
    assert_problem(await client.delete(f"{url}/named-versions/2", headers=bearer(reader)), 403)
    assert_problem(await client.get(f"{url}/versions/0/diff/6", headers=bearer(author)), 404, "version-not-found")
    assert_problem(
        await client.post(f"{url}/named-versions", headers=bearer(author), json={"name": "x", "version": 9}),
        404,
        "version-not-found",
    )
    assert_problem(await client.post(f"{url}/named-versions", headers=bearer(author), json={"name": "   "}), 422)
    assert_problem(await client.post(f"{url}/named-versions", headers=bearer(author), json={"name": "x" * 101}), 422)
    assert_problem(await client.get(f"{url}/versions/-1/diff/2", headers=bearer(author)), 422)
    other = await client.post("/api/campaigns", headers=bearer(reader), json={"name": "nope"})
    assert other.status_code == 403  # viewers create nothing
    await register(client, "stranger")
    stranger = await login(client, "stranger")
    assert_problem(await client.get(f"{url}/versions/0/diff/1", headers=bearer(stranger)), 404, "campaign-not-found")
    assert_problem(await client.get(f"{url}/named-versions", headers=bearer(stranger)), 404)
    assert (await client.delete(f"{url}/named-versions/2", headers=bearer(author))).status_code == 204
    assert_problem(await client.delete(f"{url}/named-versions/2", headers=bearer(author)), 404, "version-not-found")
    assert [n["version"] for n in (await client.get(f"{url}/named-versions", headers=bearer(author))).json()] == [5]
