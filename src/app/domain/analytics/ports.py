"""Usage analytics (PromptCraft, AdVenture): events and dashboards."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from app.domain.analytics.entities import UsageKind


class UsageRecorder(Protocol):
    async def record(self, kind: UsageKind, *, user_id: uuid.UUID, subject_id: uuid.UUID | None) -> None:
        """Best effort: analytics must never fail the action they describe."""


class AnalyticsQueries(Protocol):
    async def user_dashboard(self, user_id: uuid.UUID, *, days: int) -> dict[str, Any]: ...

    async def template_dashboard(self, template_id: uuid.UUID, *, days: int) -> dict[str, Any]: ...
