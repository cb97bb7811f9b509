"""Campaign CRUD, scoping by owner and role, pagination/filtering, threaded comments."""

from __future__ import annotations

import pytest

from tests.support.api import assert_problem, bearer, login, register, set_role


@pytest.fixture
async def users(client, settings):
    result = {}
    for name, role in (("ann", "member"), ("ben", "member"), ("mia", "manager"), ("val", "viewer")):
        await register(client, name)
        set_role(settings.database_url, name, role)
        result[name] = bearer(await login(client, name))
    return result


async def _create(client, headers, **body):
    response = await client.post("/api/campaigns", headers=headers, json={"name": "Campaign", **body})
    assert response.status_code == 201, response.text
    return response.json()


async def test_create_and_read_back_with_budget(client, users):
    created = await _create(
        client,
        users["ann"],
        name="Riverside lease-up",
        description="Floors 3-5",
        budget={"amount_minor": 250000, "currency": "usd", "period": "monthly"},
    )
    assert created["budget"] == {"amount_minor": 250000, "currency": "USD", "period": "monthly"}
    assert created["status"] == "draft" and created["ai_status"] == "idle"
    fetched = await client.get(f"/api/campaigns/{created['id']}", headers=users["ann"])
    assert fetched.json() == created


async def test_invalid_budgets_are_422(client, users):
    for budget in (
        {"amount_minor": -1, "currency": "USD", "period": "monthly"},
        {"amount_minor": 100, "currency": "XXX", "period": "monthly"},
        {"amount_minor": 100, "currency": "USD", "period": "hourly"},
        {"amount_minor": 1.5, "currency": "USD", "period": "monthly"},
    ):
        response = await client.post("/api/campaigns", headers=users["ann"], json={"name": "x", "budget": budget})
        assert_problem(response, 422)


async def test_members_only_see_their_own_campaigns(client, users):
    mine = await _create(client, users["ann"], name="Ann's")
    await _create(client, users["ben"], name="Ben's")
    listing = (await client.get("/api/campaigns", headers=users["ann"])).json()
    assert [c["name"] for c in listing["items"]] == ["Ann's"]
    # Asking for someone else's campaigns does not widen a member's view.
    other = (
        await client.get(
            "/api/campaigns", headers=users["ann"], params={"owner_id": "11111111-2222-3333-4444-555555555555"}
        )
    ).json()
    assert other["total"] == 1
    assert_problem(await client.get(f"/api/campaigns/{mine['id']}", headers=users["ben"]), 404, "campaign-not-found")
    assert_problem(await client.patch(f"/api/campaigns/{mine['id']}", headers=users["ben"], json={"name": "x"}), 404)
    assert_problem(await client.delete(f"/api/campaigns/{mine['id']}", headers=users["ben"]), 404)


async def test_managers_edit_any_campaign_and_viewers_only_read(client, users):
    campaign = await _create(client, users["ann"], name="Shared")
    managed = await client.patch(f"/api/campaigns/{campaign['id']}", headers=users["mia"], json={"status": "active"})
    assert managed.status_code == 200 and managed.json()["status"] == "active"
    assert (await client.get(f"/api/campaigns/{campaign['id']}", headers=users["val"])).status_code == 200
    assert (await client.get("/api/campaigns", headers=users["val"])).json()["total"] == 1
    assert_problem(
        await client.patch(f"/api/campaigns/{campaign['id']}", headers=users["val"], json={"name": "x"}),
        403,
        "role-required",
    )
    assert_problem(await client.delete(f"/api/campaigns/{campaign['id']}", headers=users["val"]), 403)


async def test_patch_changes_only_given_fields_and_can_clear_budget(client, users):
    campaign = await _create(
        client, users["ann"], description="keep", budget={"amount_minor": 1, "currency": "INR", "period": "daily"}
    )
    patched = (
        await client.patch(f"/api/campaigns/{campaign['id']}", headers=users["ann"], json={"budget": None})
    ).json()
    assert patched["budget"] is None and patched["description"] == "keep"
    assert_problem(
        await client.patch(f"/api/campaigns/{campaign['id']}", headers=users["ann"], json={"name": "  "}), 422
    )
    assert_problem(
        await client.patch(f"/api/campaigns/{campaign['id']}", headers=users["ann"], json={"owner_id": campaign["id"]}),
        422,
    )


async def test_list_paginates_newest_first_filters_and_searches(client, users):
    for i in range(25):
        await _create(client, users["ann"], name=f"Campaign {i:02d}", status="active" if i % 5 == 0 else "draft")
    first = (await client.get("/api/campaigns", headers=users["ann"])).json()
    assert first["total"] == 25 and len(first["items"]) == 20 and first["page_size"] == 20
    assert first["items"][0]["name"] == "Campaign 24"
    second = (await client.get("/api/campaigns", headers=users["ann"], params={"page": 2})).json()
    assert [c["name"] for c in second["items"]] == [f"Campaign {i:02d}" for i in range(4, -1, -1)]
    active = (await client.get("/api/campaigns", headers=users["ann"], params={"status": "active"})).json()
    assert active["total"] == 5
    found = (await client.get("/api/campaigns", headers=users["ann"], params={"q": "paign 1"})).json()
    assert found["total"] == 10
    assert_problem(await client.get("/api/campaigns", headers=users["ann"], params={"page_size": 101}), 422)


