"""Usage dashboards over real activity."""

from __future__ import annotations

import asyncio
import datetime as dt

from tests.support.api import assert_problem, bearer, login, register


async def test_user_and_template_dashboards_count_real_activity(client):
    await register(client, "analyst")
    await register(client, "other_user")
    headers = bearer(await login(client, "analyst"))
    other = bearer(await login(client, "other_user"))
    campaign = (await client.post("/api/campaigns", headers=headers, json={"name": "Numbers"})).json()
    await client.post(f"/api/campaigns/{campaign['id']}/generations", headers=headers, json={"kind": "ad_copy"})
    await client.post(f"/api/campaigns/{campaign['id']}/canvas/export", headers=headers)
    template = (
        await client.post(
            "/api/prompt-templates", headers=headers, json={"title": "T", "body": "Hi {{x}}", "is_public": True}
        )
    ).json()
    runs = [
        (
            await client.post(
                f"/api/prompt-templates/{template['id']}/runs", headers=who, json={"variables": {"x": "1"}}
            )
        ).json()
        for who in (headers, headers, other)
    ]
    for run in runs[:2]:
        for _ in range(200):
            if (await client.get(f"/api/prompt-runs/{run['id']}", headers=headers)).json()["status"] == "completed":
                break
            await asyncio.sleep(0.05)

    mine = (await client.get("/api/analytics/me", headers=headers)).json()
    assert {t["kind"]: t["count"] for t in mine["totals"]} == {"export": 1, "generation": 1, "template_run": 2}
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    assert {d["day"] for d in mine["daily"]} == {today}

    stats = (await client.get(f"/api/analytics/prompt-templates/{template['id']}", headers=headers)).json()
    assert stats["runs"] == 3 and stats["unique_users"] == 2 and stats["by_version"] == [{"version": 1, "runs": 3}]
    assert stats["completed"] >= 2
    assert_problem(await client.get(f"/api/analytics/prompt-templates/{template['id']}", headers=other), 404)
    assert_problem(await client.get("/api/analytics/me", headers=headers, params={"days": 0}), 422)
