"""Analytics rules: a template's dashboard is its author's alone; a member's dashboard is their own."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.domain.analytics.errors import TemplateNotFound
from app.domain.analytics.services import AnalyticsService
from app.domain.kernel import Principal
from app.domain.prompts.entities import PromptTemplate
from app.domain.prompts.errors import TemplateNotFound as PromptNotFound
from tests.unit.fakes import member


class FakeTemplates:
    """The one call analytics makes of PromptService: a template the viewer may see, or not found."""

    def __init__(self, *templates: PromptTemplate) -> None:
        self._by_id = {t.id: t for t in templates}

    async def get(self, principal: Principal, template_id: uuid.UUID) -> PromptTemplate:
        template = self._by_id.get(template_id)
        if template is None or not (template.is_public or template.owner_id == principal.user_id):
            raise PromptNotFound()
        return template


class FakeQueries:
    def __init__(self) -> None:
        self.asked: list[tuple[str, uuid.UUID, int]] = []

    async def user_dashboard(self, user_id: uuid.UUID, *, days: int) -> dict[str, Any]:
        self.asked.append(("user", user_id, days))
        return {"days": days}

    async def template_dashboard(self, template_id: uuid.UUID, *, days: int) -> dict[str, Any]:
        self.asked.append(("template", template_id, days))
        return {"days": days}


async def test_only_the_author_sees_a_templates_dashboard_even_when_it_is_public() -> None:
    author, reader = member(), member()
    public = PromptTemplate(id=uuid.uuid4(), owner_id=author.user_id, title="Ad", body="{{x}}", is_public=True)
    private = PromptTemplate(id=uuid.uuid4(), owner_id=author.user_id, title="Mine", body="{{x}}")
    queries = FakeQueries()
    analytics = AnalyticsService(queries=queries, prompts=FakeTemplates(public, private))  # type: ignore[arg-type]
    assert await analytics.template_dashboard(author, public.id, days=7) == {"days": 7}
    with pytest.raises(TemplateNotFound):
        await analytics.template_dashboard(reader, public.id, days=7)
    with pytest.raises(PromptNotFound):
        await analytics.template_dashboard(reader, private.id, days=7)
    assert queries.asked == [("template", public.id, 7)]


async def test_a_members_dashboard_is_their_own() -> None:
    someone = member()
    queries = FakeQueries()
    analytics = AnalyticsService(queries=queries, prompts=FakeTemplates())  # type: ignore[arg-type]
    await analytics.user_dashboard(someone, days=30)
    assert queries.asked == [("user", someone.user_id, 30)]
