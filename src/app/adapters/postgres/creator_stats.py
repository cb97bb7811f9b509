"""Postgres implementation of the creators' dashboards (earnings, subscribers, tips) and members' spending."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.creator_access import tier_holders
from app.adapters.postgres.tables import (
    PlanRow,
)


class PgStatsRepository:
    """Dashboards straight from SQL aggregates (no Python loops over rows)."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _rows(self, sql: str, **params: Any) -> list[Any]:
        return list((await self._s.execute(text(sql), params)).mappings())

    async def creator_stats(self, creator_id: uuid.UUID) -> dict[str, Any]:
        holders = tier_holders()
        # People, not subscriptions: someone holding a tier twice (renewal overlap, a purchase) counts once.
        tiers = list(
            (
                await self._s.execute(
                    select(
                        PlanRow.id.label("tier_id"),
                        PlanRow.name,
                        func.count(func.distinct(holders.c.user_id)).label("subscribers"),
                    )
                    .select_from(PlanRow)
                    .outerjoin(holders, holders.c.plan_id == PlanRow.id)
                    .where(PlanRow.owner_id == creator_id)
                    .group_by(PlanRow.id, PlanRow.name)
                    .order_by(PlanRow.name)
                )
            ).mappings()
        )
        revenue = await self._rows(
            """SELECT to_char(date_trunc('month', created_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, currency,
                      sum(amount_minor)::bigint AS amount_minor, count(*) AS payments
               FROM billing_ledger WHERE creator_id = :c GROUP BY 1, 2 ORDER BY 1, 2""",
            c=creator_id,
        )
        tips = await self._rows(
            """SELECT currency, count(*) AS count, sum(amount_minor)::bigint AS amount_minor
               FROM billing_ledger WHERE creator_id = :c AND kind = 'tip' GROUP BY currency ORDER BY currency""",
            c=creator_id,
        )
        (counts,) = await self._rows(
            """SELECT (SELECT count(*) FROM follows WHERE creator_id = :c) AS followers,
                      (SELECT count(*) FROM posts WHERE creator_id = :c) AS posts""",
            c=creator_id,
        )
        return {
            "subscribers_per_tier": [dict(r) for r in tiers],
            "revenue_by_month": [dict(r) for r in revenue],
            "tips": [dict(r) for r in tips],
            "followers": counts["followers"],
            "posts": counts["posts"],
        }

    async def user_stats(self, user_id: uuid.UUID) -> dict[str, Any]:
        (row,) = await self._rows(
            """SELECT (SELECT count(*) FROM follows WHERE follower_id = :u) AS following,
                      (SELECT count(*) FROM post_likes WHERE user_id = :u) AS likes_given""",
            u=user_id,
        )
        holders = tier_holders()
        tiers_held = (
            await self._s.execute(
                select(func.count(func.distinct(holders.c.plan_id))).where(holders.c.user_id == user_id)
            )
        ).scalar_one()
        spent = await self._rows(
            """SELECT currency, sum(amount_minor)::bigint AS amount_minor FROM billing_ledger
               WHERE user_id = :u GROUP BY currency ORDER BY currency""",
            u=user_id,
        )
        return {**dict(row), "active_subscriptions": tiers_held, "spent": [dict(r) for r in spent]}
