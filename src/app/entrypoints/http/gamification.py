"""PromptCraft gamification: /api/gamification/*."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from app.domain.analytics.entities import MAX_DASHBOARD_DAYS
from app.domain.analytics.services import AnalyticsService
from app.domain.gamification.entities import ACHIEVEMENTS, Standing
from app.domain.gamification.services import GamificationService
from app.domain.kernel import Principal

TAGS = ["gamification"]


class EntryOut(msgspec.Struct):
    delta: int
    reason: str
    reference: str
    balance_after: int
    created_at: datetime | None


class AchievementOut(msgspec.Struct):
    code: str
    title: str
    unlocked_at: str


class StandingOut(msgspec.Struct):
    user_id: uuid.UUID
    username: str
    balance: Annotated[int, msgspec.Meta(description="Credits; AI runs cost 1, never below 0")]
    xp: int
    level: int
    rank: str
    ai_runs: int


class MeOut(msgspec.Struct):
    standing: StandingOut
    achievements: list[AchievementOut]
    recent_entries: list[EntryOut]


class LeaderboardOut(msgspec.Struct):
    items: list[StandingOut]


def standing_out(s: Standing) -> StandingOut:
    return msgspec.convert(s, StandingOut, from_attributes=True)


@get(
    "/me",
    summary="My credits, XP, level, rank and achievements",
    description="Every credit change is an entry; the balance is their sum.",
)
async def me(request: Request[Principal, Any, Any], gamification: NamedDependency[GamificationService]) -> MeOut:
    standing, entries, achievements = await gamification.standing(request.user)
    return MeOut(
        standing_out(standing),
        [AchievementOut(code, ACHIEVEMENTS.get(code, (code, 0))[0], at) for code, at in achievements],
        [EntryOut(e.delta, e.reason, e.reference, e.balance_after, e.created_at) for e in entries],
    )


@get(
    "/leaderboard",
    summary="Leaderboard by XP",
)
async def leaderboard(
    gamification: NamedDependency[GamificationService], limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20
) -> LeaderboardOut:
    return LeaderboardOut([standing_out(s) for s in await gamification.leaderboard(limit=limit)])


def create_router() -> Router:
    return Router(path="/api/gamification", tags=TAGS, route_handlers=[me, leaderboard])


class CountOut(msgspec.Struct):
    kind: str
    count: int


class DailyOut(msgspec.Struct):
    day: str
    kind: str
    count: int


class UserDashboardOut(msgspec.Struct):
    days: int
    totals: list[CountOut]
    daily: list[DailyOut]


class VersionRuns(msgspec.Struct):
    version: int
    runs: int


class TemplateDashboardOut(msgspec.Struct):
    days: int
    runs: int
    unique_users: int
    completed: int
    failed: int
    by_version: list[VersionRuns]


Days = Annotated[int, QueryParameter(ge=1, le=MAX_DASHBOARD_DAYS, description="Window in days")]


@get(
    "/me",
    summary="My usage",
    description="Generations, template runs and exports per day (UTC).",
)
async def my_usage(
    request: Request[Principal, Any, Any], analytics: NamedDependency[AnalyticsService], days: Days = 30
) -> UserDashboardOut:
    return msgspec.convert(await analytics.user_dashboard(request.user, days=days), UserDashboardOut)


@get(
    "/prompt-templates/{template_id:uuid}",
    summary="A template's usage (author only)",
)
async def template_usage(
    template_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    analytics: NamedDependency[AnalyticsService],
    days: Days = 30,
) -> TemplateDashboardOut:
    return msgspec.convert(
        await analytics.template_dashboard(request.user, template_id, days=days), TemplateDashboardOut
    )


def analytics_router() -> Router:
    return Router(path="/api/analytics", tags=["analytics"], route_handlers=[my_usage, template_usage])
