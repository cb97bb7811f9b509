"""Google sign-in against a fake OIDC provider over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from joserfc.jwk import RSAKey

from app.entrypoints.app import create_app
from tests.conftest import make_settings
from tests.fakes.oidc_provider import CLIENT_ID, CLIENT_SECRET, FakeOidcProvider
from tests.support.api import assert_problem, bearer, register
from tests.support.servers import free_port, serve


@pytest.fixture
async def provider() -> AsyncIterator[FakeOidcProvider]:
    fake = FakeOidcProvider()
    async with serve(fake.app()) as base_url:
        fake.base_url = base_url
        yield fake


@pytest.fixture
async def google_client(clean_db, tmp_path, provider) -> AsyncIterator[httpx.AsyncClient]:
    port = free_port()
    settings = make_settings(
        clean_db,
        tmp_path,
        google_client_id=CLIENT_ID,
        google_client_secret=CLIENT_SECRET,
        google_discovery_url=f"{provider.base_url}/.well-known/openid-configuration",
        google_redirect_uri=f"http://127.0.0.1:{port}/api/auth/oauth/google/callback",
    )
    async with (
        serve(create_app(settings), port=port) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as http,
    ):
        yield http


async def _browser_round_trip(client: httpx.AsyncClient) -> httpx.Response:
    """Follow authorize -> provider -> callback like a browser would."""
    start = await client.get("/api/auth/oauth/google/authorize")
    assert start.status_code == 302, start.text
    to_provider = start.headers["location"]
    query = parse_qs(urlparse(to_provider).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    async with httpx.AsyncClient() as browser:
        consent = await browser.get(to_provider)
    assert consent.status_code == 302, consent.text
    return await client.get(consent.headers["location"])


async def test_authorization_code_flow_creates_a_verified_account(google_client, provider):
    callback = await _browser_round_trip(google_client)
    assert callback.status_code == 200, callback.text
    me = (await google_client.get("/api/users/me", headers=bearer(callback.json()))).json()
    assert me["email"] == "oauth.user@example.com"
    assert me["email_verified"] is True
    assert me["has_password"] is False
    assert me["first_name"] == "Oauth"
    # The code was exchanged with a PKCE verifier.
    assert provider.token_requests[-1]["code_verifier"]


async def test_sign_in_links_an_existing_account_by_verified_email(google_client, provider):
    existing = await register(google_client, "oauthy", "OAuth.User@example.com")
    first = await _browser_round_trip(google_client)
    second = await _browser_round_trip(google_client)
    for response in (first, second):
        me = (await google_client.get("/api/users/me", headers=bearer(response.json()))).json()
        assert me["id"] == existing["id"]
        assert me["email_verified"] is True


async def test_unverified_provider_email_is_not_linked(google_client, provider):
    await register(google_client, "victim", "oauth.user@example.com")
    provider.user["email_verified"] = False
    response = await _browser_round_trip(google_client)
    assert_problem(response, 400, "oauth-email-unverified")


async def test_unknown_state_is_rejected(google_client, provider):
    await google_client.get("/api/auth/oauth/google/authorize")
    response = await google_client.get("/api/auth/oauth/google/callback", params={"state": "forged", "code": "x"})
    assert_problem(response, 400, "oauth-invalid-state")


async def test_state_cannot_be_replayed(google_client, provider):
    start = await google_client.get("/api/auth/oauth/google/authorize")
    async with httpx.AsyncClient() as browser:
        consent = await browser.get(start.headers["location"])
    callback_url = consent.headers["location"]
    assert (await google_client.get(callback_url)).status_code == 200
    assert_problem(await google_client.get(callback_url), 400, "oauth-invalid-state")


async def test_bad_nonce_in_id_token_is_rejected(google_client, provider):
    provider.nonce_override = "not-the-nonce-we-sent"
    response = await _browser_round_trip(google_client)
    assert_problem(response, 400, "oauth-invalid-id-token")


async def test_provider_error_in_callback_is_a_4xx(google_client):
    start = await google_client.get("/api/auth/oauth/google/authorize")
    state = parse_qs(urlparse(start.headers["location"]).query)["state"][0]
    response = await google_client.get(
        "/api/auth/oauth/google/callback", params={"state": state, "error": "access_denied"}
    )
    assert_problem(response, 422, "oauth-failed")


async def test_id_token_endpoint_accepts_a_valid_token(google_client, provider):
    token = provider.id_token("client-nonce-123")
    response = await google_client.post(
        "/api/auth/oauth/google/id-token", json={"id_token": token, "nonce": "client-nonce-123"}
    )
    assert response.status_code == 200, response.text
    me = (await google_client.get("/api/users/me", headers=bearer(response.json()))).json()
    assert me["email"] == "oauth.user@example.com"


@pytest.mark.parametrize("case", ["wrong_nonce", "wrong_audience", "expired", "foreign_key", "wrong_issuer", "garbage"])
async def test_id_token_endpoint_rejects_invalid_tokens(google_client, provider, case):
    nonce = "client-nonce-123"
    if case == "wrong_nonce":
        token = provider.id_token("another-nonce-456")
    elif case == "wrong_audience":
        token = provider.id_token(nonce, aud="someone-else")
    elif case == "expired":
        token = provider.id_token(nonce, iat=1_000_000, exp=1_000_600)
    elif case == "foreign_key":
        token = provider.id_token(nonce, key=RSAKey.generate_key(2048, parameters={"kid": "key-1"}))
    elif case == "wrong_issuer":
        token = provider.id_token(nonce, iss="https://evil.example")
    else:
        token = "a.b.c"
    response = await google_client.post("/api/auth/oauth/google/id-token", json={"id_token": token, "nonce": nonce})
    assert_problem(response, 400, "oauth-invalid-id-token")


async def test_google_endpoints_say_when_not_configured(client):
    assert_problem(await client.get("/api/auth/oauth/google/authorize"), 503, "oauth-not-configured")
