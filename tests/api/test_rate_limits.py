"""Rate limits on the credential endpoints, per client address and per bucket."""

from __future__ import annotations

import httpx

from app.entrypoints.app import create_app
from tests.conftest import make_settings
from tests.support.api import assert_problem
from tests.support.servers import serve


async def test_login_is_rate_limited_with_a_problem_response(clean_db, tmp_path):
    settings = make_settings(clean_db, tmp_path, auth_rate_limit_per_minute=3)
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        attempt = {"login": "someone", "password": "Wrong-Passw0rd!"}
        statuses = [(await client.post("/api/auth/login", json=attempt)).status_code for _ in range(3)]
        assert statuses == [401, 401, 401]
        limited = await client.post("/api/auth/login", json=attempt)
        assert_problem(limited, 429, "rate-limited")
        # Another bucket is counted separately.
        reset = await client.post("/api/auth/password/reset", json={"email": "a@example.com"})
        assert reset.status_code == 202
