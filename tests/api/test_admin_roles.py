"""Role guards on user administration: admins write, managers read, others are refused."""

from __future__ import annotations

import pytest

from tests.support.api import assert_problem, bearer, login, register, set_role


@pytest.fixture
async def people(client, settings):
    tokens = {}
    ids = {}
    for role in ("admin", "manager", "viewer", "member"):
        user = await register(client, f"{role}_user", f"{role}@example.com")
        set_role(settings.database_url, f"{role}_user", role)
        ids[role] = user["id"]
        tokens[role] = await login(client, f"{role}_user")
    target = await register(client, "target_user", "target@example.com")
    ids["target"] = target["id"]
    return tokens, ids


@pytest.mark.parametrize(
    ("role", "can_read", "can_write"),
    [("admin", True, True), ("manager", True, False), ("viewer", False, False), ("member", False, False)],
)
async def test_role_guards_on_user_admin(client, people, role, can_read, can_write):
    tokens, ids = people
    headers = bearer(tokens[role])
    listing = await client.get("/api/admin/users", headers=headers)
    one = await client.get(f"/api/admin/users/{ids['target']}", headers=headers)
    patched = await client.patch(f"/api/admin/users/{ids['target']}", headers=headers, json={"role": "viewer"})
    deleted = await client.delete(f"/api/admin/users/{ids['target']}", headers=headers)
    if can_read:
        assert listing.status_code == 200 and one.status_code == 200
    else:
        assert_problem(listing, 403, "role-required")
        assert_problem(one, 403, "role-required")
    if can_write:
        assert patched.status_code == 200 and patched.json()["role"] == "viewer"
        assert deleted.status_code == 204
        assert_problem(await client.get(f"/api/admin/users/{ids['target']}", headers=headers), 404)
    else:
        assert_problem(patched, 403, "role-required")
        assert_problem(deleted, 403, "role-required")


async def test_user_list_paginates_newest_first_and_searches(client, people):
    tokens, _ = people
    headers = bearer(tokens["admin"])
    page1 = (await client.get("/api/admin/users", headers=headers, params={"page_size": 2})).json()
    assert page1["total"] == 5 and page1["page"] == 1 and len(page1["items"]) == 2
    assert page1["items"][0]["username"] == "target_user"
    page3 = (await client.get("/api/admin/users", headers=headers, params={"page_size": 2, "page": 3})).json()
    assert len(page3["items"]) == 1
    found = (await client.get("/api/admin/users", headers=headers, params={"q": "MANAGER"})).json()
    assert [u["username"] for u in found["items"]] == ["manager_user"]
    viewers = (await client.get("/api/admin/users", headers=headers, params={"role": "viewer"})).json()
    assert [u["username"] for u in viewers["items"]] == ["viewer_user"]
    wildcard = (await client.get("/api/admin/users", headers=headers, params={"q": "%"})).json()
    assert wildcard["total"] == 0
    assert_problem(await client.get("/api/admin/users", headers=headers, params={"page_size": 500}), 422)
    assert_problem(await client.get("/api/admin/users", headers=headers, params={"role": "emperor"}), 422)


async def test_disabling_a_user_ends_its_sessions(client, people):
    tokens, ids = people
    member_headers = bearer(tokens["member"])
    assert (await client.get("/api/users/me", headers=member_headers)).status_code == 200
    response = await client.patch(
        f"/api/admin/users/{ids['member']}", headers=bearer(tokens["admin"]), json={"is_active": False}
    )
    assert response.status_code == 200
    assert_problem(await client.get("/api/users/me", headers=member_headers), 401)


async def test_admin_cannot_demote_or_delete_itself(client, people):
    tokens, ids = people
    headers = bearer(tokens["admin"])
    assert_problem(
        await client.patch(f"/api/admin/users/{ids['admin']}", headers=headers, json={"role": "member"}), 403
    )
    assert_problem(await client.delete(f"/api/admin/users/{ids['admin']}", headers=headers), 403)


async def test_admin_update_keeps_uniqueness(client, people):
    tokens, ids = people
    response = await client.patch(
        f"/api/admin/users/{ids['target']}", headers=bearer(tokens["admin"]), json={"email": "MANAGER@example.com"}
    )
    assert_problem(response, 409, "email-taken")


async def test_unknown_user_is_404(client, people):
    tokens, _ = people
    response = await client.get(
        "/api/admin/users/00000000-0000-0000-0000-000000000000", headers=bearer(tokens["admin"])
    )
    assert_problem(response, 404, "user-not-found")
