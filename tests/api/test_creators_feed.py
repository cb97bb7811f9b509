"""Oasis: tier gating everywhere (post, creator page, feed, search), feed order and cursor stability, follows, likes."""

from __future__ import annotations

import pytest

from tests.support.api import assert_problem, bearer, login, register
from tests.support.database import query

SECRET = "gated-secret-words"


def make_tier(database_url: str, creator: str, name: str) -> str:
    ((tier_id,),) = query(
        database_url,
        "INSERT INTO billing_plans (id, owner_id, name, description, benefits, amount_minor, currency, interval, active)"
        " SELECT gen_random_uuid(), id, %s, '', '[]', 10000, 'INR', 'monthly', true FROM users WHERE username = %s RETURNING id",
        name,
        creator,
    )
    return str(tier_id)


def subscribe(database_url: str, username: str, tier_id: str, status: str = "active") -> None:
    query(
        database_url,
        "INSERT INTO billing_subscriptions (id, user_id, plan_id, gateway_subscription_id, status, cancel_at_cycle_end, last_event_at)"
        " SELECT gen_random_uuid(), id, %s, 'sub_' || md5(random()::text), %s, false, 0 FROM users WHERE username = %s RETURNING id",
        tier_id,
        status,
        username,
    )


@pytest.fixture
async def oasis(client, settings):
    people = {}
    for name in ("artist", "patron", "lurker"):
        await register(client, name)
        people[name] = bearer(await login(client, name))
    assert (
        await client.put(
            "/api/creators/me",
            headers=people["artist"],
            json={"display_name": "The Artist", "category": "illustration"},
        )
    ).status_code == 200
    artist_id = (await client.get("/api/users/me", headers=people["artist"])).json()["id"]
    gold = make_tier(settings.database_url, "artist", "Gold")
    silver = make_tier(settings.database_url, "artist", "Silver")
    subscribe(settings.database_url, "patron", gold)
    for name in ("patron", "lurker"):
        assert (await client.post(f"/api/creators/{artist_id}/follow", headers=people[name])).json() == {
            "following": True
        }
    return people, artist_id, gold, silver


async def _post(client, headers, title, body="", **extra):
    response = await client.post("/api/posts", headers=headers, json={"title": title, "body": body, **extra})
    assert response.status_code == 201, response.text
    return response.json()


async def test_non_subscribers_never_receive_gated_content(client, oasis):
    people, artist_id, gold, _ = oasis
    gated = await _post(
        client, people["artist"], "Members sketch", f"The {SECRET} inside", visibility="tiers", tier_ids=[gold]
    )
    await _post(client, people["artist"], "Public hello", "Everyone can read this")

    responses = [
        await client.get(f"/api/posts/{gated['id']}", headers=people["lurker"]),
        await client.get(f"/api/creators/{artist_id}/posts", headers=people["lurker"]),
        await client.get("/api/feed", headers=people["lurker"]),
        await client.get("/api/search", headers=people["lurker"], params={"q": "sketch"}),
        await client.get("/api/search", headers=people["lurker"], params={"q": SECRET}),
    ]
    for response in responses:
        assert response.status_code == 200, response.text
        assert SECRET not in response.text
    locked = responses[0].json()
    assert locked["locked"] is True and locked["body"] is None and locked["tier_ids"] == [gold]
    # A search for words only in the gated body finds nothing for outsiders.
    assert responses[4].json()["posts"] == []
    assert_problem(await client.post(f"/api/posts/{gated['id']}/like", headers=people["lurker"]), 403, "post-locked")


async def test_subscribers_and_the_creator_see_gated_posts_everywhere(client, oasis, settings):
    people, artist_id, gold, _ = oasis
    gated = await _post(
        client, people["artist"], "Members sketch", f"The {SECRET} inside", visibility="tiers", tier_ids=[gold]
    )
    for who in ("patron", "artist"):
        assert (await client.get(f"/api/posts/{gated['id']}", headers=people[who])).json()[
            "body"
        ] == f"The {SECRET} inside"
    assert SECRET in (await client.get("/api/feed", headers=people["patron"])).text
    found = (await client.get("/api/search", headers=people["patron"], params={"q": SECRET})).json()["posts"]
    assert [p["id"] for p in found] == [gated["id"]]
    # The subscription ends: the post locks again.
    query(settings.database_url, "UPDATE billing_subscriptions SET status = 'cancelled' RETURNING id")
    assert (await client.get(f"/api/posts/{gated['id']}", headers=people["patron"])).json()["locked"] is True


