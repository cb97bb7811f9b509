"""Post comments (gated like their post) and the commission workflow."""

from __future__ import annotations

from tests.api.test_creators_feed import make_tier
from tests.api.test_notifications_stats import _wait_unread
from tests.support.api import assert_problem, bearer, login, register
from tests.support.database import query


async def _people(client, *names):
    people = {}
    for name in names:
        await register(client, name)
        people[name] = bearer(await login(client, name))
    return people


async def test_comments_follow_the_posts_gating_and_thread(client, settings):
    people = await _people(client, "writer", "reader", "outsider")
    await client.put("/api/creators/me", headers=people["writer"], json={"display_name": "Writer"})
    tier = make_tier(settings.database_url, "writer", "Inner circle")
    public = (await client.post("/api/posts", headers=people["writer"], json={"title": "Open"})).json()
    gated = (
        await client.post(
            "/api/posts",
            headers=people["writer"],
            json={"title": "Closed", "body": "x", "visibility": "tiers", "tier_ids": [tier]},
        )
    ).json()

    root = (
        await client.post(f"/api/posts/{public['id']}/comments", headers=people["reader"], json={"body": "Nice"})
    ).json()
    reply = await client.post(
        f"/api/posts/{public['id']}/comments",
        headers=people["writer"],
        json={"body": "Thanks", "parent_id": root["id"]},
    )
    assert reply.status_code == 201
    thread = (await client.get(f"/api/posts/{public['id']}/comments", headers=people["outsider"])).json()["items"]
    assert [(c["body"], c["parent_id"]) for c in thread] == [("Nice", None), ("Thanks", root["id"])]
    assert_problem(
        await client.post(f"/api/posts/{gated['id']}/comments", headers=people["outsider"], json={"body": "let me in"}),
        403,
        "post-locked",
    )
    assert_problem(await client.get(f"/api/posts/{gated['id']}/comments", headers=people["outsider"]), 403)
    reader_inbox = await _wait_unread(client, people["reader"], 1)
    assert [n["kind"] for n in reader_inbox["items"]] == ["reply"]


async def test_commission_workflow_and_deletable(client, settings):
    people = await _people(client, "artisan", "client_c", "nosy")
    await client.put("/api/creators/me", headers=people["artisan"], json={"display_name": "Artisan"})
    artisan_id = (await client.get("/api/users/me", headers=people["artisan"])).json()["id"]
    offer = (
        await client.post(
            "/api/commissions/offers", headers=people["artisan"], json={"title": "Portrait", "price_minor": 150000}
        )
    ).json()
    assert [
        o["title"]
        for o in (await client.get(f"/api/creators/{artisan_id}/commission-offers", headers=people["nosy"])).json()[
            "items"
        ]
    ] == ["Portrait"]

    first = (
        await client.post(
            "/api/commissions",
            headers=people["client_c"],
            json={"offer_id": offer["id"], "description": "Me and my cat"},
        )
    ).json()
    assert first["status"] == "ordered" and first["deletable"] is True and first["price_minor"] == 150000
    assert (await _wait_unread(client, people["artisan"], 1))["items"][0]["kind"] == "commission_update"

    url = f"/api/commissions/{first['id']}"
    assert_problem(
        await client.post(f"{url}/status", headers=people["client_c"], json={"status": "delivered"}),
        422,
        "commission-transition",
    )
    assert_problem(await client.get(f"{url}/deletable", headers=people["nosy"]), 404)
    started = (await client.post(f"{url}/status", headers=people["artisan"], json={"status": "in_progress"})).json()
    assert started["status"] == "in_progress" and started["deletable"] is False
    assert (await client.get(f"{url}/deletable", headers=people["client_c"])).json() == {"deletable": False}
    assert_problem(await client.delete(url, headers=people["client_c"]), 422, "commission-not-deletable")
    delivered = (await client.post(f"{url}/status", headers=people["artisan"], json={"status": "delivered"})).json()
    assert delivered["status"] == "delivered"
    assert_problem(await client.post(f"{url}/status", headers=people["artisan"], json={"status": "cancelled"}), 422)
    assert (await _wait_unread(client, people["client_c"], 2))["unread_count"] == 2

    # A paid request is never deletable, even while still "ordered".
    second = (await client.post("/api/commissions", headers=people["client_c"], json={"offer_id": offer["id"]})).json()
    query(
        settings.database_url,
        "INSERT INTO billing_orders (id, user_id, kind, gateway_order_id, amount_minor, currency, reference, tipper_name, message, status)"
        " SELECT gen_random_uuid(), id, 'commission', 'order_x1', 150000, 'INR', %s, '', '', 'paid' FROM users WHERE username = 'client_c' RETURNING id",
        second["id"],
    )
    assert (await client.get(f"/api/commissions/{second['id']}/deletable", headers=people["client_c"])).json() == {
        "deletable": False
    }
    third = (await client.post("/api/commissions", headers=people["client_c"], json={"offer_id": offer["id"]})).json()
    assert (await client.delete(f"/api/commissions/{third['id']}", headers=people["client_c"])).status_code == 204
    mine = (await client.get("/api/commissions", headers=people["client_c"])).json()["items"]
    assert {c["id"] for c in mine} == {first["id"], second["id"]}
    assert (
        len(
            (await client.get("/api/commissions", headers=people["artisan"], params={"as_creator": "true"})).json()[
                "items"
            ]
        )
        == 2
    )


async def test_tier_only_post_media_reaches_subscribers_only(clean_db, tmp_path):
    import httpx

    from app.entrypoints.app import create_app
    from tests.api.test_creators_feed import subscribe
    from tests.api.test_media import _upload, png_bytes
    from tests.conftest import make_settings
    from tests.support.servers import free_port, serve

    port = free_port()
    settings = make_settings(clean_db, tmp_path, public_base_url=f"http://127.0.0.1:{port}")
    async with serve(create_app(settings), port=port) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        people = await _people(client, "photog", "member_p", "visitor_p")
        await client.put("/api/creators/me", headers=people["photog"], json={"display_name": "Photog"})
        tier = make_tier(clean_db, "photog", "Prints")
        subscribe(clean_db, "member_p", tier)
        media_id, _ = await _upload(client, people["photog"], png_bytes((20, 20)))
        assert (await client.post(f"/api/media/{media_id}/complete", headers=people["photog"])).status_code == 200
        post = (
            await client.post(
                "/api/posts",
                headers=people["photog"],
                json={"title": "Print", "visibility": "tiers", "tier_ids": [tier], "media_ids": [media_id]},
            )
        ).json()
        url = f"/api/posts/{post['id']}/media/{media_id}"
        shared = await client.get(url, headers=people["member_p"])
        assert shared.status_code == 200 and shared.json()["download_url"]
        assert_problem(await client.get(url, headers=people["visitor_p"]), 403, "post-locked")
        assert_problem(await client.get(f"/api/media/{media_id}", headers=people["member_p"]), 404)
        locked = (await client.get(f"/api/posts/{post['id']}", headers=people["visitor_p"])).json()
        assert locked["media_ids"] == []
