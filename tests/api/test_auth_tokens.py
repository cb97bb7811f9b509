"""Sign-in, JWT validation, refresh rotation with reuse detection, logout."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from tests.conftest import TEST_JWT_SECRET
from tests.support.api import STRONG_PASSWORD, assert_problem, bearer, login, register


async def test_login_works_with_username_or_email_case_insensitively(client):
    await register(client, "grace", "Grace.Hopper@Example.com")
    by_name = await login(client, "GRACE")
    by_email = await login(client, "grace.hopper@example.com")
    for tokens in (by_name, by_email):
        assert tokens["token_type"] == "Bearer"
        me = await client.get("/api/users/me", headers=bearer(tokens))
        assert me.json()["username"] == "grace"


async def test_wrong_password_and_unknown_user_get_the_same_401(client):
    await register(client, "alan")
    wrong = await client.post("/api/auth/login", json={"login": "alan", "password": "Not-The-Passw0rd"})
    unknown = await client.post("/api/auth/login", json={"login": "nobody-here", "password": "Not-The-Passw0rd"})
    body_wrong = assert_problem(wrong, 401, "invalid-credentials")
    body_unknown = assert_problem(unknown, 401, "invalid-credentials")
    assert body_wrong["detail"] == body_unknown["detail"]
    assert wrong.headers["www-authenticate"].startswith("Bearer")


async def test_refresh_rotates_and_reuse_revokes_the_whole_family(client):
    await register(client, "linus")
    first = await login(client, "linus")

    rotated = await client.post("/api/auth/token/refresh", json={"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (await client.get("/api/users/me", headers=bearer(second))).status_code == 200

    # Replaying the spent token is theft evidence: the family dies.
    replay = await client.post("/api/auth/token/refresh", json={"refresh_token": first["refresh_token"]})
    assert_problem(replay, 401, "refresh-token-reuse")

    after = await client.post("/api/auth/token/refresh", json={"refresh_token": second["refresh_token"]})
    assert_problem(after, 401, "invalid-token")
    assert_problem(await client.get("/api/users/me", headers=bearer(second)), 401, "invalid-token")


async def test_other_sessions_survive_reuse_in_one_family(client):
    await register(client, "ken")
    device_a = await login(client, "ken")
    device_b = await login(client, "ken")
    await client.post("/api/auth/token/refresh", json={"refresh_token": device_a["refresh_token"]})
    await client.post("/api/auth/token/refresh", json={"refresh_token": device_a["refresh_token"]})
    assert (await client.get("/api/users/me", headers=bearer(device_b))).status_code == 200


async def test_access_token_cannot_be_used_as_refresh_token_and_vice_versa(client):
    await register(client, "dennis")
    tokens = await login(client, "dennis")
    assert_problem(await client.post("/api/auth/token/refresh", json={"refresh_token": tokens["access_token"]}), 401)
    assert_problem(
        await client.get("/api/users/me", headers={"Authorization": f"Bearer {tokens['refresh_token']}"}), 401
    )


async def test_logout_revokes_access_and_refresh_tokens(client):
    await register(client, "barbara")
    tokens = await login(client, "barbara")
    response = await client.post("/api/auth/logout", headers=bearer(tokens))
    assert response.status_code == 204
    assert_problem(await client.get("/api/users/me", headers=bearer(tokens)), 401)
    assert_problem(await client.post("/api/auth/token/refresh", json={"refresh_token": tokens["refresh_token"]}), 401)


async def test_token_verify_endpoint(client):
    user = await register(client, "margaret")
    tokens = await login(client, "margaret")
    ok = await client.post("/api/auth/token/verify", json={"token": tokens["access_token"]})
    assert ok.status_code == 200
    assert ok.json()["valid"] is True
    assert ok.json()["user_id"] == user["id"]
    assert_problem(await client.post("/api/auth/token/verify", json={"token": "not-a-jwt"}), 401, "invalid-token")


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "forgery", ["expired", "tampered", "alg_none", "wrong_secret", "wrong_audience", "no_iat", "no_jti"]
)
async def test_forged_or_stale_access_tokens_are_rejected(client, forgery):
    await register(client, "eve")
    claims = _claims((await login(client, "eve"))["access_token"])
    now = int(time.time())
    if forgery == "expired":
        token = jwt.encode(
            {**claims, "iat": now - 3600, "nbf": now - 3600, "exp": now - 1800}, TEST_JWT_SECRET, "HS256"
        )
    elif forgery == "tampered":
        good = jwt.encode(claims, TEST_JWT_SECRET, "HS256")
        header, _, signature = good.split(".")
        token = f"{header}.{_b64({**claims, 'role': 'admin'})}.{signature}"
    elif forgery == "alg_none":
        token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({**claims, 'role': 'admin'})}."
    elif forgery == "wrong_secret":
        token = jwt.encode(claims, "another-secret-" + "y" * 40, "HS256")
    elif forgery == "wrong_audience":
        token = jwt.encode({**claims, "aud": "someone-else"}, TEST_JWT_SECRET, "HS256")
    elif forgery == "no_iat":
        token = jwt.encode({k: v for k, v in claims.items() if k != "iat"}, TEST_JWT_SECRET, "HS256")
    else:
        token = jwt.encode({k: v for k, v in claims.items() if k != "jti"}, TEST_JWT_SECRET, "HS256")
    response = await client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
    body = assert_problem(response, 401)
    assert body["code"] in {"invalid-token", "token-expired"}
    if forgery == "expired":
        assert body["code"] == "token-expired"


async def test_missing_or_malformed_authorization_header(client):
    assert_problem(await client.get("/api/users/me"), 401, "not-authenticated")
    assert_problem(await client.get("/api/users/me", headers={"Authorization": "Basic abc"}), 401, "not-authenticated")


async def test_disabled_account_cannot_sign_in(client, settings):
    from tests.support.database import query

    await register(client, "mallory")
    tokens = await login(client, "mallory")
    query(settings.database_url, "UPDATE users SET is_active = false WHERE username = 'mallory' RETURNING id")
    assert_problem(await client.get("/api/users/me", headers=bearer(tokens)), 401, "account-inactive")
    response = await client.post("/api/auth/login", json={"login": "mallory", "password": STRONG_PASSWORD})
    assert_problem(response, 401, "account-inactive")
