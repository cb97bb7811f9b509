"""Billing rules against in-memory ports: each payment is credited once whichever path reports it
(client verify, webhook, reconciliation), signatures gate everything, webhooks are deduplicated and
applied in event order, and a refused order leaves nothing anywhere."""

from __future__ import annotations

import json
import uuid

import pytest

from app.core.errors import ValidationFailed
from app.domain.billing.entities import GatewayPayment, Interval, OrderKind, OrderStatus, SubscriptionStatus
from app.domain.billing.errors import (
    InvalidPaymentSignature,
    InvalidWebhookSignature,
    OrderNotFound,
)
from app.domain.billing.gateway_events import GatewayEvents
from app.domain.billing.services import BillingService
from app.domain.creators.errors import CreatorNotFound
from app.domain.notifications.entities import NotificationKind
from tests.unit.billing.fakes import FakeGateway, MemoryBillingQueries, MemoryBillingUnitOfWork, billing_database, sign
from tests.unit.fakes import MemoryDatabase, StepClock, member


@pytest.fixture
def db() -> MemoryDatabase:
    return billing_database()


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def billing(db: MemoryDatabase, gateway: FakeGateway, clock: StepClock) -> BillingService:
    return BillingService(
        uow=lambda: MemoryBillingUnitOfWork(db), queries=MemoryBillingQueries(db), gateway=gateway, clock=clock
    )


@pytest.fixture
def events(db: MemoryDatabase, gateway: FakeGateway, clock: StepClock) -> GatewayEvents:
    return GatewayEvents(
        uow=lambda: MemoryBillingUnitOfWork(db), queries=MemoryBillingQueries(db), gateway=gateway, clock=clock
    )


def _webhook(event: str, created_at: int, **entities: dict[str, object]) -> str:
    payload = {name: {"entity": entity} for name, entity in entities.items()}
    return json.dumps({"event": event, "created_at": created_at, "payload": payload})


async def test_a_tip_is_credited_once_whether_verify_webhook_or_both_report_it(
    billing: BillingService, events: GatewayEvents, db: MemoryDatabase
) -> None:
    fan, creator = member(), member()
    db.tables["creators"][creator.user_id] = True
    checkout = await billing.create_order(
        fan, kind=OrderKind.TIP, amount_minor=500, currency="INR", creator_id=creator.user_id
    )
    order = await billing.verify_order_payment(
        fan,
        gateway_order_id=checkout.gateway_id,
        payment_id="pay_1",
        signature=sign(f"{checkout.gateway_id}|pay_1"),
    )
    assert order.status is OrderStatus.PAID
    body = _webhook(
        "payment.captured",
        1,
        payment={
            "id": "pay_1",
            "status": "captured",
            "amount": 500,
            "currency": "INR",
            "order_id": checkout.gateway_id,
        },
    )
    outcome = await events.handle_webhook(body, sign(body), "evt_1")
    assert outcome.credited is False and outcome.duplicate is False
    assert list(db.tables["ledger"]) == ["pay_1"]
    tips = [m for m in db.outbox if getattr(m, "kind", None) == NotificationKind.TIP]
    assert len(tips) == 1  # the creator hears about it once


async def test_a_forged_payment_signature_credits_nothing(billing: BillingService, db: MemoryDatabase) -> None:
    fan, creator = member(), member()
    db.tables["creators"][creator.user_id] = True
    checkout = await billing.create_order(
        fan, kind=OrderKind.TIP, amount_minor=500, currency="INR", creator_id=creator.user_id
    )
    with pytest.raises(InvalidPaymentSignature):
        await billing.verify_order_payment(
            fan, gateway_order_id=checkout.gateway_id, payment_id="pay_1", signature="0" * 64
        )
    with pytest.raises(OrderNotFound):  # a valid signature on someone else's order
        await billing.verify_order_payment(
            member(),
            gateway_order_id=checkout.gateway_id,
            payment_id="pay_1",
            signature=sign(f"{checkout.gateway_id}|pay_1"),
        )
    assert db.tables["ledger"] == {}


async def test_tips_go_to_creators_only_and_a_refusal_leaves_no_order(
    billing: BillingService, db: MemoryDatabase
) -> None:
    with pytest.raises(CreatorNotFound):
        await billing.create_order(
            member(), kind=OrderKind.TIP, amount_minor=500, currency="INR", creator_id=uuid.uuid4()
        )
    with pytest.raises(ValidationFailed):
        await billing.create_order(member(), kind=OrderKind.TIP, amount_minor=500, currency="INR", creator_id=None)
    assert db.tables["orders"] == {}


async def test_webhooks_are_signed_deduplicated_and_never_move_a_subscription_backwards(
    billing: BillingService, events: GatewayEvents, db: MemoryDatabase
) -> None:
    subscriber, creator = member(), member()
    db.tables["creators"][creator.user_id] = True
    plan = await billing.create_plan(creator, name="Gold", amount_minor=9900, currency="INR", interval=Interval.MONTHLY)
    checkout = await billing.subscribe(subscriber, plan.id)
    gateway_id = checkout.gateway_id
    activated = _webhook("subscription.activated", 20, subscription={"id": gateway_id})
    with pytest.raises(InvalidWebhookSignature):
        await events.handle_webhook(activated, sign(activated + " "), "evt_a")
    assert (await events.handle_webhook(activated, sign(activated), "evt_a")).applied is True
    assert (await events.handle_webhook(activated, sign(activated), "evt_a")).duplicate is True
    late = _webhook("subscription.authenticated", 10, subscription={"id": gateway_id})
    assert (await events.handle_webhook(late, sign(late), "evt_b")).applied is False
    [(subscription, _)] = await billing.my_subscriptions(subscriber)
    assert subscription.status is SubscriptionStatus.ACTIVE


async def test_reconciliation_credits_a_paid_order_whose_webhook_was_lost(
    billing: BillingService, events: GatewayEvents, db: MemoryDatabase, gateway: FakeGateway, clock: StepClock
) -> None:
    fan, creator = member(), member()
    db.tables["creators"][creator.user_id] = True
    checkout = await billing.create_order(
        fan, kind=OrderKind.TIP, amount_minor=700, currency="INR", creator_id=creator.user_id
    )
    gateway.payments[checkout.gateway_id] = [
        GatewayPayment(id="pay_9", status="captured", amount_minor=700, currency="INR", order_id=checkout.gateway_id)
    ]
    assert await events.reconcile() == 0  # too fresh: the checkout may still be open
    clock.advance(minutes=11)
    assert await events.reconcile() == 1
    assert await events.reconcile() == 0  # and only once
    assert db.tables["ledger"]["pay_9"].amount_minor == 700
