"""Gamification rules: levels grow quadratically with XP and ranks follow levels."""

from __future__ import annotations

import uuid

from app.domain.gamification.entities import RANKS, Standing, level_for, rank_for


def test_levels_start_at_one_and_need_more_xp_each_time() -> None:
    assert [level_for(xp) for xp in (-5, 0, 99, 100, 399, 400, 900)] == [1, 1, 1, 2, 2, 3, 4]


def test_ranks_follow_the_level_thresholds() -> None:
    assert rank_for(1) == "Prompt Novice"
    for minimum, title in RANKS:
        assert rank_for(minimum) == title
    assert rank_for(100) == RANKS[-1][1]


def test_a_standing_derives_level_and_rank_from_xp() -> None:
    standing = Standing(user_id=uuid.uuid4(), username="ann", balance=0, xp=1600, ai_runs=160)
    assert (standing.level, standing.rank) == (5, "Prompt Adept")
