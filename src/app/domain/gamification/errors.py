"""Errors of the gamification module."""

from __future__ import annotations

from app.core.errors import AppError


class InsufficientCredits(AppError):
    status = 402
    code = "insufficient-credits"
    title = "Not enough credits"
