"""Billing (Oasis, AdVenture): plans and creator tiers, subscriptions, one-time orders
(tier purchases, tips, commissions) and the ledger that credits each payment once."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime


class Interval(enum.StrEnum):
    MONTHLY = "monthly"
    YEARLY = "yearly"


class SubscriptionStatus(enum.StrEnum):
    CREATED = "created"
    AUTHENTICATED = "authenticated"
    ACTIVE = "active"
    PENDING = "pending"
    HALTED = "halted"
    CANCELLED = "cancelled"
    COMPLETED = "completed"

    @property
    def is_terminal(self) -> bool:
        return self in (SubscriptionStatus.CANCELLED, SubscriptionStatus.COMPLETED)


class OrderKind(enum.StrEnum):
    ONE_TIME = "one_time"  # a tier bought once
    TIP = "tip"  # Oasis "cheers": name + message + amount
    COMMISSION = "commission"


class OrderStatus(enum.StrEnum):
    CREATED = "created"
    PAID = "paid"


CURRENCIES = frozenset({"INR", "USD"})


@dataclass(slots=True, kw_only=True)
class Plan:
    id: uuid.UUID
    owner_id: uuid.UUID | None  # the creator for a tier; None for platform plans (AdVenture Pro)
    name: str
    amount_minor: int
    currency: str
    interval: Interval = Interval.MONTHLY
    description: str = ""
    benefits: list[str] = field(default_factory=list)
    gateway_plan_id: str | None = None
    active: bool = True
    created_at: datetime | None = None


@dataclass(slots=True, kw_only=True)
class Subscription:
    id: uuid.UUID
    user_id: uuid.UUID
    plan_id: uuid.UUID
    gateway_subscription_id: str
    status: SubscriptionStatus = SubscriptionStatus.CREATED
    cancel_at_cycle_end: bool = False
    last_event_at: int = 0  # gateway time of the newest event applied (out-of-order guard)
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(slots=True, kw_only=True)
class Order:
    id: uuid.UUID
    user_id: uuid.UUID
    kind: OrderKind
    gateway_order_id: str
    amount_minor: int
    currency: str
    creator_id: uuid.UUID | None = None
    plan_id: uuid.UUID | None = None
    reference: str = ""  # commission id, etc.
    tipper_name: str = ""
    message: str = ""
    status: OrderStatus = OrderStatus.CREATED
    created_at: datetime | None = None
    paid_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerEntry:
    """One credited payment. `gateway_payment_id` is unique: the webhook, the client-side
    verify call and reconciliation all write here, and only the first write counts."""

    id: uuid.UUID
    gateway_payment_id: str
    kind: str  # "subscription" | OrderKind
    user_id: uuid.UUID | None
    creator_id: uuid.UUID | None
    amount_minor: int
    currency: str
    source: str  # "verify" | "webhook" | "reconcile"
    order_id: uuid.UUID | None = None
    subscription_id: uuid.UUID | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GatewayPayment:
    id: str
    status: str  # created | authorized | captured | failed | refunded
    amount_minor: int
    currency: str
    order_id: str | None = None
    subscription_id: str | None = None


@dataclass(slots=True, kw_only=True)
class PayoutAccount:
    """A creator's bank account for payouts. The account number is stored encrypted."""

    user_id: uuid.UUID
    account_holder_name: str
    bank_name: str
    ifsc_code: str
    account_number: str  # plaintext only in memory
    updated_at: datetime | None = None

    @property
    def masked_account_number(self) -> str:
        return "X" * max(0, len(self.account_number) - 4) + self.account_number[-4:]


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultsLock:
    """The freemium lock on AI results for one viewer: a guest sees a generation's result only after
    completing an ad view that ended after the generation was requested (and within the last hour).
    Every read path (generation, lists, canvas, rooms, export) asks this one object."""

    applies: bool  # False: not a guest, nothing is locked
    latest_view: datetime | None = None  # when the guest's latest ad view was completed
    valid_after: datetime | None = None  # views older than this no longer count

    def locks(self, created_at: datetime | None) -> bool:
        if not self.applies:
            return False
        if self.latest_view is None or (self.valid_after is not None and self.latest_view < self.valid_after):
            return True
        return created_at is None or self.latest_view < created_at


@dataclass(frozen=True, slots=True, kw_only=True)
class CommissionTerms:
    """What billing needs of a commission to take its payment."""

    buyer_id: uuid.UUID
    creator_id: uuid.UUID
    price_minor: int
    currency: str
    status: str
    paid: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportPolicy:
    """What an export may look like for this user (freemium)."""

    scale: float  # 1.0 = full resolution
    watermark: str | None


@dataclass(slots=True, kw_only=True)
class AdView:
    id: uuid.UUID
    user_id: uuid.UUID
    started_at: datetime
    completed_at: datetime | None = None
