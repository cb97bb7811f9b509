"""Fixtures for the hostile-client tests: users and a campaign (billing fixtures are in tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.api import bearer, login, register


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
