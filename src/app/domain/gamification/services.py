"""Credits, XP and achievements. AI requests debit credits inside their own transaction
through `charge_ai_run`, so a request is never recorded without being paid for (and vice versa)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from app.domain.gamification.entities import (
    ACHIEVEMENTS,
    AI_RUN_COST,
    WELCOME_BONUS,
    XP_PER_AI_RUN,
    CreditEntry,
    Standing,
)
from app.domain.gamification.errors import InsufficientCredits
from app.domain.gamification.ports import CreditsRepository, GamificationUnitOfWork
from app.domain.kernel import Principal


async def charge_ai_run(credits: CreditsRepository, user_id: uuid.UUID, *, reference: str) -> CreditEntry:
    """Debit one AI run (and award XP/achievements) in the caller's transaction."""
    await credits.ensure_account(user_id, welcome_bonus=WELCOME_BONUS)
    entry = await credits.apply(
        user_id, -AI_RUN_COST, reason="ai_run", reference=reference, xp=XP_PER_AI_RUN, ai_run=True
    )
    if entry is None:
        raise InsufficientCredits(f"An AI run costs {AI_RUN_COST} credit(s) and your balance is too low.")
    standing = await credits.standing(user_id)
    if standing is not None:
        await credits.unlock(user_id, [code for code, (_, runs) in ACHIEVEMENTS.items() if standing.ai_runs >= runs])
    return entry


class GamificationService:
    def __init__(self, *, uow: Callable[[], GamificationUnitOfWork]) -> None:
        self._uow = uow

    async def standing(self, principal: Principal) -> tuple[Standing, list[CreditEntry], list[tuple[str, str]]]:
        async with self._uow() as uow:
            await uow.credits.ensure_account(principal.user_id, welcome_bonus=WELCOME_BONUS)
            standing = await uow.credits.standing(principal.user_id)
            entries = await uow.credits.entries(principal.user_id, limit=50)
            achievements = await uow.credits.achievements(principal.user_id)
            await uow.commit()
        assert standing is not None
        return standing, entries, achievements

    async def grant(self, user_id: uuid.UUID, amount: int, *, reason: str, reference: str) -> CreditEntry | None:
        """Admin/system credit (promotions, refunds); idempotent on `reference`."""
        async with self._uow() as uow:
            await uow.credits.ensure_account(user_id, welcome_bonus=WELCOME_BONUS)
            entry = await uow.credits.apply(user_id, amount, reason=reason, reference=reference)
            await uow.commit()
            return entry

    async def leaderboard(self, *, limit: int = 20) -> list[Standing]:
        async with self._uow() as uow:
            return await uow.credits.leaderboard(limit=limit)
