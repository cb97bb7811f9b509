"""CRE Studio budgets that track spend, over real HTTP: flight dates on the budget, spend entries, the
derived summary, and the 80 % / 100 % notifications (in-app and email) sent once to the owner and managers."""

from __future__ import annotations

from tests.api.test_notifications_stats import _wait_unread
from tests.support.api import assert_problem, bearer, login, register, set_role
from tests.support.mailbox import Mailbox


async def test_spend_tracks_the_budget_and_passing_80_and_100_percent_notifies_once(
    client, settings, mailbox: Mailbox
) -> None:
    for name in ("agent", "director", "reader", "outsider"):
        await register(client, name)
    set_role(settings.database_url, "director", "manager")
    set_role(settings.database_url, "reader", "viewer")
    names = ("agent", "director", "reader", "outsider")
    agent, director, reader, outsider = [bearer(await login(client, n)) for n in names]
    budget = {
        "amount_minor": 70_000,
        "currency": "usd",
        "period": "weekly",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-14",
    }
    created = await client.post("/api/campaigns", headers=agent, json={"name": "Lease-up", "budget": budget})
    assert created.status_code == 201, created.text
    assert created.json()["budget"]["starts_on"] == "2026-12-01"
    campaign = created.json()["id"]
    summary = (await client.get(f"/api/campaigns/{campaign}/budget", headers=reader)).json()
    assert summary["planned_total_minor"] == 140_000 and summary["monthly_equivalent_minor"] == 304_375
    assert (summary["spent_minor"], summary["remaining_minor"], summary["percent_spent"]) == (0, 140_000, 0.0)

    spend = f"/api/campaigns/{campaign}/spend"
    first = await client.post(
        spend, headers=agent, json={"amount_minor": 100_000, "spent_on": "2026-12-02", "note": "Search"}
    )
    assert first.status_code == 201, first.text
    assert (await _wait_unread(client, agent, 0, timeout=0.1))["unread_count"] == 0  # 71 %: nothing yet
    second = await client.post(spend, headers=director, json={"amount_minor": 13_000, "note": "Social"})
    assert second.status_code == 201, second.text  # 80.7 %
    for who in (agent, director):
        inbox = await _wait_unread(client, who, 1)
        alerts = [n for n in inbox["items"] if n["kind"] == "budget_alert"]
        assert [a["data"]["threshold"] for a in alerts] == ["80%"]
    assert await mailbox.wait_for("agent@example.com", "budget threshold")
    await client.post(spend, headers=agent, json={"amount_minor": 1_000})  # 81 %: no second 80 % alert
    await client.post(spend, headers=agent, json={"amount_minor": 30_000})  # 102 %
    inbox = await _wait_unread(client, agent, 2)
    assert sorted(n["data"]["threshold"] for n in inbox["items"] if n["kind"] == "budget_alert") == ["100%", "80%"]
    summary = (await client.get(f"/api/campaigns/{campaign}/budget", headers=agent)).json()
    assert (summary["spent_minor"], summary["remaining_minor"], summary["entries"]) == (144_000, -4_000, 4)
    assert summary["percent_spent"] == 102.9
    listed = (await client.get(spend, headers=reader, params={"page_size": 2})).json()
    assert listed["total"] == 4 and len(listed["items"]) == 2
    assert (await client.delete(f"{spend}/{first.json()['id']}", headers=agent)).status_code == 204
    assert (await client.get(f"/api/campaigns/{campaign}/budget", headers=agent)).json()["spent_minor"] == 44_000

    # Who may do what, and bad input.
    assert_problem(await client.post(spend, headers=reader, json={"amount_minor": 5}), 403, "role-required")
    assert_problem(await client.post(spend, headers=outsider, json={"amount_minor": 5}), 404, "campaign-not-found")
    assert_problem(await client.get(f"/api/campaigns/{campaign}/budget", headers=outsider), 404)
    for bad in ({"amount_minor": 0}, {"amount_minor": -5}, {"amount_minor": 5, "spent_on": "yesterday"}, {"note": "x"}):
        assert_problem(await client.post(spend, headers=agent, json=bad), 422)
    assert_problem(await client.delete(f"{spend}/{first.json()['id']}", headers=agent), 404, "spend-not-found")
    bare = (await client.post("/api/campaigns", headers=agent, json={"name": "No money"})).json()["id"]
    assert_problem(await client.get(f"/api/campaigns/{bare}/budget", headers=agent), 409, "budget-not-set")
    assert_problem(await client.post(f"/api/campaigns/{bare}/spend", headers=agent, json={"amount_minor": 5}), 409)
    backwards = {**budget, "starts_on": "2026-12-14", "ends_on": "2026-12-01"}
    assert_problem(await client.post("/api/campaigns", headers=agent, json={"name": "x", "budget": backwards}), 422)
    half = {k: v for k, v in budget.items() if k != "ends_on"}
    assert_problem(await client.post("/api/campaigns", headers=agent, json={"name": "x", "budget": half}), 422)
