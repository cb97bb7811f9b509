"""Files: exports embed only the campaign's own media (local and S3), uploads are immutable once
completed, signed URLs are opaque, file names are safe in headers; exports are bounded in cost."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from PIL import Image

from app.entrypoints.app import build_services, create_app
from tests.api.test_canvas_rest import make_subscriber
from tests.conftest import make_settings
from tests.support.api import assert_problem, bearer, login, register
from tests.support.database import query
from tests.support.servers import free_port, serve
from tests.support.ws import Editor


def png(color: tuple[int, int, int], size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(params=["local", "s3"])
async def app(request: Any, clean_db: str, tmp_path: Any) -> AsyncIterator[httpx.AsyncClient]:
    port = free_port()
    extra: dict[str, Any] = {"public_base_url": f"http://127.0.0.1:{port}", "exports_per_minute": 1000}
    if request.param == "s3":
        moto = request.getfixturevalue("moto_server")
        extra.update(storage_backend="s3", s3_bucket=f"atelier-sec-{port}", s3_endpoint_url=moto, s3_create_bucket=True)
    settings = make_settings(clean_db, tmp_path, **extra)
    services = build_services(settings)
    async with (
        serve(create_app(settings, services), port=port) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as client,
    ):
        client.settings = settings  # type: ignore[attr-defined]
        client.storage = services.storage  # type: ignore[attr-defined]
        client.base_url_str = base_url  # type: ignore[attr-defined]
        yield client


async def _user(client: httpx.AsyncClient, name: str) -> dict[str, str]:
    await register(client, name)
    return bearer(await login(client, name))


async def _upload(
    client: httpx.AsyncClient, headers: dict[str, str], data: bytes, filename: str = "pic.png"
) -> tuple[str, dict[str, Any]]:
    started = await client.post(
        "/api/media/uploads",
        headers=headers,
        json={"filename": filename, "content_type": "image/png", "size": len(data), "visibility": "private"},
    )
    assert started.status_code == 201, started.text
    target = started.json()["upload"]
    await _send(target, data, filename)
    completed = await client.post(f"/api/media/{started.json()['media']['id']}/complete", headers=headers)
    assert completed.status_code == 200, completed.text
    return started.json()["media"]["id"], target


async def _send(target: dict[str, Any], data: bytes, filename: str = "pic.png") -> httpx.Response:
    async with httpx.AsyncClient() as raw:
        if target["method"] == "PUT":
            return await raw.put(target["url"], content=data, headers=target["headers"])
        return await raw.post(target["url"], data=target["fields"], files={"file": (filename, data, "image/png")})


async def test_export_never_embeds_another_users_file_however_the_key_is_written(app: httpx.AsyncClient) -> None:
    client: Any = app
    owner = await _user(client, "painter")
    victim = await _user(client, "victim")
    make_subscriber(client.settings.database_url, "painter")  # full size, no watermark over the pixels
    media_id, _ = await _upload(client, victim, png((0, 255, 0)))
    secret_key = query(client.settings.database_url, "SELECT key FROM media_objects WHERE id = %s", media_id)[0][0]
    campaign = (await client.post("/api/campaigns", headers=owner, json={"name": "Heist"})).json()
    own = f"campaigns/{campaign['id']}/"
    await client.storage.put(own + "logo.png", png((0, 0, 255)), content_type="image/png")
    attempts = [
        own + "../../" + secret_key,
        own + "..%2F..%2F" + secret_key,
        own + "./../../" + secret_key,
        own + "/../../" + secret_key,
        "/" + secret_key,
        secret_key,
        own.rstrip("/") + "\\..\\..\\" + secret_key,
    ]
    editor = await Editor.join(client.base_url_str, campaign["id"], owner["Authorization"].split()[1])
    await editor.next("snapshot")
    await editor.op("size", {"kind": "set_canvas", "width": 20 * (len(attempts) + 1), "height": 20})
    for i, key in enumerate([own + "logo.png", *attempts]):
        layer = {
            "id": f"img{i}",
            "type": "image",
            "props": {"x": 20 * i, "y": 0, "width": 20, "height": 20, "object_key": key},
        }
        await editor.op(f"img{i}", {"kind": "add_layer", "layer": layer})
    for _ in range(len(attempts) + 2):
        await editor.next("ack")
    exported = await client.post(f"/api/campaigns/{campaign['id']}/canvas/export", headers=owner)
    assert exported.status_code == 200, exported.text
    image = Image.open(io.BytesIO(exported.content)).convert("RGB")
    assert image.getpixel((10, 10)) == (0, 0, 255)  # the campaign's own file is embedded
    for i in range(1, len(attempts) + 1):
        assert image.getpixel((20 * i + 10, 10)) != (0, 255, 0), attempts[i - 1]
    await editor.close()


async def test_a_completed_upload_cannot_be_replaced_through_its_upload_url(app: httpx.AsyncClient) -> None:
    client: Any = app
    owner = await _user(client, "uploader")
    original = png((10, 20, 30), (16, 16))
    media_id, target = await _upload(client, owner, original)
    again = await _send(target, png((250, 0, 0), (16, 16)))
    if target["method"] == "PUT":
        assert_problem(again, 403, "upload-closed")
    media = (await client.get(f"/api/media/{media_id}", headers=owner)).json()
    async with httpx.AsyncClient() as raw:
        served = await raw.get(media["download_url"])
    assert served.content == original


async def test_signed_urls_do_not_reveal_the_storage_key(app: httpx.AsyncClient) -> None:
    client: Any = app
    owner = await _user(client, "keyholder")
    media_id, _ = await _upload(client, owner, png((1, 2, 3)), filename="holiday.png")
    key = query(client.settings.database_url, "SELECT key FROM media_objects WHERE id = %s", media_id)[0][0]
    owner_id = (await client.get("/api/users/me", headers=owner)).json()["id"]
    url = (await client.get(f"/api/media/{media_id}", headers=owner)).json()["download_url"]
    # Keys are opaque (no owner, no file name); local tokens are encrypted, so not even that key shows.
    assert owner_id not in key and "holiday" not in key
    assert owner_id not in unquote(url) and "holiday" not in unquote(url).split("?")[0]
    if client.settings.storage_backend == "local":
        assert key not in unquote(url)


@pytest.mark.parametrize(
    "name",
    ["报告.png", "a\r\nSet-Cookie: x=1.png", "x\"; filename*=UTF-8''evil.exe", "..\\..\\boot.png", "naïve café.png"],
)
async def test_downloads_carry_a_safe_content_disposition(app: httpx.AsyncClient, name: str) -> None:
    client: Any = app
    owner = await _user(client, "namer")
    media_id, _ = await _upload(client, owner, png((4, 5, 6)), filename=name)
    media = (await client.get(f"/api/media/{media_id}", headers=owner)).json()
    assert "\r" not in media["filename"] and "\n" not in media["filename"] and '"' not in media["filename"]
    assert "/" not in media["filename"] and "\\" not in media["filename"]
    async with httpx.AsyncClient() as raw:
        served = await raw.get(media["download_url"])
    assert served.status_code == 200
    assert "set-cookie" not in served.headers
    if client.settings.storage_backend == "s3":
        # S3 sends the header we sign into the URL (moto does not echo it back, so read what we signed).
        signed = httpx.URL(media["download_url"]).params["response-content-disposition"]
        header = signed
    else:
        header = served.headers["content-disposition"]
    header.encode("ascii")  # never anything but ASCII on the wire
    assert "\r" not in header and "\n" not in header
    assert header.count("filename=") == 1 and header.count("filename*=") <= 1
    if not name.isascii():
        assert "filename*=UTF-8''" in header
        assert unquote(header.split("filename*=UTF-8''")[1]) == media["filename"]


# -- export cost ------------------------------------------------------------------------------------


async def test_a_frame_with_more_group_children_than_allowed_is_refused(client, live_server) -> None:
    headers = await _user(client, "grouper")
    campaign = (await client.post("/api/campaigns", headers=headers, json={"name": "Groups"})).json()
    editor = await Editor.join(live_server, campaign["id"], headers["Authorization"].split()[1])
    await editor.next("snapshot")
    tiny = [{"id": str(i), "type": "rect"} for i in range(1500)]  # ~40 KiB: fits one frame
    await editor.op(
        "big-group", {"kind": "add_layer", "layer": {"id": "g", "type": "group", "props": {"children": tiny}}}
    )
    assert (await editor.next("error"))["code"] == "group-too-large"
    deep: dict[str, Any] = {"id": "leaf", "type": "rect", "props": {}}
    for depth in range(10):
        deep = {"id": f"g{depth}", "type": "group", "props": {"children": [deep]}}
    await editor.op("deep-group", {"kind": "add_layer", "layer": deep})
    assert (await editor.next("error"))["code"] == "group-too-deep"
    await editor.op(
        "fine", {"kind": "add_layer", "layer": {"id": "ok", "type": "group", "props": {"children": tiny[:50]}}}
    )
    assert (await editor.next("ack"))["client_op_id"] == "fine"
    await editor.close()


async def test_huge_canvases_export_at_a_capped_size_and_costly_ones_stop_with_422(clean_db, tmp_path) -> None:
    settings = make_settings(clean_db, tmp_path, export_max_pixels=512 * 512)
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        headers = await _user(client, "big")
        make_subscriber(settings.database_url, "big")
        campaign = (await client.post("/api/campaigns", headers=headers, json={"name": "Huge"})).json()
        editor = await Editor.join(base_url, campaign["id"], headers["Authorization"].split()[1])
        await editor.next("snapshot")
        await editor.op("size", {"kind": "set_canvas", "width": 8192, "height": 4096})
        rects = [
            {
                "id": f"r{i}",
                "type": "rect",
                "props": {"x": 0, "y": 0, "width": 8192, "height": 4096, "fill": "#ff0000", "opacity": 0.5},
            }
            for i in range(40)
        ]
        await editor.op(
            "group", {"kind": "add_layer", "layer": {"id": "g", "type": "group", "props": {"children": rects}}}
        )
        await editor.next("ack")
        await editor.next("ack")
        exported = await client.post(f"/api/campaigns/{campaign['id']}/canvas/export", headers=headers)
        assert exported.status_code == 200, exported.text
        width, height = Image.open(io.BytesIO(exported.content)).size
        assert width * height <= 512 * 512 and width == 2 * height
        await editor.close()

    settings = make_settings(clean_db, tmp_path, export_timeout_seconds=0.0)
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        headers = bearer(await login(client, "big"))
        assert_problem(
            await client.post(f"/api/campaigns/{campaign['id']}/canvas/export", headers=headers),
            422,
            "export-too-complex",
        )


async def test_exports_are_rate_limited_per_user_with_retry_after(clean_db, tmp_path) -> None:
    settings = make_settings(clean_db, tmp_path, exports_per_minute=2)
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        headers = await _user(client, "exporter")
        make_subscriber(settings.database_url, "exporter")
        campaign = (await client.post("/api/campaigns", headers=headers, json={"name": "Often"})).json()
        url = f"/api/campaigns/{campaign['id']}/canvas/export"
        assert (await client.post(url, headers=headers)).status_code == 200
        assert (await client.post(url, headers=headers)).status_code == 200
        limited = assert_problem(await client.post(url, headers=headers), 429, "rate-limited")
        assert limited
        retry = (await client.post(url, headers=headers)).headers["retry-after"]
        assert 1 <= int(retry) <= 60
