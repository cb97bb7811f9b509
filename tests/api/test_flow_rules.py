"""Each product's own rules, held on every read path that exposes the data (issue: flows that broke
their own rules). One test per rule; each walks the endpoints and sockets that show the data."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest

from tests.api.test_generations import _wait_for_status
from tests.support.api import assert_problem, bearer, login, register, set_role
from tests.support.database import query
from tests.support.ws import Editor, add_rect

# -- AdVenture: the freemium lock holds on every read path ------------------------------------------


async def _guest_with_generation(client: httpx.AsyncClient) -> tuple[dict[str, str], str, dict[str, Any], str]:
    guest = (await client.post("/api/auth/guests", json={"email": f"g{uuid.uuid4().hex[:8]}@example.com"})).json()
    headers = bearer(guest["tokens"])
    campaign = (await client.post("/api/campaigns", headers=headers, json={"name": "Guest ad"})).json()
    generation = (
        await client.post(f"/api/campaigns/{campaign['id']}/generations", headers=headers, json={"kind": "ad_copy"})
    ).json()
    done = await _wait_for_status(client, headers, generation["id"], {"completed"})
    return headers, campaign["id"], done, guest["tokens"]["access_token"]


def _texts(document: dict[str, Any]) -> list[str]:
    return [layer["props"].get("text", "") for layer in document["layers"] if layer["type"] == "text"]


async def test_a_guest_sees_no_ai_result_anywhere_until_the_ad_is_watched(client, live_server, settings) -> None:
    headers, campaign_id, generation, token = await _guest_with_generation(client)
    assert generation["result_locked"] is True and generation["result"] == {}
    (result,) = query(settings.database_url, "SELECT result FROM generations WHERE id = %s", generation["id"])[0]
    headline = result["ad_copy"]["headlines"][0]

    listed = (await client.get(f"/api/campaigns/{campaign_id}/generations", headers=headers)).json()["items"]
    assert all(g["result_locked"] and g["result"] == {} for g in listed)
    canvas = (await client.get(f"/api/campaigns/{campaign_id}/canvas", headers=headers)).json()
    assert canvas["document"]["layers"] and all(t == "" for t in _texts(canvas["document"]))
    assert all(layer["props"].get("locked") for layer in canvas["document"]["layers"])
    assert headline not in json.dumps(canvas)
    # The edit history and version diffs are read paths too.
    history = (await client.get(f"/api/campaigns/{campaign_id}/canvas/versions", headers=headers)).json()
    assert history["items"] and headline not in json.dumps(history)
    latest = canvas["version"]
    diff = await client.get(f"/api/campaigns/{campaign_id}/canvas/versions/0/diff/{latest}", headers=headers)
    assert diff.status_code == 200 and diff.json()["patch"] and headline not in diff.text

    editor = await Editor.join(live_server, campaign_id, token)
    snapshot = await editor.next("snapshot")
    assert headline not in json.dumps(snapshot)
    replay = await Editor.join(live_server, campaign_id, token, since_version=0)
    replayed = await replay.next("replay", "snapshot")
    assert headline not in json.dumps(replayed)
    await replay.close()

    # A second generation finishing while the guest watches arrives locked too.
    second = (
        await client.post(f"/api/campaigns/{campaign_id}/generations", headers=headers, json={"kind": "ad_copy"})
    ).json()
    await _wait_for_status(client, headers, second["id"], {"completed"})
    await asyncio.sleep(0.3)
    (later,) = query(settings.database_url, "SELECT result FROM generations WHERE id = %s", second["id"])[0]
    await editor.ws.send(json.dumps({"type": "ping"}))
    await editor.next("pong")
    streamed = json.dumps(editor.seen)
    assert later["ad_copy"]["headlines"][0] not in streamed and headline not in streamed

    # Watching the ad unlocks every path, the open socket included (a fresh snapshot).
    view = (await client.post("/api/ads/views", headers=headers)).json()
    assert (await client.post(f"/api/ads/views/{view['id']}/complete", headers=headers)).status_code == 200
    fresh = await editor.next("snapshot", timeout=5)
    assert headline in json.dumps(fresh)
    canvas = (await client.get(f"/api/campaigns/{campaign_id}/canvas", headers=headers)).json()
    assert headline in _texts(canvas["document"])
    history = (await client.get(f"/api/campaigns/{campaign_id}/canvas/versions", headers=headers)).json()
    assert headline in json.dumps(history)
    listed = (await client.get(f"/api/campaigns/{campaign_id}/generations", headers=headers)).json()["items"]
    assert all(not g["result_locked"] for g in listed)
    await editor.close()


async def test_members_are_never_locked(client, settings) -> None:
    await register(client, "member_gen")
    headers = bearer(await login(client, "member_gen"))
    campaign = (await client.post("/api/campaigns", headers=headers, json={"name": "Member ad"})).json()
    generation = (
        await client.post(f"/api/campaigns/{campaign['id']}/generations", headers=headers, json={"kind": "ad_copy"})
    ).json()
    done = await _wait_for_status(client, headers, generation["id"], {"completed"})
    assert done["result_locked"] is False and done["result"]["ad_copy"]
    canvas = (await client.get(f"/api/campaigns/{campaign['id']}/canvas", headers=headers)).json()
    assert any(_texts(canvas["document"]))


# -- CRE Studio / AdVenture: viewers read, never write ---------------------------------------------


@pytest.fixture
async def roles(client: httpx.AsyncClient, settings: Any) -> dict[str, Any]:
    for name in ("owner_r", "viewer_r", "manager_r"):
        await register(client, name)
    set_role(settings.database_url, "viewer_r", "viewer")
    set_role(settings.database_url, "manager_r", "manager")
    people = {name: bearer(await login(client, name)) for name in ("owner_r", "viewer_r", "manager_r")}
    prop = await client.post(
        "/api/properties",
        headers=people["manager_r"],
        json={"name": "Dock 5", "address": "5 Quay", "city": "Leeds", "property_type": "office"},
    )
    assert prop.status_code == 201, prop.text
    campaign = (await client.post("/api/campaigns", headers=people["owner_r"], json={"name": "Owned"})).json()
    return {"people": people, "property": prop.json()["id"], "campaign": campaign["id"]}


async def test_a_viewer_reads_and_comments_but_every_other_write_is_403_role_required(
    client, roles, live_server, settings
) -> None:
    viewer = roles["people"]["viewer_r"]
    campaign, prop = roles["campaign"], roles["property"]
    # Reads and comments work.
    assert (await client.get(f"/api/campaigns/{campaign}", headers=viewer)).status_code == 200
    assert (await client.get(f"/api/properties/{prop}", headers=viewer)).status_code == 200
    assert (await client.get(f"/api/campaigns/{campaign}/canvas", headers=viewer)).status_code == 200
    assert (
        await client.post(f"/api/campaigns/{campaign}/comments", headers=viewer, json={"body": "Nice"})
    ).status_code == 201
    writes = [
        ("POST", "/api/campaigns", {"name": "Mine"}),
        ("PATCH", f"/api/campaigns/{campaign}", {"name": "x"}),
        ("DELETE", f"/api/campaigns/{campaign}", None),
        ("POST", f"/api/campaigns/{campaign}/generations", {"kind": "ad_copy"}),
        ("POST", f"/api/campaigns/{campaign}/canvas/versions/0/restore", None),
        ("POST", f"/api/campaigns/{campaign}/canvas/export", None),
        ("POST", f"/api/properties/{prop}/campaigns", {}),
        ("POST", "/api/properties", {"name": "P", "address": "a", "city": "c", "property_type": "office"}),
        ("PATCH", f"/api/properties/{prop}", {"name": "y"}),
        ("DELETE", f"/api/properties/{prop}", None),
    ]
    for method, path, body in writes:
        response = await client.request(method, path, headers=viewer, json=body)
        assert_problem(response, 403, "role-required")
    assert query(settings.database_url, "SELECT count(*) FROM generations")[0][0] == 0
    assert query(settings.database_url, "SELECT count(*) FROM campaigns")[0][0] == 1
    # The websocket says the same.
    editor = await Editor.join(live_server, campaign, viewer["Authorization"].split()[1])
    await editor.next("snapshot")
    await editor.op("v1", add_rect("v"))
    assert (await editor.next("error"))["code"] == "role-required"
    await editor.close()


async def test_a_viewer_owning_a_campaign_still_cannot_change_it(client, roles, settings) -> None:
    set_role(settings.database_url, "owner_r", "viewer")
    owner = bearer(await login(client, "owner_r"))
    assert_problem(
        await client.patch(f"/api/campaigns/{roles['campaign']}", headers=owner, json={"name": "z"}),
        403,
        "role-required",
    )


async def test_campaigns_name_only_existing_properties_and_survive_their_deletion(client, roles, settings) -> None:
    manager = roles["people"]["manager_r"]
    missing = str(uuid.uuid4())
    assert_problem(
        await client.post("/api/campaigns", headers=manager, json={"name": "Ghost", "property_id": missing}),
        404,
        "property-not-found",
    )
    made = await client.post("/api/campaigns", headers=manager, json={"name": "Real", "property_id": roles["property"]})
    assert made.status_code == 201
    patched = await client.patch(f"/api/campaigns/{made.json()['id']}", headers=manager, json={"property_id": missing})
    assert_problem(patched, 404, "property-not-found")
    assert (await client.delete(f"/api/properties/{roles['property']}", headers=manager)).status_code == 204
    kept = (await client.get(f"/api/campaigns/{made.json()['id']}", headers=manager)).json()
    assert kept["name"] == "Real" and kept["property_id"] is None


async def test_everyone_starts_as_a_prompt_novice(client) -> None:
    await register(client, "newbie")
    me = (await client.get("/api/gamification/me", headers=bearer(await login(client, "newbie")))).json()
    assert me["standing"]["rank"] == "Prompt Novice"


# -- Oasis: money and access ------------------------------------------------------------------------------


async def _commission(client: Any, price: int = 50000) -> dict[str, Any]:
    offer = (
        await client.post(
            "/api/commissions/offers", headers=client.creator, json={"title": "Portrait", "price_minor": price}
        )
    ).json()
    ordered = await client.post("/api/commissions", headers=client.fan, json={"offer_id": offer["id"]})
    assert ordered.status_code == 201, ordered.text
    return ordered.json()


async def test_a_commission_is_paid_only_by_its_buyer_on_its_own_terms(paying: Any, rzp: Any) -> None:
    client = paying
    commission = await _commission(client)
    await register(client, "stranger_c")
    stranger = bearer(await login(client, "stranger_c"))
    cases = [
        (client.fan, {"amount_minor": 100, "creator_id": client.creator_id, "reference": commission["id"]}, 422),
        (client.fan, {"amount_minor": 50000, "creator_id": client.fan_id, "reference": commission["id"]}, 422),
        (client.fan, {"amount_minor": 50000, "currency": "USD", "reference": commission["id"]}, 422),
        (client.fan, {"amount_minor": 50000, "creator_id": client.creator_id, "reference": "not-a-commission"}, 422),
        (client.fan, {"amount_minor": 50000, "creator_id": client.creator_id, "reference": str(uuid.uuid4())}, 404),
        (stranger, {"amount_minor": 50000, "creator_id": client.creator_id, "reference": commission["id"]}, 404),
    ]
    for headers, body, status in cases:
        assert_problem(
            await client.post("/api/billing/orders", headers=headers, json={"kind": "commission", **body}), status
        )
    assert rzp.orders == {}
    # The commission's own terms: price, currency and creator come from it (the amount may be left out).
    paid = await _pay_order(client, rzp, {"kind": "commission", "reference": commission["id"]})
    assert paid["amount_minor"] == 50000 and rzp.orders[paid["gateway_id"]]["amount"] == 50000
    seen = (await client.get(f"/api/commissions/{commission['id']}/deletable", headers=client.fan)).json()
    assert seen == {"deletable": False}
    ((creator,),) = query(
        client.settings.database_url, "SELECT creator_id FROM billing_ledger WHERE kind = 'commission'"
    )
    assert str(creator) == client.creator_id
    assert_problem(
        await client.post(
            "/api/billing/orders", headers=client.fan, json={"kind": "commission", "reference": commission["id"]}
        ),
        409,
        "commission-already-paid",
    )


async def _pay_order(client: Any, rzp: Any, body: dict[str, Any]) -> dict[str, Any]:
    from tests.fakes.razorpay_server import KEY_SECRET, sign

    started = await client.post("/api/billing/orders", headers=client.fan, json=body)
    assert started.status_code == 201, started.text
    gateway_id = started.json()["gateway_id"]
    payment_id = rzp.pay_order(gateway_id)
    verified = await client.post(
        "/api/billing/orders/verify",
        headers=client.fan,
        json={
            "razorpay_order_id": gateway_id,
            "razorpay_payment_id": payment_id,
            "razorpay_signature": sign(KEY_SECRET, f"{gateway_id}|{payment_id}"),
        },
    )
    assert verified.status_code == 200, verified.text
    return started.json()


async def test_a_tier_bought_once_unlocks_its_posts_for_a_period_and_counts(paying: Any, rzp: Any) -> None:
    client = paying
    tier = (
        await client.post("/api/billing/plans", headers=client.creator, json={"name": "Gold", "amount_minor": 34800})
    ).json()
    post = await client.post(
        "/api/posts",
        headers=client.creator,
        json={"title": "Members only", "body": "Secret", "visibility": "tiers", "tier_ids": [tier["id"]]},
    )
    assert post.status_code == 201, post.text
    before = (await client.get(f"/api/posts/{post.json()['id']}", headers=client.fan)).json()
    assert before["body"] is None
    await _pay_order(client, rzp, {"kind": "one_time", "plan_id": tier["id"]})
    after = (await client.get(f"/api/posts/{post.json()['id']}", headers=client.fan)).json()
    assert after["body"] == "Secret"
    page = (await client.get(f"/api/creators/{client.creator_id}/posts", headers=client.fan)).json()
    assert page["items"][0]["body"] == "Secret"
    stats = (await client.get("/api/creators/me/stats", headers=client.creator)).json()
    assert [t["subscribers"] for t in stats["subscribers_per_tier"]] == [1]
    # After the billing period the purchase no longer opens the tier.
    query(
        client.settings.database_url,
        "UPDATE billing_orders SET paid_at = now() - interval '32 days' WHERE kind = 'one_time' RETURNING id",
    )
    assert (await client.get(f"/api/posts/{post.json()['id']}", headers=client.fan)).json()["body"] is None


async def test_one_open_subscription_per_tier_and_dashboards_count_people(paying: Any, rzp: Any) -> None:
    client = paying
    tier = (
        await client.post("/api/billing/plans", headers=client.creator, json={"name": "Gold", "amount_minor": 34800})
    ).json()
    first = await client.post("/api/billing/subscriptions", headers=client.fan, json={"plan_id": tier["id"]})
    assert first.status_code == 201
    assert_problem(
        await client.post("/api/billing/subscriptions", headers=client.fan, json={"plan_id": tier["id"]}),
        409,
        "subscription-exists",
    )
    assert len(rzp.subscriptions) == 1
    # Concurrent attempts cannot both get through either.
    other = (
        await client.post("/api/billing/plans", headers=client.creator, json={"name": "Silver", "amount_minor": 9900})
    ).json()
    results = await asyncio.gather(
        *(
            client.post("/api/billing/subscriptions", headers=client.fan, json={"plan_id": other["id"]})
            for _ in range(4)
        )
    )
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409]
    # A fan subscribed and also buying the tier once is one person on the dashboard.
    query(client.settings.database_url, "UPDATE billing_subscriptions SET status = 'active' RETURNING id")
    await _pay_order(client, rzp, {"kind": "one_time", "plan_id": tier["id"]})
    stats = (await client.get("/api/creators/me/stats", headers=client.creator)).json()
    assert {t["name"]: t["subscribers"] for t in stats["subscribers_per_tier"]} == {"Gold": 1, "Silver": 1}


async def test_only_creators_sell_tiers(paying: Any) -> None:
    client = paying
    assert_problem(
        await client.post("/api/billing/plans", headers=client.fan, json={"name": "Mine", "amount_minor": 1000}),
        403,
        "not-a-creator",
    )
    assert (
        await client.post("/api/billing/plans", headers=client.creator, json={"name": "Ok", "amount_minor": 1000})
    ).status_code == 201


async def test_the_feed_holds_followed_and_subscribed_creators(paying: Any, rzp: Any) -> None:
    client = paying
    tier = (
        await client.post("/api/billing/plans", headers=client.creator, json={"name": "Gold", "amount_minor": 34800})
    ).json()
    await client.post("/api/posts", headers=client.creator, json={"title": "Hello subscribers"})
    assert (await client.get("/api/feed", headers=client.fan)).json()["items"] == []
    await _pay_order(client, rzp, {"kind": "one_time", "plan_id": tier["id"]})
    titles = [p["title"] for p in (await client.get("/api/feed", headers=client.fan)).json()["items"]]
    assert titles == ["Hello subscribers"]


async def test_search_and_profile_agree_on_follower_counts(paying: Any) -> None:
    client = paying
    await client.post(f"/api/creators/{client.creator_id}/follow", headers=client.fan)
    profile = (await client.get(f"/api/creators/{client.creator_id}", headers=client.fan)).json()
    found = (await client.get("/api/search", headers=client.fan, params={"q": "Creator"})).json()
    creators = found.get("creators", [])
    assert profile["follower_count"] == 1
    assert [c["follower_count"] for c in creators if c["user_id"] == client.creator_id] == [1]


# -- DiceyTech -----------------------------------------------------------------------------------


async def _upload(client: httpx.AsyncClient, headers: dict[str, str], visibility: str) -> str:
    """Upload through the signed local URL (sent to this test server, whatever PUBLIC_BASE_URL says)."""
    pdf = b"%PDF-1.4\n%resume\n"
    started = (
        await client.post(
            "/api/media/uploads",
            headers=headers,
            json={"filename": "cv.pdf", "content_type": "application/pdf", "size": len(pdf), "visibility": visibility},
        )
    ).json()
    async with httpx.AsyncClient() as raw:
        target = httpx.URL(started["upload"]["url"])
        await raw.put(
            str(client.base_url.join(target.raw_path.decode())), content=pdf, headers=started["upload"]["headers"]
        )
    assert (await client.post(f"/api/media/{started['media']['id']}/complete", headers=headers)).status_code == 200
    return started["media"]["id"]


async def test_a_public_upload_is_never_accepted_as_a_resume(client, settings) -> None:
    await register(client, "poster_j")
    await register(client, "applicant_j")
    poster, applicant = bearer(await login(client, "poster_j")), bearer(await login(client, "applicant_j"))
    job = (
        await client.post(
            "/api/jobs",
            headers=poster,
            json={
                "title": "Dev",
                "company": "D",
                "job_type": "full_time",
                "location_type": "remote",
                "description": "d",
            },
        )
    ).json()
    public = await _upload(client, applicant, "public")
    refused = await client.post(
        f"/api/jobs/{job['id']}/applications", headers=applicant, json={"resume_media_id": public}
    )
    assert_problem(refused, 422, "resume-must-be-private")
    private = await _upload(client, applicant, "private")
    applied = await client.post(
        f"/api/jobs/{job['id']}/applications", headers=applicant, json={"resume_media_id": private}
    )
    assert applied.status_code == 201, applied.text
    await register(client, "nosy_j")
    nosy = bearer(await login(client, "nosy_j"))
    assert_problem(await client.get(f"/api/media/{private}", headers=nosy), 404)
    assert_problem(await client.get(f"/api/media/{private}"), 404)


async def test_skills_are_unique_whatever_the_case_and_counted_per_person(client) -> None:
    await register(client, "skilled")
    headers = bearer(await login(client, "skilled"))
    me = (
        await client.patch("/api/users/me", headers=headers, json={"skills": ["ZIGX", "zigx", " Zigx ", "Rust"]})
    ).json()
    assert me["skills"] == ["ZIGX", "Rust"]
    catalogue = (await client.get("/api/skills", headers=headers, params={"q": "zigx"})).json()["items"]
    assert [(s["skill"], s["members"]) for s in catalogue] == [("zigx", 1)]


async def test_spec_limits_and_project_types(client) -> None:
    await register(client, "limits")
    headers = bearer(await login(client, "limits"))
    assert_problem(await client.patch("/api/users/me", headers=headers, json={"goals": "g" * 201}), 422)
    assert_problem(await client.patch("/api/users/me", headers=headers, json={"phone": "+1 555 0100 2000 3000"}), 422)
    assert (
        await client.patch("/api/users/me", headers=headers, json={"goals": "g" * 200, "phone": "+91 98765 43210"})
    ).status_code == 200
    for kind in ("hackathon", "practice", "personal"):
        made = await client.post(
            "/api/projects",
            headers=headers,
            json={
                "title": f"A {kind}",
                "project_type": kind,
                "difficulty": "beginner",
                "category": "web",
                "description": "d",
            },
        )
        assert made.status_code == 201, made.text
        listed = (await client.get("/api/projects", headers=headers, params={"project_type": kind})).json()["items"]
        assert [p["project_type"] for p in listed] == [kind]


async def test_experience_and_education_can_be_edited_by_their_owner_only(client) -> None:
    await register(client, "career")
    await register(client, "other_c")
    owner, other = bearer(await login(client, "career")), bearer(await login(client, "other_c"))
    item = (
        await client.post(
            "/api/users/me/experience",
            headers=owner,
            json={"kind": "work", "title": "Dev", "organization": "A", "start_date": "2020-01-01"},
        )
    ).json()
    patched = await client.patch(
        f"/api/users/me/experience/{item['id']}", headers=owner, json={"title": "Senior dev", "end_date": "2023-06-30"}
    )
    assert (
        patched.status_code == 200
        and patched.json()["title"] == "Senior dev"
        and patched.json()["end_date"] == "2023-06-30"
    )
    replaced = await client.put(
        f"/api/users/me/experience/{item['id']}",
        headers=owner,
        json={
            "kind": "education",
            "title": "MSc",
            "organization": "Uni",
            "start_date": "2018-09-01",
            "end_date": "2019-09-01",
        },
    )
    assert replaced.status_code == 200 and replaced.json()["kind"] == "education"
    assert_problem(
        await client.patch(f"/api/users/me/experience/{item['id']}", headers=owner, json={"end_date": "2000-01-01"}),
        422,
    )
    assert_problem(
        await client.patch(f"/api/users/me/experience/{item['id']}", headers=other, json={"title": "Mine now"}), 404
    )
    me = (await client.get("/api/users/me", headers=owner)).json()
    listed = (await client.get(f"/api/users/{me['id']}/experience", headers=other)).json()["items"]
    assert [(e["title"], e["organization"]) for e in listed] == [("MSc", "Uni")]


async def test_notifications_are_ordered_by_their_event_even_when_delivered_out_of_order(settings) -> None:
    """The cause of an intermittent failure: two posts' notifications were dated by whichever job ran first."""
    from datetime import UTC, datetime, timedelta

    from app.domain.kernel import Principal, Role
    from app.domain.outbox import DeliverNotification
    from app.entrypoints.app import build_services

    services = build_services(settings)
    try:
        reader = await services.accounts.create_admin(
            username="reader_n", email="reader_n@example.com", password="Sturdy-Passw0rd!"
        )
        first_at = datetime.now(UTC) - timedelta(seconds=5)
        events = [("Second", first_at + timedelta(seconds=1)), ("First", first_at)]
        for title, at in events:  # delivered newest first, as concurrent jobs may
            await services.notifications.deliver(
                DeliverNotification(kind="new_post", at=at, recipients=[reader.id], data={"title": title})
            )
        principal = Principal(
            user_id=reader.id,
            session_id=uuid.uuid4(),
            role=Role.ADMIN,
            is_guest=False,
            email_verified=True,
            username="reader_n",
        )
        page, _ = await services.notifications.list(principal, unread_only=False, page=1, page_size=10)
        assert [n.data["title"] for n in page.items] == ["Second", "First"]
        assert [n.created_at for n in page.items] == [events[0][1], events[1][1]]
    finally:
        await services.engine.dispose()
