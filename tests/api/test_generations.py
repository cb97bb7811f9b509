"""AI generations end to end: request -> outbox -> SAQ job -> provider -> canvas; quota; failures."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.entrypoints.app import create_app
from tests.conftest import make_settings
from tests.fakes.openai_server import FakeOpenAI
from tests.support.api import assert_problem, bearer, login, register
from tests.support.database import query
from tests.support.servers import serve
from tests.support.ws import Editor


async def _owner_and_campaign(client: httpx.AsyncClient, name: str = "gen_owner") -> tuple[dict[str, str], str, str]:
    await register(client, name)
    tokens = await login(client, name)
    campaign = (
        await client.post(
            "/api/campaigns", headers=bearer(tokens), json={"name": "Riverside Offices", "description": "Floors 3-5"}
        )
    ).json()
    return bearer(tokens), tokens["access_token"], campaign["id"]


async def _wait_for_status(client, headers, generation_id, statuses, timeout=30.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        body = (await client.get(f"/api/generations/{generation_id}", headers=headers)).json()
        if body["status"] in statuses:
            return body
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"generation stuck in {body['status']}: {body}")
        await asyncio.sleep(0.1)


async def test_full_ad_lands_on_the_canvas_with_progress_events(client, live_server, settings):
    headers, token, campaign_id = await _owner_and_campaign(client)
    editor = await Editor.join(live_server, campaign_id, token)
    await editor.next("snapshot")

    response = await client.post(
        f"/api/campaigns/{campaign_id}/generations",
        headers=headers,
        json={"kind": "full_ad", "brief": "Three months free"},
    )
    assert response.status_code == 202, response.text
    generation = response.json()
    assert generation["status"] == "pending"

    done = await _wait_for_status(client, headers, generation["id"], {"completed", "failed"})
    assert done["status"] == "completed", done
    copy = done["result"]["ad_copy"]
    assert 3 <= len(copy["headlines"]) <= 15 and all(len(h) <= 30 for h in copy["headlines"])
    assert 2 <= len(copy["descriptions"]) <= 4 and all(len(d) <= 90 for d in copy["descriptions"])

    canvas = (await client.get(f"/api/campaigns/{campaign_id}/canvas", headers=headers)).json()
    layers = canvas["document"]["layers"]
    assert (
        layers[0]["type"] == "image" and layers[0]["props"]["object_key"] == done["result"]["background"]["object_key"]
    )
    assert [layer["props"]["text"] for layer in layers if layer["type"] == "text"] == [
        copy["headlines"][0],
        copy["descriptions"][0],
    ]
    campaign = (await client.get(f"/api/campaigns/{campaign_id}", headers=headers)).json()
    assert campaign["ai_status"] == "completed"

    statuses = []
    while "completed" not in statuses:
        statuses.append((await editor.next("generation"))["status"])
    assert statuses[0] == "pending" and "processing" in statuses
    # The editor also received the layers as ordinary ops.
    assert sum(1 for m in editor.seen if m["type"] == "op") == 3
    await editor.close()

    png = await client.post(f"/api/campaigns/{campaign_id}/canvas/export", headers=headers)
    assert png.status_code == 200


async def test_quota_is_enforced_with_retry_after(clean_db, tmp_path):
    settings = make_settings(clean_db, tmp_path, ai_quota_per_hour=2)
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        headers, _, campaign_id = await _owner_and_campaign(client)
        url = f"/api/campaigns/{campaign_id}/generations"
        for _ in range(2):
            assert (await client.post(url, headers=headers, json={"kind": "ad_copy"})).status_code == 202
        limited = await client.post(url, headers=headers, json={"kind": "ad_copy"})
        assert_problem(limited, 429, "ai-quota-exceeded")
        assert 3500 <= int(limited.headers["retry-after"]) <= 3600
    assert query(clean_db, "SELECT count(*) FROM generations") == [(2,)]


async def test_failing_provider_is_retried_then_failed_with_the_reason(clean_db, tmp_path):
    fake = FakeOpenAI(fail_with=503)
    async with serve(fake.app()) as openai_url:
        settings = make_settings(
            clean_db,
            tmp_path,
            ai_text_provider="openai",
            openai_base_url=f"{openai_url}/v1",
            job_retries=3,
            job_retry_delay_seconds=0.05,
            job_max_retry_delay_seconds=0.2,
        )
        async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
            headers, _, campaign_id = await _owner_and_campaign(client)
            generation = (
                await client.post(
                    f"/api/campaigns/{campaign_id}/generations", headers=headers, json={"kind": "ad_copy"}
                )
            ).json()
            failed = await _wait_for_status(client, headers, generation["id"], {"failed", "completed"})
            campaign = (await client.get(f"/api/campaigns/{campaign_id}", headers=headers)).json()
    assert failed["status"] == "failed"
    assert failed["attempts"] == 3
    assert (
        "InternalServerError" in failed["error"] or "503" in failed["error"] or "ServiceUnavailable" in failed["error"]
    )
    assert campaign["ai_status"] == "failed"
    assert len(fake.requests) == 3
    assert query(clean_db, "SELECT count(*) FROM generations WHERE status = 'processing'") == [(0,)]


async def test_outsiders_cannot_request_or_read_generations(client, settings):
    headers, _, campaign_id = await _owner_and_campaign(client)
    generation = (
        await client.post(f"/api/campaigns/{campaign_id}/generations", headers=headers, json={"kind": "ad_copy"})
    ).json()
    await register(client, "gen_outsider")
    outsider = bearer(await login(client, "gen_outsider"))
    assert_problem(
        await client.get(f"/api/generations/{generation['id']}", headers=outsider), 404, "generation-not-found"
    )
    assert_problem(
        await client.post(f"/api/campaigns/{campaign_id}/generations", headers=outsider, json={"kind": "ad_copy"}), 404
    )
    assert_problem(
        await client.post(f"/api/campaigns/{campaign_id}/generations", headers=headers, json={"kind": "poem"}), 422
    )
    listing = (await client.get(f"/api/campaigns/{campaign_id}/generations", headers=headers)).json()
    assert [g["id"] for g in listing["items"]] == [generation["id"]]


@pytest.mark.parametrize("kind", ["ad_copy", "background", "product_image"])
async def test_each_kind_completes_offline(client, kind):
    headers, _, campaign_id = await _owner_and_campaign(client, f"kind_{kind}")
    generation = (
        await client.post(f"/api/campaigns/{campaign_id}/generations", headers=headers, json={"kind": kind})
    ).json()
    done = await _wait_for_status(client, headers, generation["id"], {"completed", "failed"})
    assert done["status"] == "completed", done


@pytest.mark.slow
async def test_killing_the_worker_mid_job_does_not_lose_the_generation(clean_db, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    fake = FakeOpenAI(delay_seconds=120, slow_first_requests=1)  # the first attempt hangs until we kill its worker
    async with serve(fake.app()) as openai_url:
        overrides = {
            "ai_text_provider": "openai",
            "openai_base_url": f"{openai_url}/v1",
            "job_heartbeat_seconds": 2,
            "job_retry_delay_seconds": 0.1,
        }
        settings = make_settings(clean_db, tmp_path, run_worker_in_process=False, **overrides)
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env.update({name.upper(): str(value) for name, value in overrides.items()})
        env.update(
            DATABASE_URL=clean_db,
            MAIL_OUTBOX_DIR=str(tmp_path / "mail"),
            MEDIA_ROOT=str(tmp_path / "media"),
            OUTBOX_POLL_SECONDS="0.05",
            WORKER_SHUTDOWN_GRACE_SECONDS="1",
            LOG_LEVEL="WARNING",
        )

        def start_worker() -> subprocess.Popen:
            return subprocess.Popen([sys.executable, "-m", "app.entrypoints.cli", "worker"], env=env)

        first = start_worker()
        second = None
        try:
            async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
                headers, _, campaign_id = await _owner_and_campaign(client)
                generation = (
                    await client.post(
                        f"/api/campaigns/{campaign_id}/generations", headers=headers, json={"kind": "ad_copy"}
                    )
                ).json()
                await _wait_for_status(client, headers, generation["id"], {"processing"})
                while not fake.requests:  # the provider call is in flight
                    await asyncio.sleep(0.05)
                first.send_signal(signal.SIGKILL)
                first.wait(10)
                second = start_worker()
                done = await _wait_for_status(client, headers, generation["id"], {"completed", "failed"}, timeout=60)
        finally:
            for process in (first, second):
                if process and process.poll() is None:
                    process.terminate()
                    process.wait(20)
    assert done["status"] == "completed", done
    assert done["attempts"] == 2
    assert len(fake.requests) == 2


async def test_guests_see_generation_results_after_an_ad(client, settings):
    guest = (await client.post("/api/auth/guests", json={"email": "guest-gen@example.com"})).json()
    headers = bearer(guest["tokens"])
    campaign = (await client.post("/api/campaigns", headers=headers, json={"name": "Guest gen"})).json()
    generation = (
        await client.post(f"/api/campaigns/{campaign['id']}/generations", headers=headers, json={"kind": "ad_copy"})
    ).json()
    locked = await _wait_for_status(client, headers, generation["id"], {"completed"})
    assert locked["result_locked"] is True and locked["result"] == {}
    view = (await client.post("/api/ads/views", headers=headers)).json()
    await client.post(f"/api/ads/views/{view['id']}/complete", headers=headers)
    unlocked = (await client.get(f"/api/generations/{generation['id']}", headers=headers)).json()
    assert unlocked["result_locked"] is False and unlocked["result"]["ad_copy"]["headlines"]


async def test_an_ad_must_run_its_length(clean_db, tmp_path):
    settings = make_settings(clean_db, tmp_path, ad_view_seconds=30)
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        guest = (await client.post("/api/auth/guests", json={"phone": "+91 98765 43210"})).json()
        headers = bearer(guest["tokens"])
        view = (await client.post("/api/ads/views", headers=headers)).json()
        assert_problem(
            await client.post(f"/api/ads/views/{view['id']}/complete", headers=headers), 409, "ad-not-finished"
        )
