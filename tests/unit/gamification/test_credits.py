"""The credits ledger: a balance never goes negative, each reference counts once, every AI run is paid
for with XP and achievements following the count of runs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from app.domain.gamification.entities import AI_RUN_COST, WELCOME_BONUS, CreditEntry, Standing
from app.domain.gamification.errors import InsufficientCredits
from app.domain.gamification.services import charge_ai_run


class MemoryCredits:
    """The CreditsRepository port over dictionaries, with the adapter's two guarantees."""

    def __init__(self) -> None:
        self.accounts: dict[uuid.UUID, dict[str, int]] = {}
        self.entries: dict[tuple[uuid.UUID, str], CreditEntry] = {}
        self.unlocked: dict[uuid.UUID, set[str]] = {}

    async def ensure_account(self, user_id: uuid.UUID, *, welcome_bonus: int) -> None:
        if user_id not in self.accounts:
            self.accounts[user_id] = {"balance": 0, "xp": 0, "runs": 0}
            await self.apply(user_id, welcome_bonus, reason="welcome", reference="welcome")

    async def apply(
        self, user_id: uuid.UUID, delta: int, *, reason: str, reference: str, xp: int = 0, ai_run: bool = False
    ) -> CreditEntry | None:
        if (user_id, reference) in self.entries:
            return self.entries[(user_id, reference)]
        account = self.accounts[user_id]
        if account["balance"] + delta < 0:
            return None
        account["balance"] += delta
        account["xp"] += xp
        account["runs"] += 1 if ai_run else 0
        entry = CreditEntry(
            id=uuid.uuid4(),
            user_id=user_id,
            delta=delta,
            reason=reason,
            reference=reference,
            balance_after=account["balance"],
            created_at=datetime.now(UTC),
        )
        self.entries[(user_id, reference)] = entry
        return entry

    async def standing(self, user_id: uuid.UUID) -> Standing | None:
        a = self.accounts.get(user_id)
        return (
            Standing(user_id=user_id, username="u", balance=a["balance"], xp=a["xp"], ai_runs=a["runs"]) if a else None
        )

    async def unlock(self, user_id: uuid.UUID, codes: list[str]) -> list[str]:
        mine = self.unlocked.setdefault(user_id, set())
        new = [c for c in codes if c not in mine]
        mine.update(new)
        return new


async def test_runs_are_paid_once_per_reference_and_never_below_zero() -> None:
    credits, user = MemoryCredits(), uuid.uuid4()
    first = await charge_ai_run(credits, user, reference="run-1")
    assert first.balance_after == WELCOME_BONUS - AI_RUN_COST
    again = await charge_ai_run(credits, user, reference="run-1")  # a retried job
    assert again == first and credits.accounts[user]["runs"] == 1
    for n in range(2, WELCOME_BONUS // AI_RUN_COST + 1):
        await charge_ai_run(credits, user, reference=f"run-{n}")
    assert credits.accounts[user]["balance"] == 0
    with pytest.raises(InsufficientCredits):
        await charge_ai_run(credits, user, reference="one-too-many")
    assert credits.accounts[user]["balance"] == 0


async def test_achievements_follow_the_number_of_runs() -> None:
    credits, user = MemoryCredits(), uuid.uuid4()
    await charge_ai_run(credits, user, reference="a")
    assert credits.unlocked[user] == {"first_run"}
    for n in range(9):
        await charge_ai_run(credits, user, reference=f"b{n}")
    assert credits.unlocked[user] == {"first_run", "ten_runs"}
