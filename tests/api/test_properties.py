"""CRE Studio properties: role rules, filters, and the AI marketing job a property campaign starts."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.api import assert_problem, bearer, login, register, set_role


@pytest.fixture
async def cre(client, settings):
    people = {}
    for name, role in (("boss_p", "admin"), ("mgr_p", "manager"), ("view_p", "viewer")):
        await register(client, name)
        set_role(settings.database_url, name, role)
        people[name] = bearer(await login(client, name))
    return people


LISTINGS = [
    ("Riverside Offices", "office", "Austin", 250_000_000, 12_000),
    ("Mill Street Retail", "retail", "austin", 90_000_000, 3_500),
    ("Harbor Warehouse", "industrial", "Houston", 400_000_000, 80_000),
]


async def test_role_rules_and_filters(client, cre):
    for name, kind, city, price, size in LISTINGS:
        created = await client.post(
            "/api/properties",
            headers=cre["mgr_p"],
            json={
                "name": name,
                "property_type": kind,
                "city": city,
                "price_minor": price,
                "size_sqft": size,
                "attributes": {"parking": 10},
            },
        )
        assert created.status_code == 201, created.text
    assert_problem(
        await client.post(
            "/api/properties", headers=cre["view_p"], json={"name": "x", "property_type": "land", "city": "y"}
        ),
        403,
        "role-required",
    )

    async def names(**params):
        body = (await client.get("/api/properties", headers=cre["view_p"], params=params)).json()
        return sorted(p["name"] for p in body["items"])

    assert await names() == sorted(n for n, *_ in LISTINGS)
    assert await names(city="AUSTIN") == ["Mill Street Retail", "Riverside Offices"]
    assert await names(property_type="industrial") == ["Harbor Warehouse"]
    assert await names(min_price=100_000_000) == ["Harbor Warehouse", "Riverside Offices"]
    assert await names(min_size=3_000, max_size=20_000) == ["Mill Street Retail", "Riverside Offices"]
    assert await names(q="street") == ["Mill Street Retail"]
    assert_problem(
        await client.get("/api/properties", headers=cre["view_p"], params={"min_price": 5, "max_price": 1}), 422
    )
    assert_problem(await client.get("/api/properties", headers=cre["view_p"], params={"property_type": "castle"}), 422)

    prop = (await client.get("/api/properties", headers=cre["view_p"], params={"q": "Harbor"})).json()["items"][0]
    assert_problem(
        await client.patch(f"/api/properties/{prop['id']}", headers=cre["view_p"], json={"name": "Mine"}), 403
    )
    patched = (
        await client.patch(
            f"/api/properties/{prop['id']}", headers=cre["boss_p"], json={"attributes": {"dock_doors": 12}}
        )
    ).json()
    assert patched["attributes"] == {"dock_doors": 12}
    assert_problem(
        await client.patch(f"/api/properties/{prop['id']}", headers=cre["boss_p"], json={"size_sqft": 0}), 422
    )
    assert (await client.delete(f"/api/properties/{prop['id']}", headers=cre["boss_p"])).status_code == 204
    assert_problem(await client.get(f"/api/properties/{prop['id']}", headers=cre["view_p"]), 404)


async def test_a_property_campaign_starts_ai_copy_and_can_be_rerun(client, cre):
    prop = (
        await client.post(
            "/api/properties",
            headers=cre["mgr_p"],
            json={
                "name": "Riverside Offices",
                "property_type": "office",
                "city": "Austin",
                "size_sqft": 12000,
                "description": "Floors 3-5 with river views",
            },
        )
    ).json()
    launched = await client.post(f"/api/properties/{prop['id']}/campaigns", headers=cre["mgr_p"], json={})
    assert launched.status_code == 202, launched.text
    campaign, generation = launched.json()["campaign"], launched.json()["generation"]
    assert campaign["property_id"] == prop["id"] and campaign["name"] == "Riverside Offices campaign"
    assert "office property in Austin" in generation["brief"] and "12,000 sq ft" in generation["brief"]
    for _ in range(300):
        current = (await client.get(f"/api/campaigns/{campaign['id']}", headers=cre["mgr_p"])).json()
        if current["ai_status"] == "completed":
            break
        await asyncio.sleep(0.05)
    assert current["ai_status"] == "completed"
    done = (await client.get(f"/api/generations/{generation['id']}", headers=cre["mgr_p"])).json()
    assert done["result"]["ad_copy"]["headlines"]
    again = await client.post(
        f"/api/properties/{prop['id']}/campaigns/{campaign['id']}/regenerate", headers=cre["mgr_p"]
    )
    assert again.status_code == 202 and again.json()["id"] != generation["id"]
    other = (await client.post("/api/campaigns", headers=cre["mgr_p"], json={"name": "Unrelated"})).json()
    assert_problem(
        await client.post(f"/api/properties/{prop['id']}/campaigns/{other['id']}/regenerate", headers=cre["mgr_p"]), 404
    )


async def test_campaign_updates_and_comments_reach_the_owner_by_email(client, cre, settings):
    from pathlib import Path

    from tests.support.mailbox import Mailbox

    await register(client, "agent_p")
    agent = bearer(await login(client, "agent_p"))
    campaign = (await client.post("/api/campaigns", headers=agent, json={"name": "Lease-up"})).json()
    await client.patch(f"/api/campaigns/{campaign['id']}", headers=cre["mgr_p"], json={"status": "active"})
    await client.post(
        f"/api/campaigns/{campaign['id']}/comments", headers=cre["mgr_p"], json={"body": "Budget approved"}
    )
    mailbox = Mailbox(Path(settings.mail_outbox_dir))
    await mailbox.wait_for("agent_p@example.com", "campaign was updated")
    await mailbox.wait_for("agent_p@example.com", "new comment")


async def test_gallery_images_are_visible_to_property_readers(clean_db, tmp_path):
    import httpx

    from app.entrypoints.app import create_app
    from tests.api.test_media import _upload, png_bytes
    from tests.conftest import make_settings
    from tests.support.servers import free_port, serve

    port = free_port()
    settings = make_settings(clean_db, tmp_path, public_base_url=f"http://127.0.0.1:{port}")
    async with serve(create_app(settings), port=port) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        await register(client, "lister")
        await register(client, "browser")
        set_role(clean_db, "lister", "manager")
        lister = bearer(await login(client, "lister"))
        browser = bearer(await login(client, "browser"))
        media_id, _ = await _upload(client, lister, png_bytes((30, 30)))
        await client.post(f"/api/media/{media_id}/complete", headers=lister)
        prop = (
            await client.post(
                "/api/properties",
                headers=lister,
                json={"name": "Loft", "property_type": "office", "city": "Pune", "media_ids": [media_id]},
            )
        ).json()
        shown = await client.get(f"/api/properties/{prop['id']}/media/{media_id}", headers=browser)
        assert shown.status_code == 200 and shown.json()["download_url"]
        assert_problem(await client.get(f"/api/properties/{prop['id']}/media/{prop['id']}", headers=browser), 404)


async def test_the_gallery_has_a_cover_and_can_be_reordered_and_pruned(client, settings):
    import uuid

    await register(client, "curator")
    await register(client, "visitor")
    set_role(settings.database_url, "curator", "manager")
    curator, visitor = bearer(await login(client, "curator")), bearer(await login(client, "visitor"))
    images = [str(uuid.uuid4()) for _ in range(4)]
    created = await client.post(
        "/api/properties",
        headers=curator,
        json={"name": "Tower", "property_type": "office", "city": "Oslo", "media_ids": images + [images[0]]},
    )
    assert created.status_code == 201, created.text
    prop = created.json()
    assert prop["media_ids"] == images and prop["cover_media_id"] == images[0]  # each image once
    url = f"/api/properties/{prop['id']}/gallery"
    covered = await client.put(f"{url}/cover", headers=curator, json={"media_id": images[2]})
    assert covered.status_code == 200, covered.text
    assert covered.json()["media_ids"] == [images[2], images[0], images[1], images[3]]
    assert covered.json()["cover_media_id"] == images[2]
    order = [images[3], images[1], images[2], images[0]]
    reordered = await client.put(url, headers=curator, json={"media_ids": order})
    assert reordered.status_code == 200 and reordered.json()["media_ids"] == order
    for wrong in (order[:3], [*order, str(uuid.uuid4())], [order[0], *order[:3]]):
        assert_problem(await client.put(url, headers=curator, json={"media_ids": wrong}), 422, "gallery-order-invalid")
    removed = await client.delete(f"{url}/{images[3]}", headers=curator)
    assert removed.status_code == 200 and removed.json()["cover_media_id"] == images[1]
    assert_problem(await client.delete(f"{url}/{images[3]}", headers=curator), 404, "media-not-in-gallery")
    assert_problem(await client.put(f"{url}/cover", headers=curator, json={"media_id": images[3]}), 404)
    assert_problem(await client.put(f"{url}/cover", headers=visitor, json={"media_id": images[1]}), 403)
    assert_problem(await client.put(url, headers=visitor, json={"media_ids": order}), 403)
    assert_problem(await client.delete(f"{url}/{images[1]}", headers=visitor), 403)
    assert_problem(
        await client.put(
            f"/api/properties/{uuid.uuid4()}/gallery/cover", headers=curator, json={"media_id": images[1]}
        ),
        404,
        "property-not-found",
    )
    final = (await client.get(f"/api/properties/{prop['id']}", headers=visitor)).json()
    assert final["media_ids"] == [images[1], images[2], images[0]]


async def test_search_by_custom_attributes_and_by_distance(client, settings):
    await register(client, "broker")
    set_role(settings.database_url, "broker", "manager")
    broker = bearer(await login(client, "broker"))
    places = {
        # name: (attributes, latitude, longitude)
        "Austin Tower": ({"floors": 30, "parking": "garage", "leed": "gold"}, 30.2672, -97.7431),
        "Round Rock Depot": ({"floors": 2, "parking": "surface"}, 30.5083, -97.6789),  # ~27 km north
        "Houston Plaza": ({"floors": "12", "parking": "garage"}, 29.7604, -95.3698),  # ~235 km east
        "Nowhere Lot": ({"floors": 1}, None, None),
    }
    for name, (attributes, lat, lng) in places.items():
        body = {"name": name, "property_type": "office", "city": "Texas", "attributes": attributes}
        if lat is not None:
            body |= {"latitude": lat, "longitude": lng}
        created = await client.post("/api/properties", headers=broker, json=body)
        assert created.status_code == 201, created.text

    async def names(**params):
        response = await client.get("/api/properties", headers=broker, params=params)
        assert response.status_code == 200, response.text
        return [p["name"] for p in response.json()["items"]], response.json()

    assert set((await names(**{"attr.parking": "garage"}))[0]) == {"Austin Tower", "Houston Plaza"}
    assert set((await names(**{"attr.floors": "12"}))[0]) == {"Houston Plaza"}  # text "12"
    assert set((await names(**{"attr.floors": "30"}))[0]) == {"Austin Tower"}  # number 30
    # Ranges only see numeric values: Houston's "12" is text.
    assert set((await names(**{"attr.floors.min": "2", "attr.floors.max": "40"}))[0]) == {
        "Austin Tower",
        "Round Rock Depot",
    }
    assert (await names(**{"attr.parking": "garage", "attr.leed": "gold"}))[0] == ["Austin Tower"]
    assert (await names(**{"attr.unknown": "x"}))[0] == []
    nearby, body = await names(near="30.2672,-97.7431", radius_km="50")
    assert nearby == ["Austin Tower", "Round Rock Depot"]  # nearest first, no coordinates never matches
    assert body["items"][0]["distance_km"] == 0 and 20 < body["items"][1]["distance_km"] < 35
    assert (await names(near="30.2672,-97.7431"))[0] == ["Austin Tower"]  # default radius 10 km
    wide, _ = await names(near="30.2672,-97.7431", radius_km="300", **{"attr.parking": "garage"})
    assert wide == ["Austin Tower", "Houston Plaza"]
    plain = (await client.get("/api/properties", headers=broker)).json()["items"]
    assert all(p["distance_km"] is None for p in plain)

    for params, field in (
        ({"attr.floors.min": "many"}, "attr.floors.min"),
        ({"attr.bad key": "x"}, "attr.bad key"),
        ({"near": "north"}, "near"),
        ({"near": "95,10"}, "near"),
        ({"near": "10,190"}, "near"),
        ({"radius_km": "5"}, "radius_km"),
        ({"near": "1,1", "radius_km": "0"}, None),
        ({"near": "nan,1"}, "near"),
        ({f"attr.k{n}": "v" for n in range(11)}, "attr"),
    ):
        response = await client.get("/api/properties", headers=broker, params=params)
        problem = assert_problem(response, 422)
        if field:
            assert field in {e["field"] for e in problem.get("errors", [])}, problem
    bad_coords = await client.post(
        "/api/properties",
        headers=broker,
        json={"name": "Half", "property_type": "office", "city": "X", "latitude": 10},
    )
    assert_problem(bad_coords, 422)
    assert_problem(
        await client.post(
            "/api/properties",
            headers=broker,
            json={"name": "Far", "property_type": "office", "city": "X", "latitude": 91, "longitude": 0},
        ),
        422,
    )


async def test_a_property_campaign_starts_its_ai_copy_and_process_ai_content_reruns_it(client, settings):
    from tests.api.test_generations import _wait_for_status
    from tests.support.database import query

    await register(client, "marketer")
    set_role(settings.database_url, "marketer", "manager")
    marketer = bearer(await login(client, "marketer"))
    prop = (
        await client.post(
            "/api/properties", headers=marketer, json={"name": "Harbour", "property_type": "retail", "city": "Kochi"}
        )
    ).json()
    created = await client.post(
        "/api/campaigns", headers=marketer, json={"name": "Harbour lease", "property_id": prop["id"]}
    )
    assert created.status_code == 201 and created.json()["ai_status"] == "pending", created.text
    campaign = created.json()["id"]
    first = (await client.get(f"/api/campaigns/{campaign}/generations", headers=marketer)).json()["items"][0]
    first = await _wait_for_status(client, marketer, first["id"], {"completed"})
    plain = await client.post("/api/campaigns", headers=marketer, json={"name": "No property"})
    assert plain.json()["ai_status"] == "idle"

    url = f"/api/campaigns/{campaign}/process-ai-content"
    query(settings.database_url, "UPDATE campaigns SET ai_status = 'processing' WHERE id = %s RETURNING id", campaign)
    assert_problem(await client.post(url, headers=marketer), 409, "ai-run-in-progress")
    query(settings.database_url, "UPDATE campaigns SET ai_status = 'completed' WHERE id = %s RETURNING id", campaign)
    again = await client.post(url, headers=marketer, json={"only": "headlines"})
    assert again.status_code == 202 and again.json()["only"] == "headlines", again.text
    redone = await _wait_for_status(client, marketer, again.json()["id"], {"completed"})
    assert redone["result"]["ad_copy"]["descriptions"] == first["result"]["ad_copy"]["descriptions"]
    assert 3 <= len(redone["result"]["ad_copy"]["headlines"]) <= 15
    whole = await client.post(url, headers=marketer)
    assert whole.status_code == 202 and whole.json()["only"] is None
    await _wait_for_status(client, marketer, whole.json()["id"], {"completed"})
    assert_problem(await client.post(url, headers=marketer, json={"only": "logos"}), 422)
    await register(client, "nosy")
    nosy = bearer(await login(client, "nosy"))
    assert_problem(await client.post(url, headers=nosy), 404, "campaign-not-found")
    bare = plain.json()["id"]
    own = await client.post(
        f"/api/campaigns/{bare}/process-ai-content", headers=marketer, json={"only": "descriptions"}
    )
    assert own.status_code == 202, own.text  # any campaign, from its own description


async def test_ad_assets_are_edited_pinned_locked_kept_by_a_rerun_and_exported_as_csv(client, settings):
    import csv
    import io

    from tests.api.test_generations import _wait_for_status

    await register(client, "copywriter")
    await register(client, "onlooker")
    set_role(settings.database_url, "copywriter", "manager")
    writer, onlooker = bearer(await login(client, "copywriter")), bearer(await login(client, "onlooker"))
    prop = (
        await client.post(
            "/api/properties", headers=writer, json={"name": "Quay", "property_type": "office", "city": "Goa"}
        )
    ).json()
    campaign = (
        await client.post("/api/campaigns", headers=writer, json={"name": "Quay launch", "property_id": prop["id"]})
    ).json()["id"]
    first = (await client.get(f"/api/campaigns/{campaign}/generations", headers=writer)).json()["items"][0]
    done = await _wait_for_status(client, writer, first["id"], {"completed"})
    url = f"/api/campaigns/{campaign}/ad-copy"
    assets = (await client.get(url, headers=writer)).json()
    assert [h["text"] for h in assets["headlines"]] == done["result"]["ad_copy"]["headlines"]
    assert not any(h["locked"] or h["pin"] for h in assets["headlines"])

    edited = {
        "headlines": [
            {"text": "Sea-view offices in Goa", "pin": 1, "locked": True},
            {"text": "Move in this month"},
            {"text": "Flexible leases"},
        ],
        "descriptions": [
            {"text": "Grade A offices on the quay, with parking for 40 cars.", "pin": 1, "locked": True},
            {"text": "Book a visit today."},
        ],
    }
    saved = await client.put(url, headers=writer, json=edited)
    assert saved.status_code == 200, saved.text
    assert saved.json()["headlines"][0] == {"text": "Sea-view offices in Goa", "pin": 1, "locked": True}
    rerun = await client.post(f"/api/campaigns/{campaign}/process-ai-content", headers=writer)
    assert rerun.status_code == 202, rerun.text
    await _wait_for_status(client, writer, rerun.json()["id"], {"completed"})
    after = (await client.get(url, headers=onlooker)).status_code
    assert after == 404  # not a reader of this campaign
    kept = (await client.get(url, headers=writer)).json()
    assert kept["headlines"][0] == {"text": "Sea-view offices in Goa", "pin": 1, "locked": True}
    assert kept["descriptions"][0]["text"].startswith("Grade A offices") and kept["descriptions"][0]["locked"]
    assert "Move in this month" not in [h["text"] for h in kept["headlines"]]  # unlocked items were replaced
    assert len(kept["headlines"]) <= 15 and len(kept["descriptions"]) <= 4

    exported = await client.get(f"{url}.csv", headers=writer)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    header, row = list(csv.reader(io.StringIO(exported.text)))
    record = dict(zip(header, row, strict=True))
    assert record["Campaign"] == "Quay launch" and record["Ad type"] == "Responsive search ad"
    assert (record["Headline 1"], record["Headline 1 position"]) == ("Sea-view offices in Goa", "1")
    assert "Headline 15 position" in header and "Description 4 position" in header

    for bad in (
        {**edited, "headlines": edited["headlines"][:2]},
        {**edited, "headlines": [*edited["headlines"], {"text": "x" * 31}]},
        {**edited, "headlines": [{"text": "A", "pin": 4}, {"text": "B"}, {"text": "C"}]},
        {**edited, "descriptions": [{"text": "d", "pin": 3}, {"text": "e"}]},
        {**edited, "headlines": [{"text": "Same"}, {"text": "same"}, {"text": "Other"}]},
    ):
        assert_problem(await client.put(url, headers=writer, json=bad), 422)
    assert_problem(await client.put(url, headers=onlooker, json=edited), 404)