async def test_removing_tiers_never_makes_a_post_public(client, oasis):
    people, _, gold, silver = oasis
    gated = await _post(client, people["artist"], "Two tiers", SECRET, visibility="tiers", tier_ids=[gold, silver])
    after = await client.post(
        f"/api/posts/{gated['id']}/remove-tiers", headers=people["artist"], json={"tier_ids": [gold]}
    )
    assert after.json()["tier_ids"] == [silver]
    assert (await client.get(f"/api/posts/{gated['id']}", headers=people["patron"])).json()["locked"] is True
    assert (await client.get(f"/api/posts/{gated['id']}", headers=people["lurker"])).json()["locked"] is True


async def test_posts_can_only_use_the_creators_own_tiers(client, oasis, settings):
    people, _, gold, _ = oasis
    assert_problem(await client.post("/api/posts", headers=people["lurker"], json={"title": "x"}), 403, "not-a-creator")
    await client.put("/api/creators/me", headers=people["lurker"], json={"display_name": "Copycat"})
    response = await client.post(
        "/api/posts", headers=people["lurker"], json={"title": "x", "visibility": "tiers", "tier_ids": [gold]}
    )
    assert_problem(response, 422)
    assert_problem(
        await client.post("/api/posts", headers=people["artist"], json={"title": "x", "visibility": "tiers"}), 422
    )


async def test_feed_is_newest_first_and_cursor_pages_survive_new_posts(client, oasis):
    people, _, _, _ = oasis
    titles = [f"post {i:02d}" for i in range(7)]
    for title in titles:
        await _post(client, people["artist"], title)
    first = (await client.get("/api/feed", headers=people["patron"], params={"limit": 3})).json()
    assert [p["title"] for p in first["items"]] == ["post 06", "post 05", "post 04"]
    # New posts arrive between pages: the next page continues where the first ended, no repeats, no gaps.
    await _post(client, people["artist"], "late 1")
    await _post(client, people["artist"], "late 2")
    second = (
        await client.get("/api/feed", headers=people["patron"], params={"limit": 3, "cursor": first["next_cursor"]})
    ).json()
    third = (
        await client.get("/api/feed", headers=people["patron"], params={"limit": 3, "cursor": second["next_cursor"]})
    ).json()
    assert [p["title"] for p in second["items"]] == ["post 03", "post 02", "post 01"]
    assert [p["title"] for p in third["items"]] == ["post 00"] and third["next_cursor"] is None
    assert_problem(await client.get("/api/feed", headers=people["patron"], params={"cursor": "garbage!"}), 422)


async def test_follow_unfollow_and_likes(client, oasis):
    people, artist_id, _, _ = oasis
    public = await _post(client, people["artist"], "Likeable")
    liked = (await client.post(f"/api/posts/{public['id']}/like", headers=people["lurker"])).json()
    assert liked["like_count"] == 1 and liked["liked"] is True
    await client.post(f"/api/posts/{public['id']}/like", headers=people["lurker"])
    assert (await client.get(f"/api/posts/{public['id']}", headers=people["patron"])).json()["like_count"] == 1
    assert (await client.get(f"/api/creators/{artist_id}", headers=people["lurker"])).json()["follower_count"] == 2
    assert (await client.delete(f"/api/creators/{artist_id}/follow", headers=people["lurker"])).status_code == 204
    assert (await client.get(f"/api/creators/{artist_id}/follow", headers=people["lurker"])).json() == {
        "following": False
    }
    assert (await client.get("/api/feed", headers=people["lurker"])).json()["items"] == []
    assert_problem(await client.post(f"/api/creators/{artist_id}/follow", headers=people["artist"]), 422)
