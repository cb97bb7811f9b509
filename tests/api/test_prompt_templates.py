"""PromptCraft templates: variables, versions, visibility, runs through the text generator, shared AI quota."""

from __future__ import annotations

import asyncio

import httpx

from app.entrypoints.app import create_app
from tests.conftest import make_settings
from tests.fakes.openai_server import FakeOpenAI
from tests.support.api import assert_problem, bearer, login, register
from tests.support.servers import serve

BODY = "Write a headline for {{property}} in {{ city }}. Mention {{property}} once."


async def _user(client, name):
    await register(client, name)
    return bearer(await login(client, name))


async def _wait_run(client, headers, run_id):
    for _ in range(300):
        run = (await client.get(f"/api/prompt-runs/{run_id}", headers=headers)).json()
        if run["status"] in ("completed", "failed"):
            return run
        await asyncio.sleep(0.05)
    raise AssertionError(f"run stuck: {run}")


async def test_create_version_and_browse(client):
    author = await _user(client, "author")
    reader = await _user(client, "reader")
    created = await client.post(
        "/api/prompt-templates",
        headers=author,
        json={"title": "Listing", "body": BODY, "category": "Marketing", "is_public": True},
    )
    assert created.status_code == 201, created.text
    template = created.json()
    assert (
        template["variables"] == ["property", "city"]
        and template["version"] == 1
        and template["category"] == "marketing"
    )
    private = (
        await client.post("/api/prompt-templates", headers=author, json={"title": "Secret", "body": "Hi {{name}}"})
    ).json()

    updated = (
        await client.patch(f"/api/prompt-templates/{template['id']}", headers=author, json={"body": "New {{property}}"})
    ).json()
    assert updated["version"] == 2 and updated["variables"] == ["property"]
    same = (
        await client.patch(f"/api/prompt-templates/{template['id']}", headers=author, json={"title": "Listing v2"})
    ).json()
    assert same["version"] == 2
    versions = (await client.get(f"/api/prompt-templates/{template['id']}/versions", headers=reader)).json()
    assert [v["version"] for v in versions["items"]] == [2, 1]

    seen_by_reader = (await client.get("/api/prompt-templates", headers=reader)).json()
    assert [t["title"] for t in seen_by_reader["items"]] == ["Listing v2"]
    seen_by_author = (await client.get("/api/prompt-templates", headers=author, params={"mine": "true"})).json()
    assert seen_by_author["total"] == 2
    assert (
        await client.get("/api/prompt-templates", headers=reader, params={"category": "marketing", "q": "listing"})
    ).json()["total"] == 1
    assert_problem(
        await client.get(f"/api/prompt-templates/{private['id']}", headers=reader), 404, "template-not-found"
    )
    assert_problem(
        await client.patch(f"/api/prompt-templates/{template['id']}", headers=reader, json={"title": "mine now"}), 403
    )
    assert_problem(await client.delete(f"/api/prompt-templates/{template['id']}", headers=reader), 403)


async def test_run_fills_variables_and_uses_the_text_generator(clean_db, tmp_path):
    fake = FakeOpenAI(copy={"answer": "Riverside rocks"})
    async with serve(fake.app()) as openai_url:
        settings = make_settings(clean_db, tmp_path, ai_text_provider="openai", openai_base_url=f"{openai_url}/v1")
        async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
            headers = await _user(client, "runner")
            template = (
                await client.post("/api/prompt-templates", headers=headers, json={"title": "T", "body": BODY})
            ).json()
            queued = await client.post(
                f"/api/prompt-templates/{template['id']}/runs",
                headers=headers,
                json={"variables": {"property": "Riverside", "city": "Austin"}},
            )
            assert queued.status_code == 202, queued.text
            run = await _wait_run(client, headers, queued.json()["id"])
    assert run["status"] == "completed"
    assert run["rendered_prompt"] == "Write a headline for Riverside in Austin. Mention Riverside once."
    assert "Riverside rocks" in run["output"]
    assert fake.requests[-1]["messages"][1]["content"] == run["rendered_prompt"]


async def test_run_validates_variables_and_versions(client):
    headers = await _user(client, "checker")
    template = (await client.post("/api/prompt-templates", headers=headers, json={"title": "T", "body": BODY})).json()
    url = f"/api/prompt-templates/{template['id']}/runs"
    missing = assert_problem(
        await client.post(url, headers=headers, json={"variables": {"property": "X"}}), 422, "template-variables"
    )
    assert missing["errors"] == [{"field": "variables.city", "message": "is required"}]
    extra = assert_problem(
        await client.post(url, headers=headers, json={"variables": {"property": "X", "city": "Y", "ciyt": "typo"}}), 422
    )
    assert extra["errors"][0]["field"] == "variables.ciyt"
    assert_problem(
        await client.post(url, headers=headers, json={"variables": {"property": "X", "city": "Y"}, "version": 9}), 404
    )
    old = await client.post(url, headers=headers, json={"variables": {"property": "X", "city": "Y"}, "version": 1})
    assert old.status_code == 202


async def test_template_runs_and_generations_share_the_hourly_quota(clean_db, tmp_path):
    settings = make_settings(clean_db, tmp_path, ai_quota_per_hour=2)
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        headers = await _user(client, "quota_user")
        campaign = (await client.post("/api/campaigns", headers=headers, json={"name": "Q"})).json()
        template = (
            await client.post("/api/prompt-templates", headers=headers, json={"title": "T", "body": "Hi {{x}}"})
        ).json()
        run_url = f"/api/prompt-templates/{template['id']}/runs"
        assert (await client.post(run_url, headers=headers, json={"variables": {"x": "1"}})).status_code == 202
        assert (
            await client.post(f"/api/campaigns/{campaign['id']}/generations", headers=headers, json={"kind": "ad_copy"})
        ).status_code == 202
        assert_problem(
            await client.post(run_url, headers=headers, json={"variables": {"x": "2"}}), 429, "ai-quota-exceeded"
        )
        assert_problem(
            await client.post(
                f"/api/campaigns/{campaign['id']}/generations", headers=headers, json={"kind": "ad_copy"}
            ),
            429,
        )


async def test_runs_are_private_to_their_user(client):
    owner = await _user(client, "run_owner")
    other = await _user(client, "run_other")
    template = (
        await client.post(
            "/api/prompt-templates", headers=owner, json={"title": "T", "body": "Hi {{x}}", "is_public": True}
        )
    ).json()
    run = (
        await client.post(f"/api/prompt-templates/{template['id']}/runs", headers=other, json={"variables": {"x": "1"}})
    ).json()
    assert_problem(await client.get(f"/api/prompt-runs/{run['id']}", headers=owner), 404, "run-not-found")
    done = await _wait_run(client, other, run["id"])
    assert done["status"] == "completed"
