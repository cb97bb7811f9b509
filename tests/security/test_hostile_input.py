"""Ordinary bad input gets a clear 4xx problem+json, never a 500, and nothing is stored half-way.

Each class is tried on several routes and fields (with and without a token), since the rule lives
in one place at the edge (input guard, DTO bounds) or in the Postgres adapter, not per route.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.fakes.razorpay_server import WEBHOOK_SECRET, sign
from tests.support.api import STRONG_PASSWORD, assert_problem
from tests.support.database import query


def raw_json(text: str) -> dict[str, str]:
    return {"content": text, "headers": {"Content-Type": "application/json"}}  # type: ignore[dict-item]


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


# -- NUL characters ---------------------------------------------------------------------------------

NUL_BODIES = [
    ("/api/auth/login", '{"login": "a\\u0000b", "password": "x"}', "login"),
    (
        "/api/auth/register",
        json.dumps(
            {
                "username": "nul\u0000user",
                "email": "n@example.com",
                "password": STRONG_PASSWORD,
                "password_confirm": STRONG_PASSWORD,
            }
        ),
        "username",
    ),
    ("/api/auth/guests", '{"email": "x\\u0000@example.com"}', "email"),
]


@pytest.mark.parametrize(("path", "body", "field"), NUL_BODIES)
async def test_nul_in_a_body_without_a_token_is_422_naming_the_field(
    client: httpx.AsyncClient, path: str, body: str, field: str
) -> None:
    problem = assert_problem(await client.post(path, **raw_json(body)), 422, "validation-error")
    assert problem["errors"][0]["field"] == field
    assert query(client_db(client), "SELECT count(*) FROM users")[0][0] == 0


def client_db(client: httpx.AsyncClient) -> str:
    return client.database_url  # type: ignore[attr-defined,no-any-return]


@pytest.fixture(autouse=True)
def _remember_db(client: httpx.AsyncClient, settings: Any) -> None:
    client.database_url = settings.database_url  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/campaigns", {"name": "a\u0000"}, "name"),
        ("/api/campaigns", {"name": "ok", "description": "x\u0000y"}, "description"),
        (
            "/api/campaigns",
            {"name": "ok", "budget": {"amount_minor": 1, "currency": "US\u0000", "period": "monthly"}},
            "budget.currency",
        ),
        ("/api/prompt-templates", {"title": "t", "body": "Hello {{name}}\u0000", "category": "c"}, "body"),
        ("/api/properties", {"name": "p", "address": "a", "city": "c\u0000", "property_type": "office"}, "city"),
        (
            "/api/jobs",
            {
                "title": "t\u0000",
                "company": "c",
                "job_type": "full_time",
                "location_type": "remote",
                "description": "d",
            },
            "title",
        ),
    ],
)
async def test_nul_in_any_signed_in_body_is_422_and_stores_nothing(
    client: httpx.AsyncClient, alice: dict[str, str], path: str, body: dict[str, Any], field: str
) -> None:
    problem = assert_problem(await client.post(path, json=body, headers=alice), 422, "validation-error")
    assert problem["errors"][0]["field"] == field
    table = {
        "/api/campaigns": "campaigns",
        "/api/prompt-templates": "prompt_templates",
        "/api/properties": "properties",
        "/api/jobs": "jobs",
    }[path]
    assert query(client_db(client), f"SELECT count(*) FROM {table}")[0][0] == 0


async def test_nul_in_a_json_key_is_refused(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post("/api/auth/login", **raw_json('{"lo\\u0000gin": "a", "password": "x"}')), 422)


@pytest.mark.parametrize(
    "url",
    [
        "/api/campaigns?q=%00",
        "/api/campaigns?q=abc%00def",
        "/api/jobs?q=x%00",
        "/api/prompt-templates?category=%00",
        "/api/properties?city=a%00",
        "/api/search?q=%00",
        "/api/skills?q=%00",
    ],
)
async def test_nul_in_a_query_parameter_is_422_naming_it(
    client: httpx.AsyncClient, alice: dict[str, str], url: str
) -> None:
    problem = assert_problem(await client.get(url, headers=alice), 422, "validation-error")
    assert problem["errors"][0]["field"] == url.split("?")[1].split("=")[0]


@pytest.mark.parametrize("url", ["/api/media/local/ab%00cd", "/api/campaigns/%00", "/api/users/%00me"])
async def test_nul_in_a_path_is_a_4xx(client: httpx.AsyncClient, alice: dict[str, str], url: str) -> None:
    response = await client.get(url, headers=alice)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


# -- numbers beyond their columns ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/jobs?min_salary=9223372036854775808",
        "/api/jobs?min_salary=99999999999999",
        "/api/properties?min_price=100000000000000000000",
        "/api/properties?max_size=9999999999",
        "/api/campaigns?page=9223372036854775808",
        "/api/notifications?page_size=100000000000",
    ],
)
async def test_query_integers_beyond_their_bounds_are_422(
    client: httpx.AsyncClient, alice: dict[str, str], url: str
) -> None:
    assert_problem(await client.get(url, headers=alice), 422, "validation-error")


async def test_body_integers_beyond_their_bounds_are_422(
    client: httpx.AsyncClient, alice: dict[str, str], campaign: dict[str, Any]
) -> None:
    created = await client.post(
        "/api/prompt-templates", headers=alice, json={"title": "T", "body": "Hi {{name}}", "category": "greeting"}
    )
    assert created.status_code == 201, created.text
    template_id = created.json()["id"]
    cases = [
        (f"/api/prompt-templates/{template_id}/runs", {"variables": {"name": "x"}, "version": 100000000000}),
        (
            "/api/media/uploads",
            {"filename": "a.png", "content_type": "image/png", "size": 10**15, "visibility": "private"},
        ),
        (
            "/api/jobs",
            {
                "title": "t",
                "company": "c",
                "job_type": "full_time",
                "location_type": "remote",
                "description": "d",
                "salary_min": 10**13,
            },
        ),
        ("/api/campaigns", {"name": "n", "budget": {"amount_minor": 10**30, "currency": "USD", "period": "monthly"}}),
        # Beyond int64 anywhere in a body, even where the field is not an integer.
        ("/api/campaigns", {"name": 123456789012345678901234567890}),
    ]
    for path, body in cases:
        response = await client.post(path, headers=alice, json=body)
        assert_problem(response, 422)
    restore = await client.post(f"/api/campaigns/{campaign['id']}/canvas/versions/1099511627776/restore", headers=alice)
    assert_problem(restore, 422)


# -- deep JSON ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [65, 1000, 100_000])
async def test_deeply_nested_json_is_400_not_a_recursion_error(
    client: httpx.AsyncClient, alice: dict[str, str], depth: int
) -> None:
    for path, headers in [("/api/auth/login", {}), ("/api/campaigns", alice), ("/api/prompt-templates", alice)]:
        response = await client.post(
            path, content=nested(depth), headers={**headers, "Content-Type": "application/json"}
        )
        assert_problem(response, 400, "json-too-deep")


async def test_moderate_nesting_still_works(client: httpx.AsyncClient, alice: dict[str, str]) -> None:
    # 20 levels inside a free-form field is fine (the limit is 64).
    response = await client.post("/api/campaigns", headers=alice, json={"name": "nested ok", "description": "d"})
    assert response.status_code == 201
    deep_but_allowed = await client.post(
        "/api/campaigns", content=nested(20), headers={**alice, "Content-Type": "application/json"}
    )
    assert_problem(deep_but_allowed, 422, "validation-error")  # an unknown field `a`, not "too deep"


async def test_deep_json_inside_a_validly_signed_webhook_is_400(paying: httpx.AsyncClient) -> None:
    body = '{"event": "payment.captured", "payload": ' + nested(1000) + "}"
    response = await paying.post(
        "/api/billing/webhooks/razorpay",
        content=body,
        headers={"Content-Type": "application/json", "X-Razorpay-Signature": sign(WEBHOOK_SECRET, body)},
    )
    assert_problem(response, 400, "json-too-deep")


# -- signed-URL tokens ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token", ["a.%C3%A9", "%C3%A9%C3%A9", "gAAAAA" + "%E2%82%AC" * 10, "x" * 4000, "..%2F..%2Fetc%2Fpasswd", "a.b.c"]
)
async def test_any_signed_url_token_we_did_not_issue_is_403_or_404(client: httpx.AsyncClient, token: str) -> None:
    for method in ("GET", "PUT"):
        response = await client.request(
            method, f"/api/media/local/{token}", content=b"x", headers={"Content-Type": "image/png"}
        )
        assert response.status_code in (403, 404), (method, token, response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


# -- derived values fit their columns ----------------------------------------------------------------


async def test_a_campaign_named_after_a_long_property_name_fits(
    client: httpx.AsyncClient, alice: dict[str, str], settings: Any
) -> None:
    from tests.support.api import set_role

    set_role(settings.database_url, "alice", "manager")
    prop = await client.post(
        "/api/properties",
        headers=alice,
        json={"name": "P" * 200, "address": "1 Main St", "city": "Austin", "property_type": "office"},
    )
    assert prop.status_code == 201, prop.text
    launched = await client.post(f"/api/properties/{prop.json()['id']}/campaigns", headers=alice, json={})
    assert launched.status_code == 202, launched.text
    name = query(settings.database_url, "SELECT name FROM campaigns")[0][0]
    assert len(name) <= 200 and name.endswith(" campaign")


# -- payments are validated before the gateway is called ----------------------------------------------


async def test_a_tip_to_an_unknown_user_or_a_non_creator_is_404_before_any_gateway_order(
    paying: httpx.AsyncClient, rzp: Any
) -> None:
    client: Any = paying
    for creator_id in ("00000000-0000-4000-8000-000000000000", client.fan_id):
        response = await client.post(
            "/api/billing/orders",
            headers=client.fan,
            json={"kind": "tip", "amount_minor": 500, "creator_id": creator_id, "name": "x"},
        )
        assert_problem(response, 404, "creator-not-found")
    assert rzp.orders == {}
    assert query(client.settings.database_url, "SELECT count(*) FROM billing_orders")[0][0] == 0
    ok = await client.post(
        "/api/billing/orders",
        headers=client.fan,
        json={"kind": "tip", "amount_minor": 500, "creator_id": client.creator_id},
    )
    assert ok.status_code == 201, ok.text


async def test_non_ascii_payment_signatures_are_refused_not_500(paying: httpx.AsyncClient) -> None:
    client: Any = paying
    odd = '\u00ca\u0016\u00ba\U000f13bd";}\u0098'
    for path, body in [
        (
            "/api/billing/orders/verify",
            {"razorpay_order_id": "\u00ce", "razorpay_payment_id": "pay_1", "razorpay_signature": odd},
        ),
        (
            "/api/billing/subscriptions/verify",
            {"razorpay_subscription_id": "sub_1", "razorpay_payment_id": "pay_1", "razorpay_signature": odd},
        ),
    ]:
        assert_problem(await client.post(path, headers=client.fan, json=body), 400, "invalid-payment-signature")
    webhook = await client.post(
        "/api/billing/webhooks/razorpay",
        content='{"event": "payment.captured"}',
        headers={"Content-Type": "application/json", "X-Razorpay-Signature": b"sign\xe9"},
    )
    assert_problem(webhook, 400, "invalid-webhook-signature")


async def test_websocket_frames_follow_the_same_input_rules(
    client: httpx.AsyncClient, alice: dict[str, str], campaign: dict[str, Any], live_server: str
) -> None:
    from tests.support.ws import Editor, add_rect

    editor = await Editor.join(live_server, campaign["id"], alice["Authorization"].split()[1])
    await editor.next("snapshot")
    frames = [
        json.dumps({"type": "op", "client_op_id": "nul", "op": add_rect("n", text="a\u0000b")}),
        '{"type": "op", "client_op_id": "deep", "op": {"kind": "add_layer", "layer": {"id": "d", "type": "rect", "props": '
        + nested(500)
        + "}}}",
        '{"type": "op", "client_op_id": "big", "op": {"kind": "add_layer", "layer": {"id": "b", "type": "rect", "props": {"x": 1e400, "n": 123456789012345678901234567890}}}}',
        "[" * 5000 + "]" * 5000,
    ]
    for frame in frames:
        await editor.send(frame)
        assert (await editor.next("error"))["code"] == "invalid-message"
    # The socket is still open and still edits.
    await editor.op("fine", add_rect("ok"))
    assert (await editor.next("ack"))["client_op_id"] == "fine"
    await editor.close()


def _unbounded_integers(spec: dict[str, Any]) -> list[str]:
    components = spec["components"]["schemas"]
    found: list[str] = []

    def walk(schema: Any, where: str, bounded: bool, seen: frozenset[str]) -> None:
        if not isinstance(schema, dict):
            return
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(components[name], where, False, seen | {name})
            return
        bounded = bounded or "maximum" in schema or "exclusiveMaximum" in schema or "enum" in schema
        kinds = schema.get("type") if isinstance(schema.get("type"), list) else [schema.get("type")]
        if "integer" in kinds and not bounded:
            found.append(where)
        for key in ("oneOf", "anyOf", "allOf"):
            for sub in schema.get(key, []):
                walk(sub, where, bounded, seen)
        for name, sub in (schema.get("properties") or {}).items():
            walk(sub, f"{where}.{name}", False, seen)
        if "items" in schema:
            walk(schema["items"], f"{where}[]", False, seen)

    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for parameter in operation.get("parameters", []):
                walk(parameter.get("schema", {}), f"{method.upper()} {path} {parameter['name']}", False, frozenset())
            for content in (operation.get("requestBody", {}).get("content") or {}).values():
                walk(content.get("schema", {}), f"{method.upper()} {path} body", False, frozenset())
    return found


async def test_every_integer_a_client_sends_has_documented_bounds(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/docs/openapi.json")).json()
    assert _unbounded_integers(spec) == []
