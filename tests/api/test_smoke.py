from tests.support.api import assert_problem


async def test_health_and_ready_answer(client):
    assert (await client.get("/health")).json() == {"status": "ok", "checks": {}}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok"}


async def test_unknown_route_is_a_problem_document(client):
    assert_problem(await client.get("/api/nope"), 404, "not-found")


async def test_ready_is_a_503_problem_when_the_database_is_down(tmp_path):
    import httpx

    from app.entrypoints.app import create_app
    from tests.conftest import make_settings
    from tests.support.servers import free_port, serve

    dead = f"postgresql://postgres@127.0.0.1:{free_port()}/nothing"
    settings = make_settings(dead, tmp_path, run_worker_in_process=False)
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as http:
        assert (await http.get("/health")).status_code == 200
        body = assert_problem(await http.get("/ready"), 503, "not-ready")
        assert body["checks"]["database"].startswith("failed")


async def test_cors_allows_configured_origins_only(client):
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = await client.options("/api/auth/login", headers={"Origin": "http://localhost:3000", **preflight})
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    denied = await client.options("/api/auth/login", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in denied.headers


async def test_responses_carry_a_request_id(client):
    response = await client.get("/health", headers={"X-Request-ID": "trace-123"})
    assert response.headers["x-request-id"] == "trace-123"
    assert len((await client.get("/api/nope")).headers["x-request-id"]) == 32
