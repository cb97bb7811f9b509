"""A Razorpay-compatible HTTP server (the parts we use): plans, orders, subscriptions,
order payments, with Basic auth; plus helpers that sign like Razorpay does."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from litestar import Litestar, Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.response import Response

KEY_ID = "rzp_test_fakekey"
KEY_SECRET = "fake-key-secret"
WEBHOOK_SECRET = "fake-webhook-secret"


def sign(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


@dataclass
class FakeRazorpay:
    plans: dict[str, dict[str, Any]] = field(default_factory=dict)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    payments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by order id

    def pay_order(self, order_id: str, status: str = "captured") -> str:
        payment_id = "pay_" + secrets.token_hex(7)
        order = self.orders[order_id]
        self.payments.setdefault(order_id, []).append(
            {
                "id": payment_id,
                "entity": "payment",
                "amount": order["amount"],
                "currency": order["currency"],
                "status": status,
                "order_id": order_id,
            }
        )
        return payment_id

    def app(self) -> Litestar:
        fake = self

        def authorised(request: Request[Any, Any, Any]) -> bool:
            header = request.headers.get("authorization", "")
            return header == "Basic " + base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()

        def deny() -> Response[Any]:
            return Response(
                {"error": {"code": "BAD_REQUEST_ERROR", "description": "Authentication failed"}}, status_code=401
            )

        @post("/v1/plans", status_code=200)
        async def create_plan(request: Request[Any, Any, Any], data: JSONBody[dict[str, Any]]) -> Response[Any]:
            if not authorised(request):
                return deny()
            plan = {"id": "plan_" + secrets.token_hex(7), "entity": "plan", **data}
            fake.plans[plan["id"]] = plan
            return Response(plan)

        @post("/v1/orders", status_code=200)
        async def create_order(request: Request[Any, Any, Any], data: JSONBody[dict[str, Any]]) -> Response[Any]:
            if not authorised(request):
                return deny()
            if not isinstance(data.get("amount"), int) or data["amount"] < 100:
                return Response(
                    {"error": {"code": "BAD_REQUEST_ERROR", "description": "amount too small"}}, status_code=400
                )
            order = {
                "id": "order_" + secrets.token_hex(7),
                "entity": "order",
                "status": "created",
                "created_at": int(time.time()),
                **data,
            }
            fake.orders[order["id"]] = order
            return Response(order)

        @get("/v1/orders/{order_id:str}/payments")
        async def order_payments(request: Request[Any, Any, Any], order_id: FromPath[str]) -> Response[Any]:
            if not authorised(request):
                return deny()
            items = fake.payments.get(order_id, [])
            return Response({"entity": "collection", "count": len(items), "items": items})

        @post("/v1/subscriptions", status_code=200)
        async def create_subscription(request: Request[Any, Any, Any], data: JSONBody[dict[str, Any]]) -> Response[Any]:
            if not authorised(request):
                return deny()
            if data.get("plan_id") not in fake.plans:
                return Response(
                    {"error": {"code": "BAD_REQUEST_ERROR", "description": "The id provided does not exist"}},
                    status_code=400,
                )
            sub = {"id": "sub_" + secrets.token_hex(7), "entity": "subscription", "status": "created", **data}
            fake.subscriptions[sub["id"]] = sub
            return Response(sub)

        @post("/v1/subscriptions/{sub_id:str}/cancel", status_code=200)
        async def cancel_subscription(
            request: Request[Any, Any, Any], sub_id: FromPath[str], data: JSONBody[dict[str, Any]]
        ) -> Response[Any]:
            if not authorised(request):
                return deny()
            sub = fake.subscriptions.get(sub_id)
            if sub is None:
                return Response(
                    {"error": {"code": "BAD_REQUEST_ERROR", "description": "no such subscription"}}, status_code=400
                )
            sub["cancel_at_cycle_end"] = bool(data.get("cancel_at_cycle_end"))
            if not sub["cancel_at_cycle_end"]:
                sub["status"] = "cancelled"
            return Response(sub)

        return Litestar(
            route_handlers=[create_plan, create_order, order_payments, create_subscription, cancel_subscription],
            debug=False,
        )


def webhook_body(payload: dict[str, Any]) -> tuple[str, dict[str, str]]:
    body = json.dumps(payload)
    return body, {"X-Razorpay-Signature": sign(WEBHOOK_SECRET, body), "Content-Type": "application/json"}
