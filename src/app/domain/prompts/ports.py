from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol

from app.domain.gamification.ports import CreditsRepository
from app.domain.generation.ports import AiUsage
from app.domain.kernel import Page, UnitOfWork
from app.domain.prompts.entities import PromptRun, PromptTemplate, RatingSummary, TemplateVersion


class PromptTemplateRepository(Protocol):
    async def add(self, template: PromptTemplate) -> None: ...

    async def get(self, template_id: uuid.UUID, *, for_update: bool = False) -> PromptTemplate | None: ...

    async def update(self, template: PromptTemplate) -> None: ...

    async def delete(self, template_id: uuid.UUID) -> None: ...

    async def add_version(self, version: TemplateVersion) -> None: ...

    async def versions(self, template_id: uuid.UUID) -> list[TemplateVersion]:
        """Newest first."""

    async def get_version(self, template_id: uuid.UUID, version: int) -> TemplateVersion | None: ...


class PromptRunRepository(Protocol):
    async def add(self, run: PromptRun) -> None: ...

    async def get(self, run_id: uuid.UUID, *, for_update: bool = False) -> PromptRun | None: ...

    async def update(self, run: PromptRun) -> None: ...


class Favourites(Protocol):
    async def add(self, user_id: uuid.UUID, template_id: uuid.UUID) -> bool:
        """False when it was a favourite already."""

    async def remove(self, user_id: uuid.UUID, template_id: uuid.UUID) -> bool: ...

    async def of_user(self, user_id: uuid.UUID, *, page: int, page_size: int) -> Page[PromptTemplate]:
        """The user's favourites they can still see (public or their own), most recently added first."""


class Ratings(Protocol):
    async def put(self, user_id: uuid.UUID, template_id: uuid.UUID, stars: int) -> None:
        """Rate, or change one's rating (one per user and template)."""

    async def summary(self, template_id: uuid.UUID, viewer_id: uuid.UUID) -> RatingSummary: ...


class PromptsUnitOfWork(UnitOfWork, Protocol):
    templates: PromptTemplateRepository
    runs: PromptRunRepository
    usage: AiUsage
    credits: CreditsRepository
    favourites: Favourites
    ratings: Ratings


PromptsUnitOfWorkFactory = Callable[[], PromptsUnitOfWork]


class PromptQueries(Protocol):
    """The read side: lists and searches, outside any unit of work."""

    async def search(
        self, *, viewer_id: uuid.UUID, query: str | None, category: str | None, mine: bool, page: int, page_size: int
    ) -> Page[PromptTemplate]:
        """Public templates and the viewer's own; newest first."""
