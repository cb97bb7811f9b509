"""Registration, email verification, password flows, profile, guests, validation."""

from __future__ import annotations

from tests.support.api import STRONG_PASSWORD, assert_problem, bearer, login, register
from tests.support.database import query


async def test_register_returns_the_new_profile(client):
    user = await register(client, "ada_l", "ada@example.com", first_name="Ada")
    assert user["username"] == "ada_l"
    assert user["role"] == "member"
    assert user["email_verified"] is False
    assert "password" not in str(user).lower().replace("has_password", "")


async def test_duplicate_email_is_409_case_insensitively(client, settings):
    await register(client, "first", "Same@Example.com")
    response = await client.post(
        "/api/auth/register",
        json={
            "username": "second",
            "email": "same@EXAMPLE.com",
            "password": STRONG_PASSWORD,
            "password_confirm": STRONG_PASSWORD,
        },
    )
    assert_problem(response, 409, "email-taken")
    assert query(settings.database_url, "SELECT count(*) FROM users")[0][0] == 1


async def test_duplicate_username_is_409(client):
    await register(client, "taken", "a@example.com")
    response = await client.post(
        "/api/auth/register",
        json={
            "username": "TAKEN",
            "email": "b@example.com",
            "password": STRONG_PASSWORD,
            "password_confirm": STRONG_PASSWORD,
        },
    )
    assert_problem(response, 409, "username-taken")


async def test_weak_password_lists_every_problem(client):
    response = await client.post(
        "/api/auth/register",
        json={"username": "weakling", "email": "w@example.com", "password": "short", "password_confirm": "short"},
    )
    body = assert_problem(response, 422, "weak-password")
    messages = [e["message"] for e in body["errors"] if e["field"] == "password"]
    assert any("at least 10" in m for m in messages)
    assert any("three of" in m for m in messages)


async def test_password_confirmation_must_match(client):
    response = await client.post(
        "/api/auth/register",
        json={
            "username": "typo",
            "email": "t@example.com",
            "password": STRONG_PASSWORD,
            "password_confirm": STRONG_PASSWORD + "x",
        },
    )
    body = assert_problem(response, 422, "password-mismatch")
    assert body["errors"][0]["field"] == "password_confirm"


async def test_schema_violations_are_422_with_field_errors(client):
    response = await client.post("/api/auth/register", json={"username": "x", "email": "e@example.com"})
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"], body
    invalid_email = await client.post(
        "/api/auth/register",
        json={
            "username": "valid_name",
            "email": "not-an-email",
            "password": STRONG_PASSWORD,
            "password_confirm": STRONG_PASSWORD,
        },
    )
    assert assert_problem(invalid_email, 422)["errors"][0]["field"] == "email"


