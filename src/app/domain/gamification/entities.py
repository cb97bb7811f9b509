"""PromptCraft gamification: a credits ledger (never negative, every change an entry), XP, levels, ranks,
achievements."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime

WELCOME_BONUS = 100
AI_RUN_COST = 1
XP_PER_AI_RUN = 10

# The PromptCraft spec starts everyone as "Prompt Novice"; the later ranks follow its naming.
RANKS = [
    (1, "Prompt Novice"),
    (3, "Prompt Apprentice"),
    (5, "Prompt Adept"),
    (8, "Prompt Expert"),
    (12, "Prompt Master"),
]

# code -> (title, number of AI runs needed)
ACHIEVEMENTS = {
    "first_run": ("First spark", 1),
    "ten_runs": ("Getting the hang of it", 10),
    "fifty_runs": ("Prompt smith", 50),
}


def level_for(xp: int) -> int:
    """Level 1 at 0 XP; each level needs more: level n starts at 100 * (n - 1)^2 XP."""
    return int(math.isqrt(max(xp, 0) // 100)) + 1


def rank_for(level: int) -> str:
    name = RANKS[0][1]
    for minimum, title in RANKS:
        if level >= minimum:
            name = title
    return name


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditEntry:
    id: uuid.UUID
    user_id: uuid.UUID
    delta: int
    reason: str
    reference: str  # idempotency key: one entry per (user, reference)
    balance_after: int
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Standing:
    user_id: uuid.UUID
    username: str
    balance: int
    xp: int
    ai_runs: int

    @property
    def level(self) -> int:
        return level_for(self.xp)

    @property
    def rank(self) -> str:
        return rank_for(self.level)
