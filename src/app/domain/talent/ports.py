"""Ports of the talent module.

Commands go through one small repository per aggregate, inside a unit of work (one transaction);
lists, searches and the skills catalogue go through the read-only `TalentQueries`, outside any
transaction. A fake of the command side is a dictionary per aggregate."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from app.domain.kernel import Page, UnitOfWork
from app.domain.media.ports import UploadedFiles
from app.domain.talent.entities import Application, Experience, Job, Project


class ExperienceRepository(Protocol):
    async def add(self, item: Experience) -> None: ...

    async def get(self, user_id: uuid.UUID, item_id: uuid.UUID) -> Experience | None:
        """The user's own entry (locked for update), or None."""

    async def save(self, item: Experience) -> None: ...

    async def delete(self, user_id: uuid.UUID, item_id: uuid.UUID) -> bool: ...


class ProjectRepository(Protocol):
    async def add(self, project: Project) -> None: ...

    async def get(self, project_id: uuid.UUID, *, for_update: bool = False) -> Project | None: ...

    async def add_participant(self, project_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        """False if already a participant; keeps the project's participant_count."""

    async def remove_participant(self, project_id: uuid.UUID, user_id: uuid.UUID) -> bool: ...


class JobRepository(Protocol):
    async def add(self, job: Job) -> None: ...

    async def get(self, job_id: uuid.UUID) -> Job | None: ...


class ApplicationRepository(Protocol):
    async def add(self, application: Application) -> None:
        """Raises AlreadyApplied if the user already applied to this job."""

    async def get(self, application_id: uuid.UUID, *, for_update: bool = False) -> Application | None: ...

    async def save(self, application: Application) -> None: ...


class TalentUnitOfWork(UnitOfWork, Protocol):
    experiences: ExperienceRepository
    projects: ProjectRepository
    jobs: JobRepository
    applications: ApplicationRepository
    uploads: UploadedFiles


class TalentQueries(Protocol):
    """Read-only views: each call reads one consistent snapshot and changes nothing."""

    async def experiences_of(self, user_id: uuid.UUID) -> list[Experience]: ...

    async def search_projects(self, filters: dict[str, Any], *, page: int, page_size: int) -> Page[Project]: ...

    async def search_jobs(self, filters: dict[str, Any], *, page: int, page_size: int) -> Page[Job]: ...

    async def applications_for_job(self, job_id: uuid.UUID) -> list[Application]: ...

    async def applications_of(self, user_id: uuid.UUID) -> list[Application]: ...

    async def skills_catalogue(self, *, query: str | None, limit: int) -> list[tuple[str, int, int, int]]:
        """(skill, members, jobs, projects) counts, most used first."""
