"""Canvas REST: history, restore, PNG export."""

from __future__ import annotations

import io

from PIL import Image

from tests.support.api import assert_problem, bearer, login, register
from tests.support.database import query
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


def make_subscriber(database_url: str, username: str) -> None:
    """Fixture data: an active platform subscription, as if paid through billing."""
    query(
        database_url,
        "WITH plan AS (INSERT INTO billing_plans (id, owner_id, name, description, benefits, amount_minor, currency, interval, active)"
        " VALUES (gen_random_uuid(), NULL, 'Pro', '', '[]', 99900, 'INR', 'monthly', true) RETURNING id)"
        " INSERT INTO billing_subscriptions (id, user_id, plan_id, gateway_subscription_id, status, cancel_at_cycle_end, last_event_at)"
        " SELECT gen_random_uuid(), u.id, plan.id, 'sub_' || md5(random()::text), 'active', false, 0"
        " FROM users u, plan WHERE u.username = %s RETURNING id",
        username,
    )


async def test_export_renders_the_document_to_png(client, live_server, settings):
    campaign_id, headers, editor = await _campaign_with_editor(client, live_server)
    make_subscriber(settings.database_url, "painter")
    await editor.op("bg", {"kind": "set_canvas", "width": 200, "height": 100, "background": "#ffffff"})
    await editor.op("r", add_rect("red", x=10, y=10, width=50, height=50, fill="#ff0000"))
    await editor.op(
        "t",
        {
            "kind": "add_layer",
            "layer": {
                "id": "txt",
                "type": "text",
                "props": {"x": 100, "y": 20, "text": "Hi", "fontSize": 30, "fill": "#000000"},
            },
        },
    )
    await editor.op(
        "img",
        {
            "kind": "add_layer",
            "layer": {
                "id": "pic",
                "type": "image",
                "props": {
                    "x": 150,
                    "y": 60,
                    "width": 40,
                    "height": 30,
                    "object_key": f"campaigns/{campaign_id}/logo.png",
                },
            },
        },
    )
    for _ in range(4):
        await editor.next("ack")
    logo = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 255)).save(logo, format="PNG")
    await live_server_storage(settings).put(
        f"campaigns/{campaign_id}/logo.png", logo.getvalue(), content_type="image/png"
    )

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
    make_subscriber(settings.database_url, "painter")  # full-size export, no watermark over the pixels
    secret = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 255, 0)).save(secret, format="PNG")
    await live_server_storage(settings).put(
        "users/someone-else/private.png", secret.getvalue(), content_type="image/png"
    )
    await editor.op("bg", {"kind": "set_canvas", "width": 50, "height": 50})
    await editor.op(
        "img",
        {
            "kind": "add_layer",
            "layer": {
                "id": "pic",
                "type": "image",
                "props": {"x": 0, "y": 0, "width": 50, "height": 50, "object_key": "users/someone-else/private.png"},
            },
        },
    )
    await editor.next("ack")
    await editor.next("ack")
    image = Image.open(
        io.BytesIO((await client.post(f"/api/campaigns/{campaign_id}/canvas/export", headers=headers)).content)
    ).convert("RGB")
    assert image.getpixel((25, 25)) != (0, 255, 0)
    await editor.close()


def live_server_storage(settings):
    from app.adapters.local_storage.files import LocalObjectStorage

    return LocalObjectStorage(settings.media_root)


async def test_free_exports_are_half_size_and_watermarked(client, live_server):
    campaign_id, headers, editor = await _campaign_with_editor(client, live_server, name="free_painter")
    await editor.op("bg", {"kind": "set_canvas", "width": 800, "height": 400, "background": "#ffffff"})
    await editor.next("ack")
    image = Image.open(
        io.BytesIO((await client.post(f"/api/campaigns/{campaign_id}/canvas/export", headers=headers)).content)
    ).convert("RGB")
    assert image.size == (400, 200)
    corner = image.crop((200, 180, 400, 200)).convert("L")
    assert corner.getextrema()[0] < 200  # the watermark band darkens the bottom-right corner
    assert image.getpixel((10, 10)) == (255, 255, 255)
    await editor.close()


async def test_guests_watch_an_ad_before_exporting(client, live_server, settings):
    guest = (await client.post("/api/auth/guests", json={"email": "guest-painter@example.com"})).json()
    headers = bearer(guest["tokens"])
    campaign = (await client.post("/api/campaigns", headers=headers, json={"name": "Guest ad"})).json()
    url = f"/api/campaigns/{campaign['id']}/canvas/export"
    assert_problem(await client.post(url, headers=headers), 402, "ad-view-required")
    view = (await client.post("/api/ads/views", headers=headers)).json()
    assert view["seconds"] == settings.ad_view_seconds
    done = await client.post(f"/api/ads/views/{view['id']}/complete", headers=headers)
    assert done.status_code == 200, done.text
    assert (await client.post(url, headers=headers)).status_code == 200
