"""Uploads end to end: presigned target, upload, validation, thumbnails, signed downloads, privacy."""

from __future__ import annotations

import asyncio
import base64
import io
import json

import httpx
import pytest
from PIL import Image

from app.entrypoints.app import create_app
from tests.conftest import make_settings
from tests.support.api import assert_problem, bearer, login, register
from tests.support.servers import free_port, serve


def png_bytes(size=(800, 600), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


async def _user(client, name):
    await register(client, name)
    return bearer(await login(client, name))


async def _upload(
    client: httpx.AsyncClient,
    headers,
    data: bytes,
    *,
    content_type="image/png",
    filename="pic.png",
    visibility="private",
    declared=None,
):
    started = await client.post(
        "/api/media/uploads",
        headers=headers,
        json={
            "filename": filename,
            "content_type": content_type,
            "size": declared or len(data),
            "visibility": visibility,
        },
    )
    assert started.status_code == 201, started.text
    body = started.json()
    target = body["upload"]
    async with httpx.AsyncClient() as raw:
        if target["method"] == "PUT":
            sent = await raw.put(target["url"], content=data, headers=target["headers"])
        else:
            sent = await raw.post(target["url"], data=target["fields"], files={"file": (filename, data, content_type)})
    return body["media"]["id"], sent


async def _wait_thumbnail(client, headers, media_id):
    for _ in range(200):
        media = (await client.get(f"/api/media/{media_id}", headers=headers)).json()
        if media["has_thumbnail"]:
            return media
        await asyncio.sleep(0.05)
    raise AssertionError("no thumbnail")


@pytest.fixture
async def local_app(clean_db, tmp_path):
    port = free_port()
    settings = make_settings(clean_db, tmp_path, public_base_url=f"http://127.0.0.1:{port}", media_max_bytes=2_000_000)
    async with serve(create_app(settings), port=port) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        yield client


async def test_local_upload_validate_thumbnail_and_download(local_app):
    client = local_app
    headers = await _user(client, "uploader")
    data = png_bytes()
    media_id, sent = await _upload(client, headers, data)
    assert sent.status_code == 204, sent.text
    completed = await client.post(f"/api/media/{media_id}/complete", headers=headers)
    assert completed.status_code == 200, completed.text
    assert completed.json()["status"] == "ready"
    assert (completed.json()["width"], completed.json()["height"]) == (800, 600)

    media = await _wait_thumbnail(client, headers, media_id)
    async with httpx.AsyncClient() as raw:
        original = await raw.get(media["download_url"])
        thumb = await raw.get(media["thumbnail_url"])
    assert original.content == data
    assert original.headers["content-type"] == "image/png"
    assert max(Image.open(io.BytesIO(thumb.content)).size) == 320


async def test_private_files_are_invisible_to_others_and_public_ones_are_not(local_app):
    client = local_app
    owner = await _user(client, "owner_m")
    other = await _user(client, "other_m")
    private_id, _ = await _upload(client, owner, png_bytes((10, 10)))
    public_id, _ = await _upload(client, owner, png_bytes((10, 10)), visibility="public")
    for media_id in (private_id, public_id):
        assert (await client.post(f"/api/media/{media_id}/complete", headers=owner)).status_code == 200
    assert_problem(await client.get(f"/api/media/{private_id}", headers=other), 404, "media-not-found")
    assert_problem(await client.get(f"/api/media/{private_id}"), 404)
    assert_problem(await client.post(f"/api/media/{private_id}/complete", headers=other), 404)
    assert_problem(await client.delete(f"/api/media/{private_id}", headers=other), 404)
    anonymous = await client.get(f"/api/media/{public_id}")
    assert anonymous.status_code == 200 and anonymous.json()["download_url"]


async def test_content_that_is_not_what_was_declared_is_rejected_and_deleted(local_app):
    client = local_app
    headers = await _user(client, "liar")
    media_id, sent = await _upload(client, headers, b"%PDF-1.7 not an image at all", content_type="image/png")
    assert sent.status_code == 204
    rejected = await client.post(f"/api/media/{media_id}/complete", headers=headers)
    body = assert_problem(rejected, 422, "media-rejected")
    assert "not image/png" in body["detail"]
    again = await client.post(f"/api/media/{media_id}/complete", headers=headers)
    assert_problem(again, 422, "media-rejected")


async def test_truncated_image_is_rejected(local_app):
    client = local_app
    headers = await _user(client, "truncator")
    media_id, _ = await _upload(client, headers, png_bytes()[:200])
    assert_problem(await client.post(f"/api/media/{media_id}/complete", headers=headers), 422, "media-rejected")


async def test_signed_upload_url_enforces_type_size_and_signature(local_app):
    client = local_app
    headers = await _user(client, "sneak")
    started = (
        await client.post(
            "/api/media/uploads", headers=headers, json={"filename": "a.png", "content_type": "image/png", "size": 100}
        )
    ).json()
    url = started["upload"]["url"]
    async with httpx.AsyncClient() as raw:
        assert_problem(
            await raw.put(url, content=b"x" * 10, headers={"Content-Type": "text/html"}), 403, "upload-not-allowed"
        )
        assert_problem(
            await raw.put(url, content=b"x" * 101, headers={"Content-Type": "image/png"}), 403, "upload-not-allowed"
        )
        tampered = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
        assert_problem(await raw.put(tampered, content=b"x", headers={"Content-Type": "image/png"}), 403)
    assert_problem(
        await client.post(f"/api/media/{started['media']['id']}/complete", headers=headers), 422, "upload-missing"
    )


async def test_upload_requests_are_validated(local_app):
    client = local_app
    headers = await _user(client, "validator")
    bad_type = await client.post(
        "/api/media/uploads",
        headers=headers,
        json={"filename": "x.exe", "content_type": "application/x-msdownload", "size": 10},
    )
    assert_problem(bad_type, 422)
    too_big = await client.post(
        "/api/media/uploads", headers=headers, json={"filename": "x.png", "content_type": "image/png", "size": 10**9}
    )
    assert_problem(too_big, 422)


async def test_s3_backend_against_moto(clean_db, tmp_path, moto_server):
    settings = make_settings(
        clean_db,
        tmp_path,
        storage_backend="s3",
        s3_bucket="atelier-test-media",
        s3_endpoint_url=moto_server,
        s3_create_bucket=True,
    )
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        headers = await _user(client, "s3_user")
        data = png_bytes((400, 400))
        media_id, sent = await _upload(client, headers, data)
        assert sent.status_code in (200, 204), sent.text
        completed = await client.post(f"/api/media/{media_id}/complete", headers=headers)
        assert completed.status_code == 200, completed.text
        media = await _wait_thumbnail(client, headers, media_id)
        async with httpx.AsyncClient() as raw:
            downloaded = await raw.get(media["download_url"])
        assert downloaded.content == data


async def test_s3_presigned_post_carries_type_and_size_conditions(moto_server):
    # moto does not enforce POST policies, so check what we sign.
    from app.adapters.s3.storage import S3ObjectStorage

    storage = S3ObjectStorage(bucket="atelier-policy", region="us-east-1", endpoint_url=moto_server)
    target = await storage.upload_target("users/u/1/a.png", content_type="image/png", max_bytes=1234, expires_in=60)
    policy = json.loads(base64.b64decode(target.fields["policy"]))
    assert {"Content-Type": "image/png"} in policy["conditions"]
    assert ["content-length-range", 1, 1234] in policy["conditions"]
    assert target.fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert target.fields["key"] == "users/u/1/a.png"