async def test_delete_removes_the_campaign(client, users):
    campaign = await _create(client, users["ann"])
    assert (await client.delete(f"/api/campaigns/{campaign['id']}", headers=users["ann"])).status_code == 204
    assert_problem(await client.get(f"/api/campaigns/{campaign['id']}", headers=users["ann"]), 404)


async def test_threaded_comments(client, users):
    campaign = await _create(client, users["ann"])
    url = f"/api/campaigns/{campaign['id']}/comments"
    root = (await client.post(url, headers=users["ann"], json={"body": "Darker headline?"})).json()
    reply = await client.post(url, headers=users["mia"], json={"body": "Agreed", "parent_id": root["id"]})
    assert reply.status_code == 201
    await client.post(url, headers=users["val"], json={"body": "+1", "parent_id": root["id"]})
    roots = (await client.get(url, headers=users["ann"])).json()
    assert [c["body"] for c in roots["items"]] == ["Darker headline?"]
    assert roots["items"][0]["reply_count"] == 2
    replies = (await client.get(url, headers=users["ann"], params={"parent_id": root["id"]})).json()
    assert [c["body"] for c in replies["items"]] == ["Agreed", "+1"]
    # Outsiders cannot read or write the thread.
    assert_problem(await client.get(url, headers=users["ben"]), 404)
    assert_problem(await client.post(url, headers=users["ben"], json={"body": "hi"}), 404)


async def test_only_authors_edit_and_authors_or_staff_delete(client, users):
    campaign = await _create(client, users["ann"])
    url = f"/api/campaigns/{campaign['id']}/comments"
    comment = (await client.post(url, headers=users["val"], json={"body": "typo"})).json()
    assert_problem(
        await client.patch(f"{url}/{comment['id']}", headers=users["ann"], json={"body": "x"}),
        403,
        "not-comment-author",
    )
    edited = (await client.patch(f"{url}/{comment['id']}", headers=users["val"], json={"body": "fixed"})).json()
    assert edited["body"] == "fixed" and edited["edited"] is True
    assert_problem(await client.delete(f"{url}/{comment['id']}", headers=users["ann"]), 403)
    assert (await client.delete(f"{url}/{comment['id']}", headers=users["mia"])).status_code == 204
    listed = (await client.get(url, headers=users["ann"])).json()["items"][0]
    assert listed["is_deleted"] is True and listed["body"] == ""


async def test_reply_to_a_comment_of_another_campaign_is_rejected(client, users):
    first = await _create(client, users["ann"])
    second = await _create(client, users["ann"])
    root = (
        await client.post(f"/api/campaigns/{first['id']}/comments", headers=users["ann"], json={"body": "a"})
    ).json()
    response = await client.post(
        f"/api/campaigns/{second['id']}/comments", headers=users["ann"], json={"body": "b", "parent_id": root["id"]}
    )
    assert_problem(response, 422)


async def test_search_is_scoped_literal_and_paged_for_every_role(client, users):
    """`q` matches name or description as literal text (% and _ are not wildcards), members search their own
    campaigns only, staff search everyone's, and searched pages and totals behave like any other page."""
    for i in range(23):
        await _create(client, users["ann"], name=f"Spring {i:02d}", description="Lease-up 100% sure")
    await _create(client, users["ben"], name="Spring for Ben", description="plain")
    await _create(client, users["ben"], name="Autumn", description="spring_time")

    def names(response):
        return [c["name"] for c in response.json()["items"]]

    ann = await client.get("/api/campaigns", headers=users["ann"], params={"q": "spring"})
    assert ann.json()["total"] == 23 and names(ann)[0] == "Spring 22" and len(names(ann)) == 20
    page2 = await client.get("/api/campaigns", headers=users["ann"], params={"q": "spring", "page": 2})
    assert names(page2) == ["Spring 02", "Spring 01", "Spring 00"] and page2.json()["total"] == 23
    beyond = (await client.get("/api/campaigns", headers=users["ann"], params={"q": "spring", "page": 9})).json()
    assert beyond["items"] == [] and beyond["total"] == 23
    staff = (await client.get("/api/campaigns", headers=users["mia"], params={"q": "SPRING"})).json()
    assert staff["total"] == 25 and staff["total_exact"] is True  # Ben's name and Ben's description too
    assert (await client.get("/api/campaigns", headers=users["ben"], params={"q": "100%"})).json()["total"] == 0
    literal = (await client.get("/api/campaigns", headers=users["mia"], params={"q": "100%"})).json()
    assert literal["total"] == 23
    wildcard = (await client.get("/api/campaigns", headers=users["mia"], params={"q": "sprin_"})).json()
    assert wildcard["total"] == 0  # "_" is a character, not "any character"
    underscore = (await client.get("/api/campaigns", headers=users["mia"], params={"q": "g_t"})).json()
    assert underscore["total"] == 1  # ...found where it is written: Ben's "spring_time"
    owner = ann.json()["items"][0]["owner_id"]
    combined = (
        await client.get("/api/campaigns", headers=users["val"], params={"q": "spring", "owner_id": owner})
    ).json()
    assert combined["total"] == 23
