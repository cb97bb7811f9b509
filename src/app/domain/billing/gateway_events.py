"""What the payment gateway tells us after the fact: signed webhooks (deduplicated, applied in event order)
and the reconciliation sweep that asks about orders whose webhook never came."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.core.clock import Clock
from app.domain.billing.entities import (
    GatewayPayment,
    SubscriptionStatus,
)
from app.domain.billing.errors import (
    InvalidWebhookBody,
    InvalidWebhookSignature,
)
from app.domain.billing.ledger import LedgerWriter
from app.domain.billing.ports import BillingQueries, BillingUnitOfWork, BillingUnitOfWorkFactory, PaymentGateway

# Gateway subscription events -> our status.
SUBSCRIPTION_EVENTS = {
    "subscription.authenticated": SubscriptionStatus.AUTHENTICATED,
    "subscription.activated": SubscriptionStatus.ACTIVE,
    "subscription.charged": SubscriptionStatus.ACTIVE,
    "subscription.resumed": SubscriptionStatus.ACTIVE,
    "subscription.pending": SubscriptionStatus.PENDING,
    "subscription.halted": SubscriptionStatus.HALTED,
    "subscription.cancelled": SubscriptionStatus.CANCELLED,
    "subscription.completed": SubscriptionStatus.COMPLETED,
}
PAYMENT_EVENTS = {"payment.authorized", "payment.captured", "order.paid"}
RECONCILE_AFTER = timedelta(minutes=10)
RECONCILE_WINDOW = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class WebhookOutcome:
    event: str
    duplicate: bool
    credited: bool = False
    applied: bool = False


class GatewayEvents:
    def __init__(
        self, *, uow: BillingUnitOfWorkFactory, queries: BillingQueries, gateway: PaymentGateway, clock: Clock
    ) -> None:
        self._uow = uow
        self._queries = queries
        self._gateway = gateway
        self._clock = clock
        self._ledger = LedgerWriter(clock)

    async def handle_webhook(self, raw_body: str, signature: str, event_id: str | None) -> WebhookOutcome:
        """Verify the signature over the raw body, dedupe on the event id, then apply.
        Safe to receive twice and out of order; a bad signature stores nothing."""
        if not signature or not self._gateway.verify_webhook(raw_body, signature):
            raise InvalidWebhookSignature()
        try:
            payload = json.loads(raw_body)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            raise InvalidWebhookBody("The webhook body is not a JSON object.")
        event = str(payload.get("event", ""))
        event_id = event_id or "body:" + hashlib.sha256(raw_body.encode()).hexdigest()
        async with self._uow() as uow:
            if not await uow.webhook_events.record(event_id, event, payload):
                return WebhookOutcome(event, duplicate=True)
            credited = applied = False
            entities = payload.get("payload") or {}
            created_at = int(payload.get("created_at") or 0)
            sub_entity = (entities.get("subscription") or {}).get("entity") or {}
            pay_entity = (entities.get("payment") or {}).get("entity") or {}
            if event in SUBSCRIPTION_EVENTS and sub_entity.get("id"):
                applied = await self._apply_subscription_event(
                    uow, str(sub_entity["id"]), SUBSCRIPTION_EVENTS[event], created_at
                )
            if pay_entity.get("id") and (event in PAYMENT_EVENTS or event == "subscription.charged"):
                credited = await self._ledger.credit_from_gateway(
                    uow, _payment(pay_entity, sub_entity.get("id")), "webhook"
                )
            await uow.commit()
        return WebhookOutcome(event, duplicate=False, credited=credited, applied=applied)

    async def _apply_subscription_event(
        self, uow: BillingUnitOfWork, gateway_id: str, status: SubscriptionStatus, created_at: int
    ) -> bool:
        subscription = await uow.subscriptions.by_gateway_id(gateway_id, for_update=True)
        if subscription is None:
            return False
        # Terminal states are final; otherwise only a newer event may move the state.
        if subscription.status.is_terminal or created_at < subscription.last_event_at:
            return False
        if status is SubscriptionStatus.AUTHENTICATED and subscription.status is not SubscriptionStatus.CREATED:
            return False  # a late "authenticated" never undoes "active"
        plan = await uow.plans.get(subscription.plan_id)
        if plan is not None:
            self._ledger.announce_subscriber(uow, subscription, plan, status)
        subscription.status = status
        subscription.last_event_at = created_at
        subscription.updated_at = self._clock.now()
        await uow.subscriptions.save(subscription)
        return True

    async def reconcile(self) -> int:
        """Ask the gateway about orders still unpaid after a while (a lost webhook, a closed tab)."""
        now = self._clock.now()
        orders = await self._queries.unpaid_orders(
            created_before=now - RECONCILE_AFTER, created_after=now - RECONCILE_WINDOW, limit=200
        )
        credited = 0
        for order in orders:
            for payment in await self._gateway.order_payments(order.gateway_order_id):
                async with self._uow() as uow:
                    if await self._ledger.credit_from_gateway(uow, payment, "reconcile"):
                        credited += 1
                    await uow.commit()
        return credited


def _payment(entity: dict[str, Any], subscription_id: Any) -> GatewayPayment:
    return GatewayPayment(
        id=str(entity["id"]),
        status=str(entity.get("status", "")),
        amount_minor=int(entity.get("amount") or 0),
        currency=str(entity.get("currency") or "INR"),
        order_id=entity.get("order_id"),
        subscription_id=entity.get("subscription_id") or (str(subscription_id) if subscription_id else None),
    )
