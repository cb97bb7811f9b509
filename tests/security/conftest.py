"""Fixtures for the hostile-client tests: users, a campaign, billing against the Razorpay fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from app.entrypoints.app import create_app
from tests.conftest import make_settings
from tests.fakes.razorpay_server import KEY_ID, KEY_SECRET, WEBHOOK_SECRET, FakeRazorpay
from tests.support.api import bearer, login, register
from tests.support.servers import serve


@pytest.fixture
async def alice(client: httpx.AsyncClient) -> dict[str, str]:
    await register(client, "alice")
    return bearer(await login(client, "alice"))


@pytest.fixture
async def bob(client: httpx.AsyncClient) -> dict[str, str]:
    await register(client, "bob")
    return bearer(await login(client, "bob"))


@pytest.fixture
async def campaign(client: httpx.AsyncClient, alice: dict[str, str]) -> dict[str, Any]:
    created = await client.post("/api/campaigns", headers=alice, json={"name": "Spring launch"})
    assert created.status_code == 201, created.text
    return created.json()


@pytest.fixture
async def rzp() -> AsyncIterator[FakeRazorpay]:
    fake = FakeRazorpay()
    async with serve(fake.app()) as url:
        fake.url = url
        yield fake


@pytest.fixture
async def paying(clean_db: str, tmp_path: Any, rzp: FakeRazorpay) -> AsyncIterator[httpx.AsyncClient]:
    """An app with billing configured against the Razorpay fake; `creator` has a creator profile, `fan` does not."""
    settings = make_settings(
        clean_db, tmp_path, razorpay_key_id=KEY_ID, razorpay_key_secret=KEY_SECRET, razorpay_webhook_secret=WEBHOOK_SECRET,
        razorpay_base_url=rzp.url,
    )
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        await register(client, "creator")
        await register(client, "fan")
        client.creator = bearer(await login(client, "creator"))  # type: ignore[attr-defined]
        client.fan = bearer(await login(client, "fan"))  # type: ignore[attr-defined]
        made = await client.put("/api/creators/me", headers=client.creator, json={"display_name": "Creator"})  # type: ignore[attr-defined]
        assert made.status_code in (200, 201), made.text
        client.creator_id = (await client.get("/api/users/me", headers=client.creator)).json()["id"]  # type: ignore[attr-defined]
        client.fan_id = (await client.get("/api/users/me", headers=client.fan)).json()["id"]  # type: ignore[attr-defined]
        client.settings = settings  # type: ignore[attr-defined]
        yield client
