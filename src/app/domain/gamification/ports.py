from __future__ import annotations

import uuid
from typing import Protocol

from app.domain.gamification.entities import CreditEntry, Standing
from app.domain.kernel import UnitOfWork


class CreditsRepository(Protocol):
    """Lives in the caller's transaction, so a debit and the work it pays for commit together."""

    async def ensure_account(self, user_id: uuid.UUID, *, welcome_bonus: int) -> None:
        """Create the balance with its welcome entry once (idempotent)."""

    async def apply(
        self, user_id: uuid.UUID, delta: int, *, reason: str, reference: str, xp: int = 0, ai_run: bool = False
    ) -> CreditEntry | None:
        """Atomically change the balance and record the entry; None if it would go negative."""

    async def standing(self, user_id: uuid.UUID) -> Standing | None: ...

    async def entries(self, user_id: uuid.UUID, *, limit: int) -> list[CreditEntry]: ...

    async def unlock(self, user_id: uuid.UUID, codes: list[str]) -> list[str]:
        """Record achievements; returns the newly unlocked codes."""

    async def achievements(self, user_id: uuid.UUID) -> list[tuple[str, str]]:
        """(code, unlocked_at iso)"""

    async def leaderboard(self, *, limit: int) -> list[Standing]: ...


class GamificationUnitOfWork(UnitOfWork, Protocol):
    credits: CreditsRepository
