"""Billing use cases. Money is integer minor units; every payment is credited exactly once
through the ledger's unique payment id, whichever path (verify, webhook, reconcile) sees it first."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from app.core.clock import Clock
from app.core.errors import FieldError, ValidationFailed
from app.core.ids import new_id
from app.domain.billing.entities import (
    CURRENCIES,
    Interval,
    Order,
    OrderKind,
    PayoutAccount,
    Plan,
    Subscription,
    SubscriptionStatus,
)
from app.domain.billing.errors import (
    AdminOnly,
    CommissionAlreadyPaid,
    CommissionCancelled,
    CommissionTermsMismatch,
    InvalidPaymentSignature,
    OrderNotFound,
    OwnTier,
    PlanNotFound,
    SubscriptionExists,
    SubscriptionNotFound,
)
from app.domain.billing.ledger import LedgerWriter
from app.domain.billing.ports import BillingQueries, BillingUnitOfWorkFactory, PaymentGateway
from app.domain.creators.errors import CommissionNotFound, CreatorNotFound, NotACreator
from app.domain.kernel import Principal, Role

MIN_AMOUNT = 100  # 1 INR / 1 USD in minor units
MAX_AMOUNT = 10**9


def _check_money(amount_minor: int, currency: str) -> str:
    errors = []
    if not MIN_AMOUNT <= amount_minor <= MAX_AMOUNT:
        errors.append(FieldError("amount_minor", f"must be between {MIN_AMOUNT} and {MAX_AMOUNT}"))
    if currency.upper() not in CURRENCIES:
        errors.append(FieldError("currency", f"must be one of {', '.join(sorted(CURRENCIES))}"))
    if errors:
        raise ValidationFailed("The amount is not valid.", errors=errors)
    return currency.upper()


@dataclass(frozen=True, slots=True)
class Checkout:
    """What the client needs to open the gateway's checkout."""

    gateway_id: str  # order_... or sub_...
    public_key: str
    amount_minor: int
    currency: str
    local_id: uuid.UUID


