"""Notifications (fan-out, counts, read state, email) and dashboards against hand-computed fixtures."""

from __future__ import annotations

import asyncio

from tests.api.test_creators_feed import make_tier, subscribe
from tests.support.api import assert_problem, bearer, login, register
from tests.support.database import query


async def _wait_unread(client, headers, count, timeout=15.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        body = (await client.get("/api/notifications", headers=headers)).json()
        if body["unread_count"] >= count or loop.time() > deadline:
            return body
        await asyncio.sleep(0.05)


async def test_followers_are_notified_of_new_posts_and_can_mark_read(client):
    people = {}
    for name in ("maker", "fan_a", "fan_b", "stranger"):
        await register(client, name)
        people[name] = bearer(await login(client, name))
    await client.put("/api/creators/me", headers=people["maker"], json={"display_name": "Maker"})
    maker_id = (await client.get("/api/users/me", headers=people["maker"])).json()["id"]
    for fan in ("fan_a", "fan_b"):
        await client.post(f"/api/creators/{maker_id}/follow", headers=people[fan])
    for title in ("First", "Second"):
        await client.post("/api/posts", headers=people["maker"], json={"title": title})

    fan_a = await _wait_unread(client, people["fan_a"], 2)
    assert fan_a["unread_count"] == 2 and [n["data"]["title"] for n in fan_a["items"]] == ["Second", "First"]
    assert all(n["kind"] == "new_post" and n["actor_id"] == maker_id for n in fan_a["items"])
    assert (await _wait_unread(client, people["fan_b"], 2))["unread_count"] == 2
    assert (await client.get("/api/notifications", headers=people["stranger"])).json()["unread_count"] == 0
    assert (await client.get("/api/notifications", headers=people["maker"])).json()["unread_count"] == 0

    first_id = fan_a["items"][0]["id"]
    one = (await client.post("/api/notifications/read", headers=people["fan_a"], json={"ids": [first_id]})).json()
    assert one == {"updated": 1, "unread_count": 1}
    # Someone else's notification cannot be marked.
    assert_problem(await client.post("/api/notifications/read", headers=people["fan_b"], json={"ids": [first_id]}), 404)
    rest = (await client.post("/api/notifications/read", headers=people["fan_a"], json={})).json()
    assert rest == {"updated": 1, "unread_count": 0}
    unread_only = (
        await client.get("/api/notifications", headers=people["fan_a"], params={"unread_only": "true"})
    ).json()
    assert unread_only["items"] == [] and unread_only["total"] == 0


async def test_comment_and_reply_notifications(client, settings):
    await register(client, "owner_n")
    await register(client, "helper_n")
    owner = bearer(await login(client, "owner_n"))
    helper = bearer(await login(client, "helper_n"))
    query(settings.database_url, "UPDATE users SET role = 'manager' WHERE username = 'helper_n' RETURNING id")
    helper = bearer(await login(client, "helper_n"))
    campaign = (await client.post("/api/campaigns", headers=owner, json={"name": "Noted"})).json()
    root = (
        await client.post(f"/api/campaigns/{campaign['id']}/comments", headers=owner, json={"body": "Thoughts?"})
    ).json()
    await client.post(
        f"/api/campaigns/{campaign['id']}/comments",
        headers=helper,
        json={"body": "Looks good", "parent_id": root["id"]},
    )
    owner_inbox = await _wait_unread(client, owner, 2)
    assert sorted(n["kind"] for n in owner_inbox["items"]) == ["comment", "reply"]
    # Your own comment does not notify you.
    assert (await client.get("/api/notifications", headers=helper)).json()["unread_count"] == 0


async def test_creator_and_user_dashboards_match_hand_computed_fixtures(client, settings):
    db = settings.database_url
    for name in ("studio", "buyer_1", "buyer_2"):
        await register(client, name)
    studio = bearer(await login(client, "studio"))
    buyer_1 = bearer(await login(client, "buyer_1"))
    await client.put("/api/creators/me", headers=studio, json={"display_name": "Studio"})
    studio_id = (await client.get("/api/users/me", headers=studio)).json()["id"]
    gold, silver = make_tier(db, "studio", "Gold"), make_tier(db, "studio", "Silver")
    subscribe(db, "buyer_1", gold)
    subscribe(db, "buyer_2", gold)
    subscribe(db, "buyer_2", silver, status="cancelled")
    await client.post(f"/api/creators/{studio_id}/follow", headers=buyer_1)
    await client.post("/api/posts", headers=studio, json={"title": "One"})
    # Ledger fixtures: Oct 10000 + 2500 (tip), Nov 10000 INR; one USD tip in Nov.
    for pay_id, kind, buyer, amount, currency, at in (
        ("p1", "subscription", "buyer_1", 10000, "INR", "2026-10-05"),
        ("p2", "tip", "buyer_2", 2500, "INR", "2026-10-20"),
        ("p3", "subscription", "buyer_1", 10000, "INR", "2026-11-05"),
        ("p4", "tip", "buyer_1", 700, "USD", "2026-11-07"),
    ):
        query(
            db,
            "INSERT INTO billing_ledger (id, gateway_payment_id, kind, user_id, creator_id, amount_minor, currency, source, created_at)"
            " SELECT gen_random_uuid(), %s, %s, b.id, c.id, %s, %s, 'verify', %s::timestamptz FROM users b, users c"
            " WHERE b.username = %s AND c.username = 'studio' RETURNING id",
            pay_id,
            kind,
            amount,
            currency,
            f"{at}T12:00:00Z",
            buyer,
        )
    stats = (await client.get("/api/creators/me/stats", headers=studio)).json()
    assert [(t["name"], t["subscribers"]) for t in stats["subscribers_per_tier"]] == [("Gold", 2), ("Silver", 0)]
    assert [(r["month"], r["currency"], r["amount_minor"], r["payments"]) for r in stats["revenue_by_month"]] == [
        ("2026-10", "INR", 12500, 2),
        ("2026-11", "INR", 10000, 1),
        ("2026-11", "USD", 700, 1),
    ]
    assert [(t["currency"], t["count"], t["amount_minor"]) for t in stats["tips"]] == [
        ("INR", 1, 2500),
        ("USD", 1, 700),
    ]
    assert stats["followers"] == 1 and stats["posts"] == 1

    mine = (await client.get("/api/users/me/stats", headers=buyer_1)).json()
    assert mine["following"] == 1 and mine["active_subscriptions"] == 1 and mine["likes_given"] == 0
    assert mine["spent"] == [{"currency": "INR", "amount_minor": 20000}, {"currency": "USD", "amount_minor": 700}]
    assert_problem(await client.get("/api/creators/me/stats", headers=buyer_1), 403, "not-a-creator")
