"""Crediting payments: each gateway payment is written to the ledger once, whichever path reports it first
(the client's verify call, a webhook, reconciliation), and the people it concerns are told once."""

from __future__ import annotations

from app.core.clock import Clock
from app.core.ids import new_id
from app.domain.billing.entities import (
    GatewayPayment,
    LedgerEntry,
    Order,
    OrderKind,
    OrderStatus,
    Plan,
    Subscription,
    SubscriptionStatus,
)
from app.domain.billing.ports import BillingUnitOfWork
from app.domain.notifications.entities import NotificationKind
from app.domain.notifications.services import notify


class LedgerWriter:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def announce_subscriber(
        self, uow: BillingUnitOfWork, subscription: Subscription, plan: Plan, new_status: SubscriptionStatus
    ) -> None:
        """Tell the creator once, when the subscription first becomes active."""
        first_activation = new_status is SubscriptionStatus.ACTIVE and subscription.status in (
            SubscriptionStatus.CREATED,
            SubscriptionStatus.AUTHENTICATED,
        )
        if first_activation and plan.owner_id:
            notify(
                uow.outbox,
                NotificationKind.NEW_SUBSCRIBER,
                at=self._clock.now(),
                actor_id=subscription.user_id,
                target_id=subscription.id,
                recipients=[plan.owner_id],
                data={"tier": plan.name},
            )

    async def credit_order(
        self, uow: BillingUnitOfWork, order: Order, payment_id: str, amount: int, currency: str, source: str
    ) -> bool:
        credited = await uow.ledger.credit(
            LedgerEntry(
                id=new_id(),
                gateway_payment_id=payment_id,
                kind=order.kind.value,
                user_id=order.user_id,
                creator_id=order.creator_id,
                amount_minor=amount,
                currency=currency,
                source=source,
                order_id=order.id,
                created_at=self._clock.now(),
            )
        )
        if order.status is not OrderStatus.PAID:
            order.status = OrderStatus.PAID
            order.paid_at = self._clock.now()
            await uow.orders.save(order)
        if credited and order.kind is OrderKind.TIP and order.creator_id:
            notify(
                uow.outbox,
                NotificationKind.TIP,
                at=self._clock.now(),
                actor_id=order.user_id,
                target_id=order.id,
                recipients=[order.creator_id],
                data={
                    "amount_minor": amount,
                    "currency": currency,
                    "name": order.tipper_name,
                    "message": order.message,
                },
            )
        return credited

    async def credit_subscription(
        self,
        uow: BillingUnitOfWork,
        subscription: Subscription,
        plan: Plan,
        payment_id: str,
        amount: int,
        currency: str,
        source: str,
    ) -> bool:
        return await uow.ledger.credit(
            LedgerEntry(
                id=new_id(),
                gateway_payment_id=payment_id,
                kind="subscription",
                user_id=subscription.user_id,
                creator_id=plan.owner_id,
                amount_minor=amount,
                currency=currency,
                source=source,
                subscription_id=subscription.id,
                created_at=self._clock.now(),
            )
        )

    async def credit_from_gateway(self, uow: BillingUnitOfWork, payment: GatewayPayment, source: str) -> bool:
        if payment.status not in ("authorized", "captured"):
            return False
        if payment.order_id:
            order = await uow.orders.by_gateway_id(payment.order_id, for_update=True)
            if order is not None:
                return await self.credit_order(uow, order, payment.id, payment.amount_minor, payment.currency, source)
        if payment.subscription_id:
            subscription = await uow.subscriptions.by_gateway_id(payment.subscription_id)
            plan = await uow.plans.get(subscription.plan_id) if subscription else None
            if subscription is not None and plan is not None:
                return await self.credit_subscription(
                    uow, subscription, plan, payment.id, payment.amount_minor, payment.currency, source
                )
        return False