async def test_malformed_json_is_a_4xx_problem(client):
    response = await client.post("/api/auth/login", content=b"{not json", headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_body_size_limit_is_enforced(client):
    response = await client.post(
        "/api/auth/login",
        content=b'{"login": "' + b"a" * 2_000_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 413)


async def test_email_verification_token_is_single_use(client, mailbox):
    await register(client, "verifier", "verify@example.com")
    token = await mailbox.token_for("verify@example.com", "confirm your email")
    ok = await client.post("/api/auth/email/verify", json={"token": token})
    assert ok.status_code == 200, ok.text
    tokens = await login(client, "verifier")
    assert (await client.get("/api/users/me", headers=bearer(tokens))).json()["email_verified"] is True
    again = await client.post("/api/auth/email/verify", json={"token": token})
    assert_problem(again, 400, "invalid-or-expired-token")


async def test_bogus_email_token_is_rejected(client):
    assert_problem(
        await client.post("/api/auth/email/verify", json={"token": "forged"}), 400, "invalid-or-expired-token"
    )


async def test_resending_verification_supersedes_the_old_link(client, mailbox):
    await register(client, "resender", "resend@example.com")
    first = await mailbox.token_for("resend@example.com", "confirm your email")
    tokens = await login(client, "resender")
    assert (await client.post("/api/auth/email/verification", headers=bearer(tokens))).status_code == 202
    second = await mailbox.token_for("resend@example.com", "confirm your email", count=2)
    assert second != first
    assert_problem(await client.post("/api/auth/email/verify", json={"token": first}), 400)
    assert (await client.post("/api/auth/email/verify", json={"token": second})).status_code == 200


async def test_password_reset_flow_is_single_use_and_signs_out_everywhere(client, mailbox):
    await register(client, "forgetful", "forgetful@example.com")
    old_session = await login(client, "forgetful")
    response = await client.post("/api/auth/password/reset", json={"email": "FORGETFUL@example.com"})
    assert response.status_code == 202
    token = await mailbox.token_for("forgetful@example.com", "reset")
    new_password = "Brand-New-Secret-42"
    body = {"token": token, "new_password": new_password, "new_password_confirm": new_password}
    assert (await client.post("/api/auth/password/reset/confirm", json=body)).status_code == 200
    assert_problem(await client.post("/api/auth/password/reset/confirm", json=body), 400, "invalid-or-expired-token")
    assert_problem(await client.get("/api/users/me", headers=bearer(old_session)), 401)
    assert_problem(await client.post("/api/auth/login", json={"login": "forgetful", "password": STRONG_PASSWORD}), 401)
    await login(client, "forgetful", new_password)


async def test_password_reset_does_not_reveal_whether_an_account_exists(client, mailbox):
    await register(client, "known", "known@example.com")
    known = await client.post("/api/auth/password/reset", json={"email": "known@example.com"})
    unknown = await client.post("/api/auth/password/reset", json={"email": "ghost@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    await mailbox.wait_for("known@example.com", "reset")
    assert mailbox.to("ghost@example.com") == []


async def test_password_change_needs_old_password_and_signs_out_other_sessions(client):
    await register(client, "changer")
    here = await login(client, "changer")
    elsewhere = await login(client, "changer")
    new_password = "Changed-Secret-77"
    wrong = await client.post(
        "/api/auth/password/change",
        headers=bearer(here),
        json={"old_password": "Wrong-Passw0rd!", "new_password": new_password, "new_password_confirm": new_password},
    )
    assert_problem(wrong, 422, "wrong-password")
    ok = await client.post(
        "/api/auth/password/change",
        headers=bearer(here),
        json={"old_password": STRONG_PASSWORD, "new_password": new_password, "new_password_confirm": new_password},
    )
    assert ok.status_code == 200, ok.text
    assert (await client.get("/api/users/me", headers=bearer(here))).status_code == 200
    assert_problem(await client.get("/api/users/me", headers=bearer(elsewhere)), 401)
    await login(client, "changer", new_password)


async def test_profile_update_changes_only_given_fields(client):
    await register(client, "profiled")
    tokens = await login(client, "profiled")
    response = await client.patch(
        "/api/users/me",
        headers=bearer(tokens),
        json={"bio": "Builds things", "skills": ["python", "sql"], "github_url": "https://github.com/profiled"},
    )
    assert response.status_code == 200, response.text
    me = response.json()
    assert me["bio"] == "Builds things"
    assert me["skills"] == ["python", "sql"]
    assert me["first_name"] == "Test"


async def test_profile_update_rejects_privileged_and_invalid_fields(client):
    await register(client, "sneaky")
    tokens = await login(client, "sneaky")
    assert_problem(await client.patch("/api/users/me", headers=bearer(tokens), json={"role": "admin"}), 422)
    assert_problem(
        await client.patch("/api/users/me", headers=bearer(tokens), json={"website": "javascript:alert(1)"}), 422
    )
    me = await client.get("/api/users/me", headers=bearer(tokens))
    assert me.json()["role"] == "member"
    assert me.json()["website"] == ""


async def test_guest_checkout_account_can_be_upgraded(client, mailbox):
    created = await client.post("/api/auth/guests", json={"email": "buyer@example.com", "phone": "+91 98765 43210"})
    assert created.status_code == 201, created.text
    guest = created.json()
    assert guest["user"]["is_guest"] is True
    assert guest["user"]["has_password"] is False
    tokens = guest["tokens"]
    # A guest cannot sign in with a password it does not have.
    assert_problem(await client.post("/api/auth/login", json={"login": "buyer@example.com", "password": "x"}), 401)

    upgraded = await client.post(
        "/api/users/me/upgrade",
        headers=bearer(tokens),
        json={
            "username": "buyer",
            "email": "buyer@example.com",
            "password": STRONG_PASSWORD,
            "password_confirm": STRONG_PASSWORD,
        },
    )
    assert upgraded.status_code == 200, upgraded.text
    assert upgraded.json()["id"] == guest["user"]["id"]
    assert upgraded.json()["is_guest"] is False
    await login(client, "buyer")
    await mailbox.wait_for("buyer@example.com", "confirm your email")


async def test_guest_needs_contact_details_and_unique_email(client):
    assert_problem(await client.post("/api/auth/guests", json={}), 422)
    await register(client, "owner", "owner@example.com")
    assert_problem(await client.post("/api/auth/guests", json={"email": "Owner@example.com"}), 409, "email-taken")


async def test_full_account_cannot_use_guest_upgrade(client):
    await register(client, "already")
    tokens = await login(client, "already")
    response = await client.post(
        "/api/users/me/upgrade",
        headers=bearer(tokens),
        json={
            "username": "already2",
            "email": "x@example.com",
            "password": STRONG_PASSWORD,
            "password_confirm": STRONG_PASSWORD,
        },
    )
    assert_problem(response, 422, "not-a-guest")
