"""AdVenture brand kits over real HTTP: saved per user, validated, and used by AI generations on the user's
campaigns (the generated text layers carry the kit's fonts and colours)."""

from __future__ import annotations

from tests.api.test_generations import _wait_for_status
from tests.support.api import assert_problem, bearer, login, register


async def test_a_brand_kit_is_saved_validated_and_shapes_generated_text(client) -> None:
    await register(client, "brander")
    await register(client, "other")
    me, other = bearer(await login(client, "brander")), bearer(await login(client, "other"))
    default = (await client.get("/api/users/me/brand-kit", headers=me)).json()
    assert default["colors"] == [] and default["heading_font"] == "Inter" and "Montserrat" in default["fonts"]
    kit = {"colors": ["#0A7D5A", "#222222", "#0a7d5a"], "heading_font": "Montserrat", "body_font": "Open Sans"}
    saved = await client.put("/api/users/me/brand-kit", headers=me, json=kit)
    assert saved.status_code == 200, saved.text
    assert saved.json()["colors"] == ["#0a7d5a", "#222222"]  # normalised, each once
    assert (await client.get("/api/users/me/brand-kit", headers=other)).json()["heading_font"] == "Inter"

    campaign = (await client.post("/api/campaigns", headers=me, json={"name": "Branded"})).json()["id"]
    generation = (
        await client.post(f"/api/campaigns/{campaign}/generations", headers=me, json={"kind": "ad_copy"})
    ).json()
    await _wait_for_status(client, me, generation["id"], {"completed"})
    layers = (await client.get(f"/api/campaigns/{campaign}/canvas", headers=me)).json()["document"]["layers"]
    styles = {layer["id"].rsplit("-", 1)[1]: layer["props"] for layer in layers if layer["type"] == "text"}
    assert (styles["headline"]["fontFamily"], styles["headline"]["fill"]) == ("Montserrat", "#0a7d5a")
    assert (styles["description"]["fontFamily"], styles["description"]["fill"]) == ("Open Sans", "#222222")

    for bad, field in (
        ({"colors": ["red"]}, "colors[0]"),
        ({"colors": ["#123456"] * 9}, "colors"),
        ({"heading_font": "Comic Sans MS"}, "heading_font"),
        ({"body_font": "Wingdings"}, "body_font"),
        ({"logo_media_id": "11111111-2222-3333-4444-555555555555"}, "logo_media_id"),
        ({"shadow": True}, None),
    ):
        problem = assert_problem(await client.put("/api/users/me/brand-kit", headers=me, json=bad), 422)
        if field:
            assert any(e["field"].endswith(field) or e["field"] == field for e in problem.get("errors", [])), problem
