"""Canvas REST: history, restore, PNG export."""

from __future__ import annotations

import io

from PIL import Image

from tests.support.api import assert_problem, bearer, login, register
from tests.support.ws import Editor, add_rect


async def _campaign_with_editor(client, live_server, name="painter"):
    await register(client, name)
    headers = bearer(await login(client, name))
    campaign = (await client.post("/api/campaigns", headers=headers, json={"name": "Canvas"})).json()
    token = headers["Authorization"].split()[1]
    editor = await Editor.join(live_server, campaign["id"], token)
    await editor.next("snapshot")
    return campaign["id"], headers, editor


async def test_history_lists_edit_records_and_restore_rewinds(client, live_server):
    campaign_id, headers, editor = await _campaign_with_editor(client, live_server)
    await editor.op("a", add_rect("first"))
    await editor.op("b", add_rect("second"))
    await editor.op("c", {"kind": "remove_layer", "layer_id": "first"})
    for _ in range(3):
        await editor.next("ack")
    history = (await client.get(f"/api/campaigns/{campaign_id}/canvas/versions", headers=headers)).json()
    assert [e["version"] for e in history["items"]] == [3, 2, 1]
    assert history["items"][0]["op"] == {"kind": "remove_layer", "layer_id": "first"}

    restored = await client.post(f"/api/campaigns/{campaign_id}/canvas/versions/2/restore", headers=headers)
    assert restored.status_code == 200, restored.text
    assert restored.json()["version"] == 4
    # Live editors hear about the restore like any other op.
    broadcast = await editor.next("op")
    assert broadcast["version"] == 4 and broadcast["op"]["kind"] == "replace_document"
    canvas = (await client.get(f"/api/campaigns/{campaign_id}/canvas", headers=headers)).json()
    assert [layer["id"] for layer in canvas["document"]["layers"]] == ["first", "second"]
    assert_problem(await client.post(f"/api/campaigns/{campaign_id}/canvas/versions/99/restore", headers=headers), 404)
    await editor.close()


async def test_export_renders_the_document_to_png(client, live_server, settings):
    campaign_id, headers, editor = await _campaign_with_editor(client, live_server)
    await editor.op("bg", {"kind": "set_canvas", "width": 200, "height": 100, "background": "#ffffff"})
    await editor.op("r", add_rect("red", x=10, y=10, width=50, height=50, fill="#ff0000"))
    await editor.op("t", {"kind": "add_layer", "layer": {"id": "txt", "type": "text", "props": {"x": 100, "y": 20, "text": "Hi", "fontSize": 30, "fill": "#000000"}}})
    await editor.op("img", {"kind": "add_layer", "layer": {"id": "pic", "type": "image", "props": {"x": 150, "y": 60, "width": 40, "height": 30, "object_key": f"campaigns/{campaign_id}/logo.png"}}})
    for _ in range(4):
        await editor.next("ack")
    logo = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 255)).save(logo, format="PNG")
    await live_server_storage(settings).put(f"campaigns/{campaign_id}/logo.png", logo.getvalue(), content_type="image/png")

    response = await client.post(f"/api/campaigns/{campaign_id}/canvas/export", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert image.size == (200, 100)
    assert image.getpixel((30, 30)) == (255, 0, 0)
    assert image.getpixel((5, 5)) == (255, 255, 255)
    assert image.getpixel((170, 75)) == (0, 0, 255)
    text_box = image.crop((100, 20, 140, 50))
    assert text_box.convert("L").getextrema()[0] < 100  # some dark text pixels
    await editor.close()


async def test_export_never_embeds_media_of_other_campaigns(client, live_server, settings):
    campaign_id, headers, editor = await _campaign_with_editor(client, live_server)
    secret = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 255, 0)).save(secret, format="PNG")
    await live_server_storage(settings).put("users/someone-else/private.png", secret.getvalue(), content_type="image/png")
    await editor.op("bg", {"kind": "set_canvas", "width": 50, "height": 50})
    await editor.op("img", {"kind": "add_layer", "layer": {"id": "pic", "type": "image", "props": {"x": 0, "y": 0, "width": 50, "height": 50, "object_key": "users/someone-else/private.png"}}})
    await editor.next("ack")
    await editor.next("ack")
    image = Image.open(io.BytesIO((await client.post(f"/api/campaigns/{campaign_id}/canvas/export", headers=headers)).content)).convert("RGB")
    assert image.getpixel((25, 25)) != (0, 255, 0)
    await editor.close()


def live_server_storage(settings):
    from app.adapters.local_storage.files import LocalObjectStorage

    return LocalObjectStorage(settings.media_root)
