"""Who may read what in Oasis, in SQL: the holders of a tier (live subscriptions, and one-time purchases
still in their period) and whether a commission is paid. Shared by the creators and billing adapters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, exists, func, literal, select, text, union

from app.adapters.postgres.tables import (
    CommissionRow,
    OrderRow,
    PlanRow,
    SubscriptionRow,
)

LIVE_SUBSCRIPTION = ("active", "authenticated", "pending")
ONE_TIME_ACCESS = {"monthly": "1 month", "yearly": "1 year"}


def tier_holders() -> Any:
    """(user_id, plan_id) of everyone who holds a tier now: a live subscription, or a tier bought once
    and paid within its billing period. The one definition gating, feeds and dashboards share."""
    subscribed = select(SubscriptionRow.user_id.label("user_id"), SubscriptionRow.plan_id.label("plan_id")).where(
        SubscriptionRow.status.in_(LIVE_SUBSCRIPTION)
    )
    period = case(
        *((PlanRow.interval == k, text(f"interval '{v}'")) for k, v in ONE_TIME_ACCESS.items()),
        else_=text("interval '1 month'"),
    )
    bought = (
        select(OrderRow.user_id.label("user_id"), OrderRow.plan_id.label("plan_id"))
        .join(PlanRow, PlanRow.id == OrderRow.plan_id)
        .where(OrderRow.kind == "one_time", OrderRow.status == "paid", OrderRow.paid_at > func.now() - period)
    )
    return union(subscribed, bought).subquery("tier_holders")


def commission_paid() -> Any:
    """Whether a commission is paid: one paid order by its buyer, for its price and currency. The single
    definition every read path (commission pages, billing, deletable) uses."""
    return exists(
        select(literal(1))
        .select_from(OrderRow)
        .where(
            OrderRow.kind == "commission",
            OrderRow.reference == func.cast(CommissionRow.id, OrderRow.reference.type),
            OrderRow.status == "paid",
            OrderRow.user_id == CommissionRow.buyer_id,
            OrderRow.amount_minor == CommissionRow.price_minor,
            OrderRow.currency == CommissionRow.currency,
        )
    )
