"""Small API helpers shared by the HTTP tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.database import query

STRONG_PASSWORD = "Sturdy-Passw0rd!"


async def register(client: httpx.AsyncClient, username: str, email: str | None = None, **extra: Any) -> dict[str, Any]:
    body = {
        "username": username,
        "email": email or f"{username}@example.com",
        "password": STRONG_PASSWORD,
        "password_confirm": STRONG_PASSWORD,
        "first_name": "Test",
        "last_name": username.title(),
        **extra,
    }
    response = await client.post("/api/auth/register", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def login(client: httpx.AsyncClient, login_name: str, password: str = STRONG_PASSWORD) -> dict[str, Any]:
    response = await client.post("/api/auth/login", json={"login": login_name, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def set_role(database_url: str, username: str, role: str) -> None:
    query(database_url, "UPDATE users SET role = %s WHERE username = %s RETURNING id", role, username)


def assert_problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "code"} <= set(body)
    if code is not None:
        assert body["code"] == code, body
    return body
