"""Razorpay PaymentGateway. The official client is synchronous (requests): every call runs
in a worker thread so the event loop never blocks. `base_url` points it elsewhere (tests)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from typing import Any

import razorpay
from razorpay.errors import BadRequestError, GatewayError, ServerError
from requests import RequestException

from app.domain.billing.entities import GatewayPayment
from app.domain.billing.errors import GatewayUnavailable

_PERIODS = {"monthly": "monthly", "yearly": "yearly"}


def _hmac_hex(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def _signature_matches(expected: str, given: str) -> bool:
    """Constant-time compare of hex digests; anything that is not ASCII cannot be one of ours
    (and `compare_digest` refuses non-ASCII text with a TypeError)."""
    return given.isascii() and hmac.compare_digest(expected, given)


class RazorpayGateway:
    def __init__(
        self,
        *,
        key_id: str,
        key_secret: str,
        webhook_secret: str,
        previous_webhook_secret: str = "",
        base_url: str = "",
    ) -> None:
        options: dict[str, Any] = {"base_url": base_url} if base_url else {}
        self._client = razorpay.Client(auth=(key_id, key_secret), **options)
        self._key_secret = key_secret
        self._webhook_secrets = [s for s in (webhook_secret, previous_webhook_secret) if s]
        self.public_key = key_id

    async def _call(self, fn: Any, *args: Any) -> Any:
        try:
            return await asyncio.to_thread(fn, *args)
        except (BadRequestError, GatewayError, ServerError, RequestException) as exc:
            raise GatewayUnavailable(f"Razorpay refused or failed the request: {exc}") from exc

    async def create_plan(self, *, name: str, amount_minor: int, currency: str, interval: str) -> str:
        plan = await self._call(
            self._client.plan.create,
            {
                "period": _PERIODS[interval],
                "interval": 1,
                "item": {"name": name[:100], "amount": amount_minor, "currency": currency},
            },
        )
        return str(plan["id"])

    async def create_order(self, *, amount_minor: int, currency: str, receipt: str, notes: dict[str, str]) -> str:
        order = await self._call(
            self._client.order.create,
            {"amount": amount_minor, "currency": currency, "receipt": receipt[:40], "notes": notes},
        )
        return str(order["id"])

    async def create_subscription(self, *, gateway_plan_id: str, notes: dict[str, str], total_count: int = 120) -> str:
        subscription = await self._call(
            self._client.subscription.create,
            {"plan_id": gateway_plan_id, "total_count": total_count, "customer_notify": 1, "notes": notes},
        )
        return str(subscription["id"])

    async def cancel_subscription(self, gateway_subscription_id: str, *, at_cycle_end: bool) -> None:
        await self._call(
            self._client.subscription.cancel, gateway_subscription_id, {"cancel_at_cycle_end": 1 if at_cycle_end else 0}
        )

    async def order_payments(self, gateway_order_id: str) -> list[GatewayPayment]:
        result = await self._call(self._client.order.payments, gateway_order_id)
        return [
            GatewayPayment(
                id=str(p["id"]),
                status=str(p.get("status", "")),
                amount_minor=int(p.get("amount") or 0),
                currency=str(p.get("currency") or "INR"),
                order_id=p.get("order_id"),
            )
            for p in result.get("items", [])
        ]

    def verify_order_payment(self, *, order_id: str, payment_id: str, signature: str) -> bool:
        return _signature_matches(_hmac_hex(self._key_secret, f"{order_id}|{payment_id}"), signature)

    def verify_subscription_payment(self, *, subscription_id: str, payment_id: str, signature: str) -> bool:
        return _signature_matches(_hmac_hex(self._key_secret, f"{payment_id}|{subscription_id}"), signature)

    def verify_webhook(self, body: str, signature: str) -> bool:
        # The body is the raw text as received: re-serialised JSON would not match the signature.
        return any(_signature_matches(_hmac_hex(secret, body), signature) for secret in self._webhook_secrets)
