"""Credits ledger: welcome bonus, debits for AI runs, never negative under concurrency, balance = sum of entries."""

from __future__ import annotations

import asyncio
import uuid

from app.adapters.postgres.database import create_engine, create_session_factory
from app.adapters.postgres.gamification import PgGamificationUnitOfWork
from app.domain.gamification.errors import InsufficientCredits
from app.domain.gamification.services import charge_ai_run
from tests.support.api import assert_problem, bearer, login, register
from tests.support.database import query


async def test_welcome_bonus_debits_xp_and_achievements(client, settings):
    await register(client, "player")
    headers = bearer(await login(client, "player"))
    me = (await client.get("/api/gamification/me", headers=headers)).json()
    assert (
        me["standing"]["balance"] == 100 and me["standing"]["level"] == 1 and me["standing"]["rank"] == "Prompt Novice"
    )
    assert [(e["reason"], e["delta"]) for e in me["recent_entries"]] == [("welcome", 100)]

    campaign = (await client.post("/api/campaigns", headers=headers, json={"name": "Credits"})).json()
    for _ in range(2):
        assert (
            await client.post(f"/api/campaigns/{campaign['id']}/generations", headers=headers, json={"kind": "ad_copy"})
        ).status_code == 202
    template = (
        await client.post("/api/prompt-templates", headers=headers, json={"title": "T", "body": "Hi {{x}}"})
    ).json()
    assert (
        await client.post(
            f"/api/prompt-templates/{template['id']}/runs", headers=headers, json={"variables": {"x": "y"}}
        )
    ).status_code == 202

    me = (await client.get("/api/gamification/me", headers=headers)).json()
    assert me["standing"]["balance"] == 97 and me["standing"]["xp"] == 30 and me["standing"]["ai_runs"] == 3
    assert [a["code"] for a in me["achievements"]] == ["first_run"]
    ((balance, total),) = query(
        settings.database_url,
        "SELECT a.balance, (SELECT sum(delta) FROM credit_entries e WHERE e.user_id = a.user_id) FROM credit_accounts a",
    )
    assert balance == total == 97
    board = (await client.get("/api/gamification/leaderboard", headers=headers)).json()["items"]
    assert board[0]["username"] == "player" and board[0]["xp"] == 30


async def test_an_empty_balance_refuses_ai_runs_with_402_and_records_nothing(client, settings):
    await register(client, "broke")
    headers = bearer(await login(client, "broke"))
    await client.get("/api/gamification/me", headers=headers)
    # Spend the balance down to zero through the ledger itself.
    query(settings.database_url, "UPDATE credit_accounts SET balance = 0 RETURNING user_id")
    query(
        settings.database_url,
        "INSERT INTO credit_entries (id, user_id, delta, reason, reference, balance_after)"
        " SELECT gen_random_uuid(), user_id, -100, 'adjustment', 'test-drain', 0 FROM credit_accounts RETURNING id",
    )
    campaign = (await client.post("/api/campaigns", headers=headers, json={"name": "Broke"})).json()
    response = await client.post(
        f"/api/campaigns/{campaign['id']}/generations", headers=headers, json={"kind": "ad_copy"}
    )
    assert_problem(response, 402, "insufficient-credits")
    assert query(settings.database_url, "SELECT count(*) FROM generations") == [(0,)]
    assert query(settings.database_url, "SELECT count(*) FROM outbox WHERE task = 'generation.run'") == [(0,)]


async def test_concurrent_debits_never_go_negative_and_match_the_ledger(client, settings):
    user = await register(client, "racer")
    user_id = uuid.UUID(user["id"])
    engine = create_engine(settings.database_url, pool_size=10)
    sessions = create_session_factory(engine)

    async def debit(n: int) -> bool:
        async with PgGamificationUnitOfWork(sessions) as uow:
            try:
                await charge_ai_run(uow.credits, user_id, reference=f"race-{n}")
            except InsufficientCredits:
                return False
            await uow.commit()
            return True

    try:
        results = await asyncio.gather(*(debit(n) for n in range(130)))
    finally:
        await engine.dispose()
    assert sum(results) == 100
    ((balance, total, entries),) = query(
        settings.database_url,
        "SELECT a.balance, (SELECT sum(delta) FROM credit_entries e WHERE e.user_id = a.user_id),"
        " (SELECT count(*) FROM credit_entries e WHERE e.user_id = a.user_id) FROM credit_accounts a",
    )
    assert balance == 0 and total == 0 and entries == 101  # welcome + 100 debits
