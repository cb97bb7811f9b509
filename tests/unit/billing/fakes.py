"""In-memory fakes of the billing ports, and a payment gateway that signs like Razorpay (HMAC-SHA256)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import uuid
from datetime import datetime
from typing import Any

from app.domain.billing.entities import (
    AdView,
    CommissionTerms,
    GatewayPayment,
    LedgerEntry,
    Order,
    OrderKind,
    OrderStatus,
    PayoutAccount,
    Plan,
    Subscription,
    SubscriptionStatus,
)
from tests.unit.fakes import MemoryDatabase, MemoryUnitOfWork, Table

TABLES = ("plans", "subscriptions", "orders", "ledger", "payouts", "ad_views", "webhooks", "creators", "commissions")
SECRET = "unit-test-secret"


def sign(message: str) -> str:
    return hmac.new(SECRET.encode(), message.encode(), hashlib.sha256).hexdigest()


class FakeGateway:
    public_key = "rzp_test_unit"

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.payments: dict[str, list[GatewayPayment]] = {}
        self.cancelled: list[str] = []

    async def create_plan(self, *, name: str, amount_minor: int, currency: str, interval: str) -> str:
        return f"plan_{next(self._ids)}"

    async def create_order(self, *, amount_minor: int, currency: str, receipt: str, notes: dict[str, str]) -> str:
        return f"order_{next(self._ids)}"

    async def create_subscription(self, *, gateway_plan_id: str, notes: dict[str, str], total_count: int = 120) -> str:
        return f"sub_{next(self._ids)}"

    async def cancel_subscription(self, gateway_subscription_id: str, *, at_cycle_end: bool) -> None:
        self.cancelled.append(gateway_subscription_id)

    async def order_payments(self, gateway_order_id: str) -> list[GatewayPayment]:
        return self.payments.get(gateway_order_id, [])

    def verify_order_payment(self, *, order_id: str, payment_id: str, signature: str) -> bool:
        return hmac.compare_digest(sign(f"{order_id}|{payment_id}"), signature)

    def verify_subscription_payment(self, *, subscription_id: str, payment_id: str, signature: str) -> bool:
        return hmac.compare_digest(sign(f"{payment_id}|{subscription_id}"), signature)

    def verify_webhook(self, body: str, signature: str) -> bool:
        return hmac.compare_digest(sign(body), signature)


class _Plans(Table):
    async def add(self, plan: Plan) -> None:
        self.store(plan.id, plan)

    async def get(self, plan_id: uuid.UUID, *, for_update: bool = False) -> Plan | None:
        return self.load(plan_id)  # type: ignore[no-any-return]


class _Subscriptions(Table):
    async def add(self, subscription: Subscription) -> None:
        self.store(subscription.id, subscription)

    async def get(self, subscription_id: uuid.UUID, *, for_update: bool = False) -> Subscription | None:
        return self.load(subscription_id)  # type: ignore[no-any-return]

    async def by_gateway_id(self, gateway_id: str, *, for_update: bool = False) -> Subscription | None:
        return next((s for s in self.all() if s.gateway_subscription_id == gateway_id), None)

    async def save(self, subscription: Subscription) -> None:
        self.store(subscription.id, subscription)

    async def open_for(self, user_id: uuid.UUID, plan_id: uuid.UUID) -> Subscription | None:
        live = (SubscriptionStatus.CREATED, SubscriptionStatus.AUTHENTICATED, SubscriptionStatus.ACTIVE)
        return next((s for s in self.all() if (s.user_id, s.plan_id) == (user_id, plan_id) and s.status in live), None)


class _Orders(Table):
    async def add(self, order: Order) -> None:
        self.store(order.id, order)

    async def by_gateway_id(self, gateway_id: str, *, for_update: bool = False) -> Order | None:
        return next((o for o in self.all() if o.gateway_order_id == gateway_id), None)

    async def save(self, order: Order) -> None:
        self.store(order.id, order)


class _Ledger(Table):
    async def credit(self, entry: LedgerEntry) -> bool:
        if entry.gateway_payment_id in self.rows:
            return False
        self.store(entry.gateway_payment_id, entry)
        return True

    async def for_payment(self, gateway_payment_id: str) -> LedgerEntry | None:
        return self.load(gateway_payment_id)  # type: ignore[no-any-return]


class _Payouts(Table):
    async def get(self, user_id: uuid.UUID) -> PayoutAccount | None:
        return self.load(user_id)  # type: ignore[no-any-return]

    async def save(self, account: PayoutAccount) -> None:
        self.store(account.user_id, account)

    async def delete(self, user_id: uuid.UUID) -> bool:
        return self.rows.pop(user_id, None) is not None


class _AdViews(Table):
    async def add(self, view: AdView) -> None:
        self.store(view.id, view)

    async def get(self, view_id: uuid.UUID, *, for_update: bool = False) -> AdView | None:
        return self.load(view_id)  # type: ignore[no-any-return]

    async def save(self, view: AdView) -> None:
        self.store(view.id, view)

    async def completed_since(self, user_id: uuid.UUID, since: datetime) -> bool:
        return any(v.user_id == user_id and v.completed_at and v.completed_at >= since for v in self.all())

    async def latest_completed(self, user_id: uuid.UUID) -> datetime | None:
        done = [v.completed_at for v in self.all() if v.user_id == user_id and v.completed_at]
        return max(done, default=None)


class _Webhooks(Table):
    async def record(self, event_id: str, event: str, payload: dict[str, Any]) -> bool:
        if event_id in self.rows:
            return False
        self.store(event_id, (event, payload))
        return True


class _Parties:
    def __init__(self, creators: dict[Any, Any], commissions: dict[Any, Any], subscriptions: dict[Any, Any]) -> None:
        self._creators, self._commissions, self._subscriptions = creators, commissions, subscriptions

    async def is_creator(self, user_id: uuid.UUID) -> bool:
        return user_id in self._creators

    async def has_active_platform_subscription(self, user_id: uuid.UUID) -> bool:
        return False

    async def commission_terms(self, commission_id: uuid.UUID) -> CommissionTerms | None:
        return self._commissions.get(commission_id)  # type: ignore[no-any-return]


class MemoryBillingUnitOfWork(MemoryUnitOfWork):
    def _bind(self, tables: dict[str, dict[Any, Any]]) -> None:
        self.plans = _Plans(tables["plans"])
        self.subscriptions = _Subscriptions(tables["subscriptions"])
        self.orders = _Orders(tables["orders"])
        self.ledger = _Ledger(tables["ledger"])
        self.payout_accounts = _Payouts(tables["payouts"])
        self.ad_views = _AdViews(tables["ad_views"])
        self.webhook_events = _Webhooks(tables["webhooks"])
        self.parties = _Parties(tables["creators"], tables["commissions"], tables["subscriptions"])


class MemoryBillingQueries:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def plans(self, *, owner_id: uuid.UUID | None, platform: bool) -> list[Plan]:
        return [p for p in Table(self._db.tables["plans"]).all() if p.owner_id == (None if platform else owner_id)]

    async def subscriptions_of(self, user_id: uuid.UUID) -> list[tuple[Subscription, Plan]]:
        plans = self._db.tables["plans"]
        return [(s, plans[s.plan_id]) for s in Table(self._db.tables["subscriptions"]).all() if s.user_id == user_id]

    async def tips_received(self, creator_id: uuid.UUID, *, limit: int) -> list[Order]:
        orders = Table(self._db.tables["orders"]).all()
        return [
            o for o in orders if o.creator_id == creator_id and o.kind is OrderKind.TIP and o.status is OrderStatus.PAID
        ]

    async def unpaid_orders(self, *, created_before: datetime, created_after: datetime, limit: int) -> list[Order]:
        orders = Table(self._db.tables["orders"]).all()
        return [o for o in orders if o.status is OrderStatus.CREATED and created_after < o.created_at < created_before]


def billing_database() -> MemoryDatabase:
    return MemoryDatabase(*TABLES)
