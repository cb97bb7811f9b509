from tests.support.api import assert_problem


async def test_health_and_ready_answer(client):
    assert (await client.get("/health")).json() == {"status": "ok", "checks": {}}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok"}


async def test_unknown_route_is_a_problem_document(client):
    assert_problem(await client.get("/api/nope"), 404, "not-found")
