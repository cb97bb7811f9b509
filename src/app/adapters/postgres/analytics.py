"""Analytics in SQL: usage events for exports; generations and template runs are their own records."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.adapters.postgres.tables import UsageEventRow
from app.core.ids import new_id
from app.domain.analytics.entities import UsageKind

log = structlog.get_logger("analytics")


class PgUsageRecorder:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def record(self, kind: UsageKind, *, user_id: uuid.UUID, subject_id: uuid.UUID | None) -> None:
        try:
            async with self._sessions() as session, session.begin():
                session.add(UsageEventRow(id=new_id(), user_id=user_id, kind=kind.value, subject_id=subject_id))
        except Exception:  # analytics never breaks the action it describes
            log.exception("usage event not recorded", kind=kind)


USAGE = """
    SELECT 'generation' AS kind, user_id, created_at FROM generations
    UNION ALL SELECT 'template_run', user_id, created_at FROM prompt_runs
    UNION ALL SELECT kind, user_id, created_at FROM usage_events
"""


class PgAnalyticsQueries:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def _rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        async with self._sessions() as session:
            return [dict(r) for r in (await session.execute(text(sql), params)).mappings()]

    async def user_dashboard(self, user_id: uuid.UUID, *, days: int) -> dict[str, Any]:
        totals = await self._rows(
            f"SELECT kind, count(*) AS count FROM ({USAGE}) u"
            " WHERE user_id = :u AND created_at > now() - make_interval(days => :d)"
            " GROUP BY kind ORDER BY kind",
            u=user_id,
            d=days,
        )
        daily = await self._rows(
            "SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, kind,"
            f" count(*) AS count FROM ({USAGE}) u"
            " WHERE user_id = :u AND created_at > now() - make_interval(days => :d) GROUP BY 1, 2 ORDER BY 1, 2",
            u=user_id,
            d=days,
        )
        return {"days": days, "totals": totals, "daily": daily}

    async def template_dashboard(self, template_id: uuid.UUID, *, days: int) -> dict[str, Any]:
        (summary,) = await self._rows(
            """SELECT count(*) AS runs, count(DISTINCT user_id) AS unique_users,
                      count(*) FILTER (WHERE status = 'completed') AS completed,
                      count(*) FILTER (WHERE status = 'failed') AS failed
               FROM prompt_runs WHERE template_id = :t AND created_at > now() - make_interval(days => :d)""",
            t=template_id,
            d=days,
        )
        by_version = await self._rows(
            """SELECT version, count(*) AS runs FROM prompt_runs
               WHERE template_id = :t AND created_at > now() - make_interval(days => :d)
               GROUP BY version ORDER BY version""",
            t=template_id,
            d=days,
        )
        return {"days": days, **summary, "by_version": by_version}
