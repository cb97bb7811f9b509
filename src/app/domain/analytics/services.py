"""Dashboards over what users did: generations, template runs, exports (SQL aggregates)."""

from __future__ import annotations

import uuid
from typing import Any

from app.domain.analytics.errors import TemplateNotFound
from app.domain.analytics.ports import AnalyticsQueries
from app.domain.kernel import Principal
from app.domain.prompts.services import PromptService


class AnalyticsService:
    def __init__(self, *, queries: AnalyticsQueries, prompts: PromptService) -> None:
        self._queries = queries
        self._prompts = prompts

    async def user_dashboard(self, principal: Principal, *, days: int) -> dict[str, Any]:
        return await self._queries.user_dashboard(principal.user_id, days=days)

    async def template_dashboard(self, principal: Principal, template_id: uuid.UUID, *, days: int) -> dict[str, Any]:
        template = await self._prompts.get(principal, template_id)
        if template.owner_id != principal.user_id:
            raise TemplateNotFound("Prompt template not found.")  # stats are the author's
        return await self._queries.template_dashboard(template_id, days=days)
