"""Billing: plans/tiers, subscriptions, one-time orders (tier purchases, tips, commissions), Razorpay webhooks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK

from app.domain.billing.entities import Interval, Order, OrderKind, OrderStatus, Plan, Subscription, SubscriptionStatus
from app.domain.billing.gateway_events import GatewayEvents
from app.domain.billing.guest_checkout import GuestCheckout
from app.domain.billing.services import BillingService, Checkout
from app.domain.kernel import Principal
from app.entrypoints.http.accounts import TokenOut, UserOut, checked_email, token_out, user_out
from app.entrypoints.http.idempotency import IdempotencyKeyHeader, idempotent
from app.entrypoints.http.problems import problem_responses
from app.entrypoints.http.rate_limits import rate_limit_guard
from app.entrypoints.http.security import client_info

TAGS = ["billing"]
Amount = Annotated[
    int, msgspec.Meta(ge=100, le=10**9, description="Integer minor units (paise, cents)", examples=[49900])
]
Currency = Annotated[str, msgspec.Meta(pattern=r"^(INR|USD|inr|usd)$", examples=["INR"])]
GatewayId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class PlanIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, examples=["Gold tier"])]
    amount_minor: Amount
    currency: Currency = "INR"
    interval: Interval = Interval.MONTHLY
    description: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    benefits: Annotated[list[Annotated[str, msgspec.Meta(max_length=200)]], msgspec.Meta(max_length=20)] = (
        msgspec.field(default_factory=list)
    )
    platform: bool = msgspec.field(default=False)


class PlanOut(msgspec.Struct):
    id: uuid.UUID
    owner_id: uuid.UUID | None
    name: str
    description: str
    benefits: list[str]
    amount_minor: int
    currency: str
    interval: Interval


class PlanListOut(msgspec.Struct):
    items: list[PlanOut]


class CheckoutOut(msgspec.Struct):
    id: uuid.UUID
    gateway_id: str
    public_key: str
    amount_minor: int
    currency: str


class SubscribeIn(msgspec.Struct, forbid_unknown_fields=True):
    plan_id: uuid.UUID


class VerifySubscriptionIn(msgspec.Struct, forbid_unknown_fields=True):
    razorpay_payment_id: GatewayId
    razorpay_subscription_id: GatewayId
    razorpay_signature: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class EndIn(msgspec.Struct, forbid_unknown_fields=True):
    at_cycle_end: bool = msgspec.field(default=True)


class SubscriptionOut(msgspec.Struct):
    id: uuid.UUID
    plan_id: uuid.UUID
    gateway_subscription_id: str
    status: SubscriptionStatus
    cancel_at_cycle_end: bool
    created_at: datetime | None
    plan: PlanOut | None = None


class SubscriptionListOut(msgspec.Struct):
    items: list[SubscriptionOut]


class OrderIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: OrderKind
    amount_minor: Amount | None = None
    currency: Currency = "INR"
    creator_id: uuid.UUID | None = None
    plan_id: uuid.UUID | None = None
    reference: Annotated[str, msgspec.Meta(max_length=100, description="e.g. the commission id")] = ""
    name: Annotated[str, msgspec.Meta(max_length=100, description="Tipper's display name")] = ""
    message: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class VerifyOrderIn(msgspec.Struct, forbid_unknown_fields=True):
    razorpay_order_id: GatewayId
    razorpay_payment_id: GatewayId
    razorpay_signature: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class OrderOut(msgspec.Struct):
    id: uuid.UUID
    kind: OrderKind
    gateway_order_id: str
    amount_minor: int
    currency: str
    status: OrderStatus
    creator_id: uuid.UUID | None
    paid_at: datetime | None


class TipOut(msgspec.Struct):
    name: str
    message: str
    amount_minor: int
    currency: str
    paid_at: datetime | None


class TipListOut(msgspec.Struct):
    items: list[TipOut]


class WebhookOut(msgspec.Struct):
    status: str
    event: str
    duplicate: bool


def plan_out(p: Plan) -> PlanOut:
    return msgspec.convert(p, PlanOut, from_attributes=True)


def subscription_out(s: Subscription, plan: Plan | None = None) -> SubscriptionOut:
    return SubscriptionOut(
        s.id,
        s.plan_id,
        s.gateway_subscription_id,
        s.status,
        s.cancel_at_cycle_end,
        s.created_at,
        plan_out(plan) if plan else None,
    )


def order_out(o: Order) -> OrderOut:
    return msgspec.convert(o, OrderOut, from_attributes=True)


def checkout_out(c: Checkout) -> CheckoutOut:
    return CheckoutOut(c.local_id, c.gateway_id, c.public_key, c.amount_minor, c.currency)


@post(
    "/plans",
    summary="Create a plan or creator tier",
    description="Creators create tiers for themselves; admins create platform plans (`platform: true`).",
    responses=problem_responses(502),
)
async def create_plan(
    data: JSONBody[PlanIn], request: Request[Principal, Any, Any], billing: NamedDependency[BillingService]
) -> PlanOut:
    plan = await billing.create_plan(
        request.user,
        name=data.name,
        amount_minor=data.amount_minor,
        currency=data.currency,
        interval=data.interval,
        description=data.description,
        benefits=data.benefits,
        platform=data.platform,
    )
    return plan_out(plan)


@get(
    "/plans",
    summary="List plans",
    description="Platform plans, or a creator's tiers with `creator_id`.",
)
async def list_plans(
    billing: NamedDependency[BillingService], creator_id: FromQuery[uuid.UUID | None] = None
) -> PlanListOut:
    return PlanListOut([plan_out(p) for p in await billing.list_plans(owner_id=creator_id)])


@post(
    "/subscriptions",
    summary="Start a recurring subscription",
    description="Returns the gateway subscription id and public key for the checkout.",
    responses=problem_responses(404, 409, 502),
)
async def subscribe(
    data: JSONBody[SubscribeIn],
    request: Request[Principal, Any, Any],
    billing: NamedDependency[BillingService],
    idempotency_key: Annotated[str | None, IdempotencyKeyHeader] = None,
) -> Response[CheckoutOut]:
    async def produce() -> CheckoutOut:
        return checkout_out(await billing.subscribe(request.user, data.plan_id))

    return await idempotent(request, idempotency_key, produce)


@post(
    "/subscriptions/verify",
    summary="Confirm a subscription payment",
    description="Checks the checkout's signature and credits the payment (once, whatever the webhook does).",
    status_code=HTTP_200_OK,
    responses=problem_responses(404),
)
async def verify_subscription(
    data: JSONBody[VerifySubscriptionIn],
    request: Request[Principal, Any, Any],
    billing: NamedDependency[BillingService],
) -> SubscriptionOut:
    subscription = await billing.verify_subscription_payment(
        request.user,
        gateway_subscription_id=data.razorpay_subscription_id,
        payment_id=data.razorpay_payment_id,
        signature=data.razorpay_signature,
    )
    return subscription_out(subscription)


@post(
    "/subscriptions/{subscription_id:uuid}/end",
    summary="End a subscription",
    description="`at_cycle_end: true` keeps it until the paid period ends; `false` ends it now.",
    status_code=HTTP_200_OK,
    responses=problem_responses(502),
)
async def end_subscription(
    subscription_id: FromPath[uuid.UUID],
    data: JSONBody[EndIn],
    request: Request[Principal, Any, Any],
    billing: NamedDependency[BillingService],
) -> SubscriptionOut:
    return subscription_out(
        await billing.end_subscription(request.user, subscription_id, at_cycle_end=data.at_cycle_end)
    )


@get(
    "/subscriptions",
    summary="My subscriptions",
)
async def my_subscriptions(
    request: Request[Principal, Any, Any], billing: NamedDependency[BillingService]
) -> SubscriptionListOut:
    return SubscriptionListOut([subscription_out(s, p) for s, p in await billing.my_subscriptions(request.user)])


@post(
    "/orders",
    summary="Start a one-time payment",
    description="A tier bought once (`one_time` + plan_id), a tip (`tip` + creator_id, name, message) "
    "or a commission payment (`commission` + reference: the commission id; its own price and creator).",
    responses=problem_responses(404, 409, 502),
)
async def create_order(
    data: JSONBody[OrderIn],
    request: Request[Principal, Any, Any],
    billing: NamedDependency[BillingService],
    idempotency_key: Annotated[str | None, IdempotencyKeyHeader] = None,
) -> Response[CheckoutOut]:
    async def produce() -> CheckoutOut:
        checkout = await billing.create_order(
            request.user,
            kind=data.kind,
            amount_minor=data.amount_minor,
            currency=data.currency,
            creator_id=data.creator_id,
            plan_id=data.plan_id,
            reference=data.reference,
            tipper_name=data.name,
            message=data.message,
        )
        return checkout_out(checkout)

    return await idempotent(request, idempotency_key, produce)


@post(
    "/orders/verify",
    summary="Confirm a one-time payment",
    status_code=HTTP_200_OK,
    responses=problem_responses(404),
)
async def verify_order(
    data: JSONBody[VerifyOrderIn], request: Request[Principal, Any, Any], billing: NamedDependency[BillingService]
) -> OrderOut:
    order = await billing.verify_order_payment(
        request.user,
        gateway_order_id=data.razorpay_order_id,
        payment_id=data.razorpay_payment_id,
        signature=data.razorpay_signature,
    )
    return order_out(order)


@get(
    "/creators/{creator_id:uuid}/tips",
    summary="Tips (cheers) a creator received",
    description="Newest first: name, message, amount.",
)
async def creator_tips(creator_id: FromPath[uuid.UUID], billing: NamedDependency[BillingService]) -> TipListOut:
    tips = await billing.tips_received(creator_id)
    return TipListOut([TipOut(t.tipper_name, t.message, t.amount_minor, t.currency, t.paid_at) for t in tips])


@post(
    "/webhooks/razorpay",
    summary="Razorpay webhook",
    description="Verifies X-Razorpay-Signature over the raw body (current or previous secret), dedupes on "
    "X-Razorpay-Event-Id and applies the event; duplicates and out-of-order events are harmless.",
    opt={"exclude_from_auth": True},  # authenticated by the signature
    status_code=HTTP_200_OK,
)
async def razorpay_webhook(
    request: Request[Any, Any, Any], gateway_events: NamedDependency[GatewayEvents]
) -> WebhookOut:
    raw = (await request.body()).decode("utf-8", "replace")
    outcome = await gateway_events.handle_webhook(
        raw, request.headers.get("x-razorpay-signature", ""), request.headers.get("x-razorpay-event-id")
    )
    return WebhookOut(status="ok", event=outcome.event, duplicate=outcome.duplicate)


class GuestCheckoutIn(msgspec.Struct, forbid_unknown_fields=True):
    payment_type: Annotated[str, msgspec.Meta(pattern=r"^(recurring|one_time|tip|commission)$", examples=["recurring"])]
    email: Annotated[str, msgspec.Meta(max_length=320)] | None = None
    phone: Annotated[str, msgspec.Meta(max_length=32, pattern=r"^\+?[0-9 ()-]{6,32}$")] | None = None
    plan_id: uuid.UUID | None = None
    amount_minor: Amount | None = None
    currency: Currency = "INR"
    creator_id: uuid.UUID | None = None
    reference: Annotated[str, msgspec.Meta(max_length=100)] = ""
    name: Annotated[str, msgspec.Meta(max_length=100)] = ""
    message: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class GuestCheckoutOut(msgspec.Struct):
    user: UserOut | None  # only for a new guest, who is signed in by `tokens`
    checkout: CheckoutOut
    tokens: TokenOut | None = msgspec.field(default=None)


@post(
    "/guest-checkout",
    summary="Pay as a guest",
    description="Creates a guest account (signed in: `tokens`) or links the payment to the existing guest with this "
    "email (no tokens), then starts the subscription or order. An email of a full account must sign in (409).",
    opt={"exclude_from_auth": True},
    guards=[rate_limit_guard("guest", "auth_rate_limit_per_minute")],
    responses=problem_responses(404, 409, 429),
)
async def guest_checkout(
    data: JSONBody[GuestCheckoutIn],
    request: Request[Any, Any, Any],
    guest_checkout: NamedDependency[GuestCheckout],
    idempotency_key: Annotated[str | None, IdempotencyKeyHeader] = None,
) -> Response[GuestCheckoutOut]:
    recurring = data.payment_type == "recurring"
    order = None
    if not recurring:
        order = {
            "kind": OrderKind(data.payment_type),
            "amount_minor": data.amount_minor,
            "currency": data.currency,
            "creator_id": data.creator_id,
            "reference": data.reference,
            "tipper_name": data.name,
            "message": data.message,
        }

    async def produce() -> GuestCheckoutOut:
        user, tokens, checkout = await guest_checkout.start(
            email=checked_email(data.email) if data.email else None,
            phone=data.phone,
            client=client_info(request),
            plan_id=data.plan_id,
            recurring=recurring,
            order=order,
        )
        # The profile only goes to whoever holds its tokens: an email alone must not reveal another guest's details.
        if tokens is None:
            return GuestCheckoutOut(user=None, checkout=checkout_out(checkout), tokens=None)
        return GuestCheckoutOut(user=user_out(user), checkout=checkout_out(checkout), tokens=token_out(tokens))

    return await idempotent(request, idempotency_key, produce)


def create_router() -> Router:
    return Router(
        path="/api/billing",
        tags=TAGS,
        route_handlers=[
            create_plan,
            list_plans,
            subscribe,
            verify_subscription,
            end_subscription,
            my_subscriptions,
            create_order,
            verify_order,
            creator_tips,
            razorpay_webhook,
            guest_checkout,
        ],
    )
