"""PromptCraft gamification: /api/gamification/*."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, get
from litestar.datastructures import State
from litestar.params import QueryParameter

from app.domain.accounts.entities import Principal
from app.domain.gamification.entities import ACHIEVEMENTS, Standing
from app.domain.gamification.services import GamificationService
from app.entrypoints.http.problems import problem_responses
from app.entrypoints.http.security import BEARER_SECURITY

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
    return StandingOut(s.user_id, s.username, s.balance, s.xp, s.level, s.rank, s.ai_runs)


def _service(state: State) -> GamificationService:
    return state.services.gamification


@get("/me", summary="My credits, XP, level, rank and achievements", description="Every credit change is an entry; the balance is their sum.", tags=TAGS, security=BEARER_SECURITY, responses=problem_responses(401))
async def me(request: Request[Principal, Any, Any], state: State) -> MeOut:
    standing, entries, achievements = await _service(state).standing(request.user)
    return MeOut(
        standing_out(standing),
        [AchievementOut(code, ACHIEVEMENTS.get(code, (code, 0))[0], at) for code, at in achievements],
        [EntryOut(e.delta, e.reason, e.reference, e.balance_after, e.created_at) for e in entries],
    )


@get("/leaderboard", summary="Leaderboard by XP", tags=TAGS, security=BEARER_SECURITY, responses=problem_responses(401))
async def leaderboard(state: State, limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20) -> LeaderboardOut:
    return LeaderboardOut([standing_out(s) for s in await _service(state).leaderboard(limit=limit)])


def create_router() -> Router:
    return Router(path="/api/gamification", route_handlers=[me, leaderboard])