class BillingService:
    def __init__(
        self, *, uow: BillingUnitOfWorkFactory, queries: BillingQueries, gateway: PaymentGateway, clock: Clock
    ) -> None:
        self._uow = uow
        self._queries = queries
        self._gateway = gateway
        self._clock = clock
        self._ledger = LedgerWriter(clock)

    # -- plans -----------------------------------------------------------------------
    async def create_plan(
        self,
        principal: Principal,
        *,
        name: str,
        amount_minor: int,
        currency: str,
        interval: Interval,
        description: str = "",
        benefits: list[str] | None = None,
        platform: bool = False,
    ) -> Plan:
        if platform and principal.role is not Role.ADMIN:
            raise AdminOnly("Only admins create platform plans.")
        currency = _check_money(amount_minor, currency)
        if not platform:
            async with self._uow() as uow:
                if not await uow.parties.is_creator(principal.user_id):
                    raise NotACreator(
                        "Set up a creator profile first (PUT /api/creators/me): only creators sell tiers."
                    )
        gateway_plan_id = await self._gateway.create_plan(
            name=name, amount_minor=amount_minor, currency=currency, interval=interval.value
        )
        plan = Plan(
            id=new_id(),
            owner_id=None if platform else principal.user_id,
            name=name.strip(),
            amount_minor=amount_minor,
            currency=currency,
            interval=interval,
            description=description,
            benefits=list(benefits or []),
            gateway_plan_id=gateway_plan_id,
            created_at=self._clock.now(),
        )
        async with self._uow() as uow:
            await uow.plans.add(plan)
            await uow.commit()
        return plan

    async def list_plans(self, *, owner_id: uuid.UUID | None) -> list[Plan]:
        return await self._queries.plans(owner_id=owner_id, platform=owner_id is None)

    # -- subscriptions ---------------------------------------------------------------------
    async def subscribe(self, principal: Principal, plan_id: uuid.UUID) -> Checkout:
        async with self._uow() as uow:
            plan = await uow.plans.get(plan_id)
        if plan is None or not plan.active or plan.gateway_plan_id is None:
            raise PlanNotFound()
        if plan.owner_id == principal.user_id:
            raise OwnTier("You cannot subscribe to your own tier.")
        async with self._uow() as uow:
            if await uow.subscriptions.open_for(principal.user_id, plan.id) is not None:
                raise SubscriptionExists()  # checked before the gateway, so a refusal leaves nothing there
        local_id = new_id()
        gateway_id = await self._gateway.create_subscription(
            gateway_plan_id=plan.gateway_plan_id,
            notes={
                "type": "subscription",
                "subscription_id": str(local_id),
                "user_id": str(principal.user_id),
                "plan_id": str(plan.id),
            },
        )
        now = self._clock.now()
        async with self._uow() as uow:
            # Again under the plan's row lock: two racing requests cannot both pass the check above.
            await uow.plans.get(plan.id, for_update=True)
            if await uow.subscriptions.open_for(principal.user_id, plan.id) is not None:
                raise SubscriptionExists()
            await uow.subscriptions.add(
                Subscription(
                    id=local_id,
                    user_id=principal.user_id,
                    plan_id=plan.id,
                    gateway_subscription_id=gateway_id,
                    created_at=now,
                    updated_at=now,
                )
            )
            await uow.commit()
        return Checkout(gateway_id, self._gateway.public_key, plan.amount_minor, plan.currency, local_id)

    async def verify_subscription_payment(
        self, principal: Principal, *, gateway_subscription_id: str, payment_id: str, signature: str
    ) -> Subscription:
        if not self._gateway.verify_subscription_payment(
            subscription_id=gateway_subscription_id, payment_id=payment_id, signature=signature
        ):
            raise InvalidPaymentSignature()
        async with self._uow() as uow:
            subscription = await uow.subscriptions.by_gateway_id(gateway_subscription_id, for_update=True)
            if subscription is None or subscription.user_id != principal.user_id:
                raise SubscriptionNotFound()
            plan = await uow.plans.get(subscription.plan_id)
            assert plan is not None
            await self._ledger.credit_subscription(
                uow, subscription, plan, payment_id, plan.amount_minor, plan.currency, "verify"
            )
            if not subscription.status.is_terminal:
                self._ledger.announce_subscriber(uow, subscription, plan, SubscriptionStatus.ACTIVE)
                subscription.status = SubscriptionStatus.ACTIVE
                subscription.updated_at = self._clock.now()
                await uow.subscriptions.save(subscription)
            await uow.commit()
            return subscription

    async def end_subscription(
        self, principal: Principal, subscription_id: uuid.UUID, *, at_cycle_end: bool
    ) -> Subscription:
        async with self._uow() as uow:
            subscription = await uow.subscriptions.get(subscription_id)
        if subscription is None or subscription.user_id != principal.user_id:
            raise SubscriptionNotFound()
        if subscription.status.is_terminal:
            return subscription
        await self._gateway.cancel_subscription(subscription.gateway_subscription_id, at_cycle_end=at_cycle_end)
        async with self._uow() as uow:
            subscription = await uow.subscriptions.get(subscription_id, for_update=True)
            assert subscription is not None
            if not subscription.status.is_terminal:
                if at_cycle_end:
                    # Still paid up: it ends when the gateway says the cycle is over (subscription.cancelled).
                    subscription.cancel_at_cycle_end = True
                else:
                    subscription.status = SubscriptionStatus.CANCELLED
                subscription.updated_at = self._clock.now()
                await uow.subscriptions.save(subscription)
                await uow.commit()
            return subscription

    async def my_subscriptions(self, principal: Principal) -> list[tuple[Subscription, Plan]]:
        return await self._queries.subscriptions_of(principal.user_id)

    # -- one-time orders: tier purchases, tips, commissions --------------------------------------
    async def create_order(
        self,
        principal: Principal,
        *,
        kind: OrderKind,
        amount_minor: int | None = None,
        currency: str = "INR",
        creator_id: uuid.UUID | None = None,
        plan_id: uuid.UUID | None = None,
        reference: str = "",
        tipper_name: str = "",
        message: str = "",
    ) -> Checkout:
        if kind is OrderKind.ONE_TIME:
            async with self._uow() as uow:
                plan = await uow.plans.get(plan_id) if plan_id else None
            if plan is None or not plan.active:
                raise PlanNotFound()
            amount_minor, currency, creator_id = plan.amount_minor, plan.currency, plan.owner_id
        if kind is OrderKind.COMMISSION:
            # The commission sets the terms: its price, currency and creator, paid by its buyer, once.
            amount_minor, currency, creator_id = await self._commission_terms(
                principal, reference, amount_minor, currency, creator_id
            )
        if amount_minor is None:
            raise ValidationFailed("An amount is required.", errors=[FieldError("amount_minor", "is required")])
        currency = _check_money(amount_minor, currency)
        if kind in (OrderKind.TIP, OrderKind.COMMISSION) and creator_id is None:
            raise ValidationFailed("Say who receives it.", errors=[FieldError("creator_id", "is required")])
        if kind is OrderKind.TIP and creator_id is not None:
            # Checked before the gateway is called: a refused order must leave nothing behind anywhere.
            async with self._uow() as uow:
                if not await uow.parties.is_creator(creator_id):
                    raise CreatorNotFound("No creator with this id: payments go to creators only.")
        local_id = new_id()
        notes = {"type": kind.value, "order_id": str(local_id), "user_id": str(principal.user_id)}
        if creator_id:
            notes["creator_id"] = str(creator_id)
        gateway_id = await self._gateway.create_order(
            amount_minor=amount_minor, currency=currency, receipt=str(local_id), notes=notes
        )
        async with self._uow() as uow:
            await uow.orders.add(
                Order(
                    id=local_id,
                    user_id=principal.user_id,
                    kind=kind,
                    gateway_order_id=gateway_id,
                    amount_minor=amount_minor,
                    currency=currency,
                    creator_id=creator_id,
                    plan_id=plan_id,
                    reference=reference[:100],
                    tipper_name=tipper_name.strip()[:100],
                    message=message.strip()[:1000],
                    created_at=self._clock.now(),
                )
            )
            await uow.commit()
        return Checkout(gateway_id, self._gateway.public_key, amount_minor, currency, local_id)

    async def _commission_terms(
        self,
        principal: Principal,
        reference: str,
        amount_minor: int | None,
        currency: str,
        creator_id: uuid.UUID | None,
    ) -> tuple[int, str, uuid.UUID]:
        try:
            commission_id = uuid.UUID(reference)
        except ValueError:
            raise ValidationFailed(
                "A commission payment names its commission.",
                errors=[FieldError("reference", "must be a commission id")],
            ) from None
        async with self._uow() as uow:
            terms = await uow.parties.commission_terms(commission_id)
        if terms is None or terms.buyer_id != principal.user_id:
            raise CommissionNotFound("No commission of yours with this id.")
        if terms.paid:
            raise CommissionAlreadyPaid()
        if terms.status == "cancelled":
            raise CommissionCancelled("This commission was cancelled.")
        errors = []
        if amount_minor is not None and amount_minor != terms.price_minor:
            errors.append(FieldError("amount_minor", f"must be the commission's price, {terms.price_minor}"))
        if currency.upper() != terms.currency.upper():
            errors.append(FieldError("currency", f"must be the commission's currency, {terms.currency}"))
        if creator_id is not None and creator_id != terms.creator_id:
            errors.append(FieldError("creator_id", "must be the commission's creator"))
        if errors:
            raise CommissionTermsMismatch("The payment does not match the commission.", errors=errors)
        return terms.price_minor, terms.currency, terms.creator_id

    async def verify_order_payment(
        self, principal: Principal, *, gateway_order_id: str, payment_id: str, signature: str
    ) -> Order:
        if not self._gateway.verify_order_payment(
            order_id=gateway_order_id, payment_id=payment_id, signature=signature
        ):
            raise InvalidPaymentSignature()
        async with self._uow() as uow:
            order = await uow.orders.by_gateway_id(gateway_order_id, for_update=True)
            if order is None or order.user_id != principal.user_id:
                raise OrderNotFound()
            await self._ledger.credit_order(uow, order, payment_id, order.amount_minor, order.currency, "verify")
            await uow.commit()
            return order

    async def tips_received(self, creator_id: uuid.UUID, *, limit: int = 50) -> list[Order]:
        return await self._queries.tips_received(creator_id, limit=limit)

    # -- payout details --------------------------------------------------------------------------
    async def payout_account(self, principal: Principal) -> PayoutAccount | None:
        async with self._uow() as uow:
            return await uow.payout_accounts.get(principal.user_id)

    async def save_payout_account(
        self, principal: Principal, *, account_holder_name: str, bank_name: str, ifsc_code: str, account_number: str
    ) -> PayoutAccount:
        number = account_number.replace(" ", "")
        ifsc = ifsc_code.strip().upper()
        errors = []
        if not number.isdigit() or not 6 <= len(number) <= 20:
            errors.append(FieldError("account_number", "must be 6-20 digits"))
        if not re.fullmatch(r"[A-Z]{4}0[A-Z0-9]{6}", ifsc):
            errors.append(FieldError("ifsc_code", "is not a valid IFSC code"))
        if errors:
            raise ValidationFailed("The bank details are not valid.", errors=errors)
        account = PayoutAccount(
            user_id=principal.user_id,
            account_holder_name=account_holder_name.strip(),
            bank_name=bank_name.strip(),
            ifsc_code=ifsc,
            account_number=number,
            updated_at=self._clock.now(),
        )
        async with self._uow() as uow:
            await uow.payout_accounts.save(account)
            await uow.commit()
        return account

    async def delete_payout_account(self, principal: Principal) -> None:
        async with self._uow() as uow:
            await uow.payout_accounts.delete(principal.user_id)
            await uow.commit()
