"""Ports of the talent module."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from app.domain.accounts.entities import Page
from app.domain.talent.entities import (
    Application,
    Experience,
    Job,
    Project,
)


class TalentRepository(Protocol):
    async def add_experience(self, item: Experience) -> None: ...

    async def experiences(self, user_id: uuid.UUID) -> list[Experience]: ...

    async def delete_experience(self, user_id: uuid.UUID, item_id: uuid.UUID) -> bool: ...

    async def get_experience(self, user_id: uuid.UUID, item_id: uuid.UUID) -> Experience | None:
        """The user's own entry (locked for update), or None."""

    async def save_experience(self, item: Experience) -> None: ...

    async def add_project(self, project: Project) -> None: ...

    async def get_project(self, project_id: uuid.UUID, *, for_update: bool = False) -> Project | None: ...

    async def search_projects(self, filters: dict[str, Any], *, page: int, page_size: int) -> Page[Project]: ...

    async def add_participant(self, project_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        """False if already a participant."""

    async def remove_participant(self, project_id: uuid.UUID, user_id: uuid.UUID) -> bool: ...

    async def add_job(self, job: Job) -> None: ...

    async def get_job(self, job_id: uuid.UUID) -> Job | None: ...

    async def search_jobs(self, filters: dict[str, Any], *, page: int, page_size: int) -> Page[Job]: ...

    async def add_application(self, application: Application) -> None:
        """Raises Conflict if the user already applied."""

    async def get_application(self, application_id: uuid.UUID, *, for_update: bool = False) -> Application | None: ...

    async def update_application(self, application: Application) -> None: ...

    async def applications_for_job(self, job_id: uuid.UUID) -> list[Application]: ...

    async def applications_of(self, user_id: uuid.UUID) -> list[Application]: ...

    async def media_owner(self, media_id: uuid.UUID) -> tuple[uuid.UUID, bool] | None:
        """(owner, is_public) of a ready upload, or None."""

    async def skills_catalogue(self, *, query: str | None, limit: int) -> list[tuple[str, int, int, int]]:
        """(skill, members, jobs, projects) counts, most used first."""


class TalentUnitOfWork(Protocol):
    talent: TalentRepository

    async def __aenter__(self) -> TalentUnitOfWork: ...

    async def __aexit__(self, *exc_info: object) -> None: ...

    async def commit(self) -> None: ...
