from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from app.domain.billing.entities import (
    AdView,
    CommissionTerms,
    ExportPolicy,
    GatewayPayment,
    LedgerEntry,
    Order,
    PayoutAccount,
    Plan,
    ResultsLock,
    Subscription,
)
from app.domain.kernel import Principal, UnitOfWork


class PaymentGateway(Protocol):
    public_key: str

    async def create_plan(self, *, name: str, amount_minor: int, currency: str, interval: str) -> str: ...

    async def create_order(self, *, amount_minor: int, currency: str, receipt: str, notes: dict[str, str]) -> str: ...

    async def create_subscription(
        self, *, gateway_plan_id: str, notes: dict[str, str], total_count: int = 120
    ) -> str: ...

    async def cancel_subscription(self, gateway_subscription_id: str, *, at_cycle_end: bool) -> None: ...

    async def order_payments(self, gateway_order_id: str) -> list[GatewayPayment]: ...

    def verify_order_payment(self, *, order_id: str, payment_id: str, signature: str) -> bool: ...

    def verify_subscription_payment(self, *, subscription_id: str, payment_id: str, signature: str) -> bool: ...

    def verify_webhook(self, body: str, signature: str) -> bool:
        """True if signed with the current or (during rotation) the previous webhook secret."""


class PlanRepository(Protocol):
    async def add(self, plan: Plan) -> None: ...

    async def get(self, plan_id: uuid.UUID, *, for_update: bool = False) -> Plan | None: ...


class SubscriptionRepository(Protocol):
    async def add(self, subscription: Subscription) -> None: ...

    async def get(self, subscription_id: uuid.UUID, *, for_update: bool = False) -> Subscription | None: ...

    async def by_gateway_id(self, gateway_id: str, *, for_update: bool = False) -> Subscription | None: ...

    async def save(self, subscription: Subscription) -> None: ...

    async def open_for(self, user_id: uuid.UUID, plan_id: uuid.UUID) -> Subscription | None:
        """The user's subscription to this plan that is live or still awaiting its first payment, if any."""


class OrderRepository(Protocol):
    async def add(self, order: Order) -> None: ...

    async def by_gateway_id(self, gateway_id: str, *, for_update: bool = False) -> Order | None: ...

    async def save(self, order: Order) -> None: ...


class Ledger(Protocol):
    async def credit(self, entry: LedgerEntry) -> bool:
        """Insert unless the payment is already credited; True if this call credited it."""

    async def for_payment(self, gateway_payment_id: str) -> LedgerEntry | None: ...


class PayoutAccounts(Protocol):
    async def get(self, user_id: uuid.UUID) -> PayoutAccount | None: ...

    async def save(self, account: PayoutAccount) -> None:
        """Upsert; the adapter encrypts the account number."""

    async def delete(self, user_id: uuid.UUID) -> bool: ...


class AdViewRepository(Protocol):
    async def add(self, view: AdView) -> None: ...

    async def get(self, view_id: uuid.UUID, *, for_update: bool = False) -> AdView | None: ...

    async def save(self, view: AdView) -> None: ...

    async def completed_since(self, user_id: uuid.UUID, since: datetime) -> bool: ...

    async def latest_completed(self, user_id: uuid.UUID) -> datetime | None: ...


class WebhookEvents(Protocol):
    async def record(self, event_id: str, event: str, payload: dict[str, Any]) -> bool:
        """False if this event id was seen before (dedupe)."""


class BillingParties(Protocol):
    """What billing may know of the people and deals of other modules."""

    async def is_creator(self, user_id: uuid.UUID) -> bool:
        """Whether the user has a creator profile (may receive tips and sell tiers)."""

    async def has_active_platform_subscription(self, user_id: uuid.UUID) -> bool: ...

    async def commission_terms(self, commission_id: uuid.UUID) -> CommissionTerms | None: ...


class BillingUnitOfWork(UnitOfWork, Protocol):
    plans: PlanRepository
    subscriptions: SubscriptionRepository
    orders: OrderRepository
    ledger: Ledger
    payout_accounts: PayoutAccounts
    ad_views: AdViewRepository
    webhook_events: WebhookEvents
    parties: BillingParties


class BillingQueries(Protocol):
    """Read-only views: lists and the reconciliation sweep."""

    async def plans(self, *, owner_id: uuid.UUID | None, platform: bool) -> list[Plan]: ...

    async def subscriptions_of(self, user_id: uuid.UUID) -> list[tuple[Subscription, Plan]]: ...

    async def tips_received(self, creator_id: uuid.UUID, *, limit: int) -> list[Order]: ...

    async def unpaid_orders(self, *, created_before: datetime, created_after: datetime, limit: int) -> list[Order]: ...


BillingUnitOfWorkFactory = Callable[[], BillingUnitOfWork]


class Entitlements(Protocol):
    """What the freemium rules allow a user (AdVenture). Other modules ask this port."""

    async def export_policy(self, principal: Principal) -> ExportPolicy: ...

    async def results_lock(self, principal: Principal) -> ResultsLock:
        """Which AI results this viewer may not see yet (guests before an ad view)."""

    async def require_ad_view(self, principal: Principal, *, since: datetime) -> None:
        """Raise AdViewRequired if the user must watch an ad (guests) and has not since `since`."""
