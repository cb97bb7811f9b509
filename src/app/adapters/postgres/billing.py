"""Postgres implementation of the billing ports: one small repository per aggregate in the unit of work,
and the read-only `PgBillingQueries`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.adapters.postgres.creator_access import LIVE_SUBSCRIPTION, commission_paid
from app.adapters.postgres.tables import (
    AdViewRow,
    CommissionRow,
    CreatorProfileRow,
    LedgerRow,
    OrderRow,
    PayoutAccountRow,
    PlanRow,
    SubscriptionRow,
    WebhookEventRow,
)
from app.adapters.postgres.unit_of_work import PgQueries, PgUnitOfWork
from app.adapters.security.encryption import FernetCipher
from app.domain.billing.entities import (
    AdView,
    CommissionTerms,
    Interval,
    LedgerEntry,
    Order,
    OrderKind,
    OrderStatus,
    PayoutAccount,
    Plan,
    Subscription,
    SubscriptionStatus,
)

_PLAN = (
    "owner_id",
    "name",
    "description",
    "benefits",
    "amount_minor",
    "currency",
    "gateway_plan_id",
    "active",
    "created_at",
)
_SUB = (
    "user_id",
    "plan_id",
    "gateway_subscription_id",
    "cancel_at_cycle_end",
    "last_event_at",
    "created_at",
    "updated_at",
)
_ORDER = (
    "user_id",
    "gateway_order_id",
    "amount_minor",
    "currency",
    "creator_id",
    "plan_id",
    "reference",
    "tipper_name",
    "message",
    "created_at",
    "paid_at",
)


def _plan(r: PlanRow) -> Plan:
    return Plan(id=r.id, interval=Interval(r.interval), **{f: getattr(r, f) for f in _PLAN})


def _sub(r: SubscriptionRow) -> Subscription:
    return Subscription(id=r.id, status=SubscriptionStatus(r.status), **{f: getattr(r, f) for f in _SUB})


def _order(r: OrderRow) -> Order:
    return Order(id=r.id, kind=OrderKind(r.kind), status=OrderStatus(r.status), **{f: getattr(r, f) for f in _ORDER})


class PgPlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, plan: Plan) -> None:
        self._s.add(PlanRow(id=plan.id, interval=plan.interval.value, **{f: getattr(plan, f) for f in _PLAN}))
        await self._s.flush()

    async def get(self, plan_id: uuid.UUID, *, for_update: bool = False) -> Plan | None:
        row = await self._s.get(PlanRow, plan_id, with_for_update=for_update or None)
        return _plan(row) if row else None


class PgSubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def open_for(self, user_id: uuid.UUID, plan_id: uuid.UUID) -> Subscription | None:
        stmt = (
            select(SubscriptionRow)
            .where(
                SubscriptionRow.user_id == user_id,
                SubscriptionRow.plan_id == plan_id,
                SubscriptionRow.status.in_(("created", *LIVE_SUBSCRIPTION)),
            )
            .limit(1)
        )
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return _sub(row) if row else None

    async def add(self, subscription: Subscription) -> None:
        self._s.add(
            SubscriptionRow(
                id=subscription.id, status=subscription.status.value, **{f: getattr(subscription, f) for f in _SUB}
            )
        )
        await self._s.flush()

    async def _one(self, condition: Any, for_update: bool) -> Subscription | None:
        stmt = select(SubscriptionRow).where(condition)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return _sub(row) if row else None

    async def get(self, subscription_id: uuid.UUID, *, for_update: bool = False) -> Subscription | None:
        return await self._one(SubscriptionRow.id == subscription_id, for_update)

    async def by_gateway_id(self, gateway_id: str, *, for_update: bool = False) -> Subscription | None:
        return await self._one(SubscriptionRow.gateway_subscription_id == gateway_id, for_update)

    async def save(self, subscription: Subscription) -> None:
        await self._s.execute(
            update(SubscriptionRow)
            .where(SubscriptionRow.id == subscription.id)
            .values(
                status=subscription.status.value,
                cancel_at_cycle_end=subscription.cancel_at_cycle_end,
                last_event_at=subscription.last_event_at,
                updated_at=subscription.updated_at,
            )
        )


class PgOrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, order: Order) -> None:
        self._s.add(
            OrderRow(
                id=order.id, kind=order.kind.value, status=order.status.value, **{f: getattr(order, f) for f in _ORDER}
            )
        )
        await self._s.flush()

    async def by_gateway_id(self, gateway_id: str, *, for_update: bool = False) -> Order | None:
        stmt = select(OrderRow).where(OrderRow.gateway_order_id == gateway_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return _order(row) if row else None

    async def save(self, order: Order) -> None:
        await self._s.execute(
            update(OrderRow).where(OrderRow.id == order.id).values(status=order.status.value, paid_at=order.paid_at)
        )


class PgLedger:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def credit(self, entry: LedgerEntry) -> bool:
        result = await self._s.execute(
            insert(LedgerRow)
            .values(
                id=entry.id,
                gateway_payment_id=entry.gateway_payment_id,
                kind=entry.kind,
                user_id=entry.user_id,
                creator_id=entry.creator_id,
                amount_minor=entry.amount_minor,
                currency=entry.currency,
                source=entry.source,
                order_id=entry.order_id,
                subscription_id=entry.subscription_id,
                created_at=entry.created_at,
            )
            .on_conflict_do_nothing(index_elements=["gateway_payment_id"])
        )
        return bool(result.rowcount)

    async def for_payment(self, gateway_payment_id: str) -> LedgerEntry | None:
        row = (
            await self._s.execute(select(LedgerRow).where(LedgerRow.gateway_payment_id == gateway_payment_id))
        ).scalar_one_or_none()
        if row is None:
            return None
        return LedgerEntry(
            id=row.id,
            gateway_payment_id=row.gateway_payment_id,
            kind=row.kind,
            user_id=row.user_id,
            creator_id=row.creator_id,
            amount_minor=row.amount_minor,
            currency=row.currency,
            source=row.source,
            order_id=row.order_id,
            subscription_id=row.subscription_id,
            created_at=row.created_at,
        )


class PgPayoutAccounts:
    def __init__(self, session: AsyncSession, cipher: FernetCipher) -> None:
        self._s = session
        self._cipher = cipher

    async def get(self, user_id: uuid.UUID) -> PayoutAccount | None:
        row = await self._s.get(PayoutAccountRow, user_id)
        if row is None:
            return None
        return PayoutAccount(
            user_id=row.user_id,
            account_holder_name=row.account_holder_name,
            bank_name=row.bank_name,
            ifsc_code=row.ifsc_code,
            account_number=self._cipher.decrypt(row.account_number_encrypted),
            updated_at=row.updated_at,
        )

    async def save(self, account: PayoutAccount) -> None:
        values = {
            "account_holder_name": account.account_holder_name,
            "bank_name": account.bank_name,
            "ifsc_code": account.ifsc_code,
            "account_number_encrypted": self._cipher.encrypt(account.account_number),
            "updated_at": account.updated_at,
        }
        await self._s.execute(
            insert(PayoutAccountRow)
            .values(user_id=account.user_id, **values)
            .on_conflict_do_update(index_elements=["user_id"], set_=values)
        )

    async def delete(self, user_id: uuid.UUID) -> bool:
        return bool(
            (await self._s.execute(delete(PayoutAccountRow).where(PayoutAccountRow.user_id == user_id))).rowcount
        )


class PgAdViewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, view: AdView) -> None:
        self._s.add(AdViewRow(id=view.id, user_id=view.user_id, started_at=view.started_at))
        await self._s.flush()

    async def get(self, view_id: uuid.UUID, *, for_update: bool = False) -> AdView | None:
        stmt = select(AdViewRow).where(AdViewRow.id == view_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return (
            AdView(id=row.id, user_id=row.user_id, started_at=row.started_at, completed_at=row.completed_at)
            if row
            else None
        )

    async def save(self, view: AdView) -> None:
        await self._s.execute(update(AdViewRow).where(AdViewRow.id == view.id).values(completed_at=view.completed_at))

    async def latest_completed(self, user_id: uuid.UUID) -> datetime | None:
        stmt = select(func.max(AdViewRow.completed_at)).where(AdViewRow.user_id == user_id)
        return (await self._s.execute(stmt)).scalar_one()

    async def completed_since(self, user_id: uuid.UUID, since: datetime) -> bool:
        stmt = (
            select(func.count())
            .select_from(AdViewRow)
            .where(AdViewRow.user_id == user_id, AdViewRow.completed_at >= since)
        )
        return bool((await self._s.execute(stmt)).scalar_one())


class PgWebhookEvents:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def record(self, event_id: str, event: str, payload: dict[str, Any]) -> bool:
        result = await self._s.execute(
            insert(WebhookEventRow)
            .values(event_id=event_id[:100], event=event[:64], payload=payload)
            .on_conflict_do_nothing()
        )
        return bool(result.rowcount)


class PgBillingParties:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def commission_terms(self, commission_id: uuid.UUID) -> CommissionTerms | None:
        stmt = select(CommissionRow, commission_paid().label("paid")).where(CommissionRow.id == commission_id)
        row = (await self._s.execute(stmt)).first()
        if row is None:
            return None
        c, paid = row
        return CommissionTerms(
            buyer_id=c.buyer_id,
            creator_id=c.creator_id,
            price_minor=c.price_minor,
            currency=c.currency,
            status=c.status,
            paid=bool(paid),
        )

    async def is_creator(self, user_id: uuid.UUID) -> bool:
        stmt = select(CreatorProfileRow.user_id).where(CreatorProfileRow.user_id == user_id)
        return (await self._s.execute(stmt)).first() is not None

    async def has_active_platform_subscription(self, user_id: uuid.UUID) -> bool:
        stmt = (
            select(func.count())
            .select_from(SubscriptionRow)
            .join(PlanRow, PlanRow.id == SubscriptionRow.plan_id)
            .where(
                SubscriptionRow.user_id == user_id,
                PlanRow.owner_id.is_(None),
                SubscriptionRow.status.in_(["active", "authenticated", "pending"]),
            )
        )
        return bool((await self._s.execute(stmt)).scalar_one())


class PgBillingQueries(PgQueries):
    """Lists and reconciliation reads: read-only snapshots, outside any unit of work."""

    async def plans(self, *, owner_id: uuid.UUID | None, platform: bool) -> list[Plan]:
        async with self._read() as s:
            condition = PlanRow.owner_id.is_(None) if platform else PlanRow.owner_id == owner_id
            rows = await s.execute(
                select(PlanRow).where(condition, PlanRow.active.is_(True)).order_by(PlanRow.amount_minor)
            )
            return [_plan(r) for r in rows.scalars()]

    async def subscriptions_of(self, user_id: uuid.UUID) -> list[tuple[Subscription, Plan]]:
        async with self._read() as s:
            rows = await s.execute(
                select(SubscriptionRow, PlanRow)
                .join(PlanRow, PlanRow.id == SubscriptionRow.plan_id)
                .where(SubscriptionRow.user_id == user_id)
                .order_by(SubscriptionRow.created_at.desc())
            )
            return [(_sub(s), _plan(p)) for s, p in rows]

    async def unpaid_orders(self, *, created_before: datetime, created_after: datetime, limit: int) -> list[Order]:
        async with self._read() as s:
            rows = await s.execute(
                select(OrderRow)
                .where(
                    OrderRow.status == "created",
                    OrderRow.created_at < created_before,
                    OrderRow.created_at > created_after,
                )
                .order_by(OrderRow.created_at)
                .limit(limit)
            )
            return [_order(r) for r in rows.scalars()]

    async def tips_received(self, creator_id: uuid.UUID, *, limit: int) -> list[Order]:
        async with self._read() as s:
            rows = await s.execute(
                select(OrderRow)
                .where(
                    OrderRow.creator_id == creator_id, OrderRow.kind == OrderKind.TIP.value, OrderRow.status == "paid"
                )
                .order_by(OrderRow.paid_at.desc())
                .limit(limit)
            )
            return [_order(r) for r in rows.scalars()]


class PgBillingUnitOfWork(PgUnitOfWork):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], cipher: FernetCipher) -> None:
        super().__init__(session_factory)
        self._cipher = cipher

    def _bind(self, session: AsyncSession) -> None:
        self.plans = PgPlanRepository(session)
        self.subscriptions = PgSubscriptionRepository(session)
        self.orders = PgOrderRepository(session)
        self.ledger = PgLedger(session)
        self.payout_accounts = PgPayoutAccounts(session, self._cipher)
        self.ad_views = PgAdViewRepository(session)
        self.webhook_events = PgWebhookEvents(session)
        self.parties = PgBillingParties(session)
