"""Edge policies: security headers, rate limits with Retry-After, a per-account sign-in brake, whose
X-Forwarded-For counts, idempotent money POSTs, and a guest checkout that reveals nobody."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from app.entrypoints.app import create_app
from tests.conftest import make_settings
from tests.fakes.razorpay_server import KEY_ID, KEY_SECRET, WEBHOOK_SECRET
from tests.support.api import STRONG_PASSWORD, assert_problem, register
from tests.support.database import query
from tests.support.servers import serve

# -- headers -----------------------------------------------------------------------------------------


async def test_every_response_says_nosniff_and_forbids_framing(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    responses = [
        await client.get("/health"),
        await client.get("/docs"),
        await client.get("/docs/openapi.json"),
        await client.get("/api/campaigns"),  # 401
        await client.get("/api/campaigns", headers=alice),
        await client.get("/api/no-such-route"),  # unrouted 404
        await client.post("/api/auth/login", json={"login": "alice", "password": "wrong"}),
        await client.delete("/health"),  # 405
    ]
    for response in responses:
        assert response.headers["x-content-type-options"] == "nosniff", response.url
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], response.url
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "strict-transport-security" not in response.headers  # only in production


async def test_tokens_and_personal_data_are_never_cached(client: httpx.AsyncClient, alice: dict[str, str]) -> None:
    for response in (
        await client.post("/api/auth/login", json={"login": "alice", "password": STRONG_PASSWORD}),
        await client.get("/api/users/me", headers=alice),
        await client.post("/api/auth/token/verify", headers=alice, json={}),
        await client.get("/api/notifications", headers=alice),
    ):
        assert response.headers["cache-control"] == "no-store", response.url


async def test_docs_page_has_a_csp_that_lets_only_its_own_assets_run(client: httpx.AsyncClient) -> None:
    policy = (await client.get("/docs")).headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


async def test_hsts_in_production(clean_db: str, tmp_path: Any) -> None:
    settings = make_settings(clean_db, tmp_path, environment="production", data_encryption_keys=["A" * 43 + "="])
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        assert "max-age=" in (await client.get("/health")).headers["strict-transport-security"]


# -- rate limits ---------------------------------------------------------------------------------


@pytest.fixture
async def strict(clean_db: str, tmp_path: Any, request: Any) -> Any:
    overrides = getattr(request, "param", {})
    settings = make_settings(clean_db, tmp_path, auth_rate_limit_per_minute=3, **overrides)
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        client.settings = settings  # type: ignore[attr-defined]
        yield client


async def test_every_429_carries_retry_after(strict: httpx.AsyncClient) -> None:
    for bucket, call in [
        ("login", lambda: strict.post("/api/auth/login", json={"login": "nobody", "password": "x"})),
        ("guest", lambda: strict.post("/api/auth/guests", json={})),
        ("reset", lambda: strict.post("/api/auth/password/reset", json={"email": "a@example.com"})),
    ]:
        statuses = [(await call()).status_code for _ in range(3)]
        assert 429 not in statuses, bucket
        limited = await call()
        assert_problem(limited, 429, "rate-limited")
        assert 1 <= int(limited.headers["retry-after"]) <= 60, bucket


async def test_x_forwarded_for_from_an_untrusted_peer_does_not_change_the_rate_limit_identity(
    strict: httpx.AsyncClient,
) -> None:
    for i in range(3):
        await strict.post(
            "/api/auth/login", json={"login": "x", "password": "y"}, headers={"X-Forwarded-For": f"10.0.0.{i}"}
        )
    limited = await strict.post(
        "/api/auth/login", json={"login": "x", "password": "y"}, headers={"X-Forwarded-For": "10.0.0.99"}
    )
    assert_problem(limited, 429)


@pytest.mark.parametrize("strict", [{"trusted_proxies": ["127.0.0.1/32"]}], indirect=True)
async def test_x_forwarded_for_from_a_trusted_proxy_identifies_the_client(strict: httpx.AsyncClient) -> None:
    for i in range(6):
        response = await strict.post(
            "/api/auth/login", json={"login": f"x{i}", "password": "y"}, headers={"X-Forwarded-For": f"203.0.113.{i}"}
        )
        assert response.status_code == 401, response.text
    for _ in range(3):
        await strict.post(
            "/api/auth/login",
            json={"login": "x", "password": "y"},
            headers={"X-Forwarded-For": "198.51.100.7, 127.0.0.1"},
        )
    assert_problem(
        await strict.post(
            "/api/auth/login", json={"login": "x", "password": "y"}, headers={"X-Forwarded-For": "198.51.100.7"}
        ),
        429,
    )


@pytest.fixture
async def brake(clean_db: str, tmp_path: Any) -> Any:
    settings = make_settings(clean_db, tmp_path, login_failures_before_backoff=3, login_backoff_base_seconds=30)
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        await register(client, "target")
        await register(client, "bystander")
        yield client


async def test_repeated_wrong_passwords_brake_that_account_only(brake: httpx.AsyncClient) -> None:
    for _ in range(3):
        assert_problem(await brake.post("/api/auth/login", json={"login": "target", "password": "guess"}), 401)
    # Now even the right password waits, and the answer says how long; other accounts are unaffected.
    braked = await brake.post("/api/auth/login", json={"login": "TARGET", "password": STRONG_PASSWORD})
    assert_problem(braked, 429, "rate-limited")
    assert 1 <= int(braked.headers["retry-after"]) <= 30
    assert (
        await brake.post("/api/auth/login", json={"login": "bystander", "password": STRONG_PASSWORD})
    ).status_code == 200
    # Unknown names are braked the same way, so the brake reveals nothing about which accounts exist.
    for _ in range(3):
        await brake.post("/api/auth/login", json={"login": "ghost", "password": "guess"})
    assert_problem(await brake.post("/api/auth/login", json={"login": "ghost", "password": "guess"}), 429)


# -- idempotent money POSTs and guest checkout ----------------------------------------------------------


async def test_the_same_idempotency_key_pays_once_and_another_body_is_422(paying: Any, rzp: Any) -> None:
    client = paying
    tip = {"kind": "tip", "amount_minor": 700, "creator_id": client.creator_id, "name": "Fan"}
    key = {"Idempotency-Key": "tip-7b1e2a"}
    first = await client.post("/api/billing/orders", headers={**client.fan, **key}, json=tip)
    again = await client.post("/api/billing/orders", headers={**client.fan, **key}, json=tip)
    assert first.status_code == again.status_code == 201, first.text
    assert first.json() == again.json()
    assert len(rzp.orders) == 1
    assert query(client.settings.database_url, "SELECT count(*) FROM billing_orders")[0][0] == 1
    other = await client.post("/api/billing/orders", headers={**client.fan, **key}, json={**tip, "amount_minor": 900})
    assert_problem(other, 422, "idempotency-key-reused")
    # Keys belong to their caller: the creator's same key is a new request.
    mine = await client.post(
        "/api/billing/orders", headers={**client.creator, **key}, json={**tip, "creator_id": client.creator_id}
    )
    assert mine.status_code == 201 and len(rzp.orders) == 2
    # Without a key, each POST is its own order.
    await client.post("/api/billing/orders", headers=client.fan, json=tip)
    await client.post("/api/billing/orders", headers=client.fan, json=tip)
    assert len(rzp.orders) == 4


async def test_idempotent_subscriptions_and_guest_checkouts(paying: Any, rzp: Any) -> None:
    client = paying
    plan = await client.post("/api/billing/plans", headers=client.creator, json={"name": "Gold", "amount_minor": 34800})
    assert plan.status_code == 201, plan.text
    key = {"Idempotency-Key": "sub-1"}
    first = await client.post(
        "/api/billing/subscriptions", headers={**client.fan, **key}, json={"plan_id": plan.json()["id"]}
    )
    again = await client.post(
        "/api/billing/subscriptions", headers={**client.fan, **key}, json={"plan_id": plan.json()["id"]}
    )
    assert first.status_code == 201 and first.json() == again.json()
    assert len(rzp.subscriptions) == 1
    body = {"payment_type": "tip", "email": "walkin@example.com", "amount_minor": 500, "creator_id": client.creator_id}
    one = await client.post("/api/billing/guest-checkout", headers={"Idempotency-Key": "guest-9f"}, json=body)
    two = await client.post("/api/billing/guest-checkout", headers={"Idempotency-Key": "guest-9f"}, json=body)
    assert one.status_code == 201 and one.json() == two.json()
    assert (
        query(client.settings.database_url, "SELECT count(*) FROM users WHERE email = 'walkin@example.com'")[0][0] == 1
    )


async def test_guest_checkout_never_shows_an_existing_users_profile(paying: Any) -> None:
    client = paying
    first = await client.post(
        "/api/billing/guest-checkout",
        json={
            "payment_type": "tip",
            "email": "quiet@example.com",
            "phone": "+15550100",
            "amount_minor": 500,
            "creator_id": client.creator_id,
        },
    )
    assert first.status_code == 201, first.text
    for email in ("quiet@example.com", "QUIET@example.com"):
        again = await client.post(
            "/api/billing/guest-checkout",
            json={"payment_type": "tip", "email": email, "amount_minor": 500, "creator_id": client.creator_id},
        )
        assert again.status_code == 201, again.text
        assert again.json()["user"] is None and again.json()["tokens"] is None
        assert "+15550100" not in again.text and "quiet@" not in again.text.lower()
    # A full account's email gives the same 409 as registering with it: nothing beyond what registration says.
    taken = await client.post(
        "/api/billing/guest-checkout",
        json={"payment_type": "tip", "email": "fan@example.com", "amount_minor": 500, "creator_id": client.creator_id},
    )
    registering = await client.post(
        "/api/auth/register",
        json={
            "username": "fan2",
            "email": "fan@example.com",
            "password": STRONG_PASSWORD,
            "password_confirm": STRONG_PASSWORD,
        },
    )
    assert taken.status_code == registering.status_code == 409
    assert taken.json()["code"] == registering.json()["code"]


async def test_guest_checkout_is_rate_limited(clean_db: str, tmp_path: Any, rzp: Any) -> None:
    settings = make_settings(
        clean_db,
        tmp_path,
        auth_rate_limit_per_minute=2,
        razorpay_key_id=KEY_ID,
        razorpay_key_secret=KEY_SECRET,
        razorpay_webhook_secret=WEBHOOK_SECRET,
        razorpay_base_url=rzp.url,
    )
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        body = {"payment_type": "recurring", "plan_id": "00000000-0000-4000-8000-000000000000"}
        for _ in range(2):
            assert (await client.post("/api/billing/guest-checkout", json=body)).status_code != 429
        limited = await client.post("/api/billing/guest-checkout", json=body)
        assert_problem(limited, 429, "rate-limited")
        assert limited.headers["retry-after"]


# -- the documented security is the enforced one -----------------------------------------------------


def _sample_path(path: str) -> str:
    """The path with each {param} filled by a syntactically valid value (a uuid, an int or a word)."""
    return re.sub(r"\{[^}]+\}", lambda m: "1" if "version" in m.group(0) else str(uuid.uuid4()), path)


async def test_every_operation_documents_exactly_the_authentication_the_app_enforces(
    client: httpx.AsyncClient,
) -> None:
    """Security is declared once (derived from the auth middleware's exclusions), so the document cannot
    drift: every operation that says BearerAuth refuses an anonymous call with 401 not-authenticated, and
    every operation that does not (or makes the token optional) never asks for one."""
    document = (await client.get("/docs/openapi.json")).json()
    checked = {"signed-in": 0, "public": 0}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            security = operation.get("security") or []
            required = bool(security) and {} not in security
            kwargs: dict[str, Any] = {"json": {}} if method in {"post", "put", "patch"} else {}
            response = await client.request(method.upper(), _sample_path(path), **kwargs)
            said = response.json().get("code") if "json" in response.headers.get("content-type", "") else None
            if required:
                assert security == [{"BearerAuth": []}], (method, path, security)
                assert response.status_code == 401 and said == "not-authenticated", (method, path, response.text)
                checked["signed-in"] += 1
            else:
                assert said != "not-authenticated", (method, path, response.text)
                checked["public"] += 1
    assert checked["signed-in"] > 100 and checked["public"] >= 15, checked
