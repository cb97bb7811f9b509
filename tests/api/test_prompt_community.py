"""PromptCraft favourites and ratings over real HTTP: toggling, my list, one rating per person (editable),
no self-rating, averages, and nothing on templates the caller cannot see."""

from __future__ import annotations

from tests.support.api import assert_problem, bearer, login, register


async def test_favourites_and_ratings(client) -> None:
    for name in ("author", "fan", "critic"):
        await register(client, name)
    author, fan, critic = [bearer(await login(client, n)) for n in ("author", "fan", "critic")]

    async def template(title: str, public: bool) -> str:
        created = await client.post(
            "/api/prompt-templates",
            headers=author,
            json={"title": title, "body": "Write about {{topic}}", "is_public": public},
        )
        assert created.status_code == 201, created.text
        return created.json()["id"]

    open_one, other, hidden = await template("Open", True), await template("Other", True), await template("Mine", False)
    base = "/api/prompt-templates"
    for template_id in (open_one, other, open_one):  # favouring twice is harmless
        put = await client.put(f"{base}/{template_id}/favourite", headers=fan)
        assert put.status_code == 200 and put.json()["favourite"] is True, put.text
    mine = (await client.get(f"{base}/favourites", headers=fan)).json()
    assert [t["id"] for t in mine["items"]] == [other, open_one] and mine["total"] == 2
    off = await client.delete(f"{base}/{other}/favourite", headers=fan)
    assert off.status_code == 200 and off.json()["favourite"] is False
    assert [t["id"] for t in (await client.get(f"{base}/favourites", headers=fan)).json()["items"]] == [open_one]
    assert_problem(await client.put(f"{base}/{hidden}/favourite", headers=fan), 404)
    assert (await client.get(f"{base}/favourites", headers=critic)).json()["total"] == 0

    empty = (await client.get(f"{base}/{open_one}/rating", headers=fan)).json()
    assert (empty["average"], empty["count"], empty["mine"]) == (None, 0, None)
    assert (await client.put(f"{base}/{open_one}/rating", headers=fan, json={"stars": 5})).json()["mine"] == 5
    rated = (await client.put(f"{base}/{open_one}/rating", headers=critic, json={"stars": 2})).json()
    assert (rated["average"], rated["count"], rated["mine"]) == (3.5, 2, 2)
    changed = (await client.put(f"{base}/{open_one}/rating", headers=critic, json={"stars": 4})).json()
    assert (changed["average"], changed["count"]) == (4.5, 2)  # one rating per person, edited
    seen = (await client.get(f"{base}/{open_one}/rating", headers=author)).json()
    assert (seen["average"], seen["count"], seen["mine"]) == (4.5, 2, None)
    assert_problem(await client.put(f"{base}/{open_one}/rating", headers=author, json={"stars": 5}), 403, "self-rating")
    for bad in ({"stars": 0}, {"stars": 6}, {"stars": "five"}, {}):
        assert_problem(await client.put(f"{base}/{open_one}/rating", headers=fan, json=bad), 422)
    assert_problem(await client.put(f"{base}/{hidden}/rating", headers=fan, json={"stars": 3}), 404)
    assert_problem(await client.get(f"{base}/{hidden}/rating", headers=critic), 404)
