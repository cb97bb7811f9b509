"""In-memory fakes of the talent ports: one dictionary per aggregate."""

from __future__ import annotations

import uuid
from typing import Any

from app.domain.kernel import Page
from app.domain.talent.entities import Application, Experience, Job, Project
from app.domain.talent.errors import AlreadyApplied
from tests.unit.fakes import MemoryDatabase, MemoryUnitOfWork, Table, page_of

TABLES = ("experiences", "projects", "participants", "jobs", "applications", "uploads")


class _Experiences(Table):
    async def add(self, item: Experience) -> None:
        self.store(item.id, item)

    async def get(self, user_id: uuid.UUID, item_id: uuid.UUID) -> Experience | None:
        item: Experience | None = self.load(item_id)
        return item if item and item.user_id == user_id else None

    async def save(self, item: Experience) -> None:
        self.store(item.id, item)

    async def delete(self, user_id: uuid.UUID, item_id: uuid.UUID) -> bool:
        item = self.rows.get(item_id)
        if item is None or item.user_id != user_id:
            return False
        del self.rows[item_id]
        return True


class _Projects(Table):
    def __init__(self, rows: dict[Any, Any], participants: dict[Any, Any]) -> None:
        super().__init__(rows)
        self.participants = participants

    async def add(self, project: Project) -> None:
        self.store(project.id, project)

    async def get(self, project_id: uuid.UUID, *, for_update: bool = False) -> Project | None:
        return self.load(project_id)

    async def add_participant(self, project_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        if (project_id, user_id) in self.participants:
            return False
        self.participants[(project_id, user_id)] = True
        self.rows[project_id].participant_count += 1
        return True

    async def remove_participant(self, project_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        if self.participants.pop((project_id, user_id), None) is None:
            return False
        self.rows[project_id].participant_count -= 1
        return True


class _Jobs(Table):
    async def add(self, job: Job) -> None:
        self.store(job.id, job)

    async def get(self, job_id: uuid.UUID) -> Job | None:
        return self.load(job_id)


class _Applications(Table):
    async def add(self, application: Application) -> None:
        if any(a.job_id == application.job_id and a.applicant_id == application.applicant_id for a in self.all()):
            raise AlreadyApplied("You already applied to this job.")
        self.store(application.id, application)

    async def get(self, application_id: uuid.UUID, *, for_update: bool = False) -> Application | None:
        return self.load(application_id)

    async def save(self, application: Application) -> None:
        self.store(application.id, application)


class _Uploads(Table):
    async def owner_of(self, media_id: uuid.UUID) -> tuple[uuid.UUID, bool] | None:
        return self.load(media_id)


class MemoryTalentUnitOfWork(MemoryUnitOfWork):
    def _bind(self, tables: dict[str, dict[Any, Any]]) -> None:
        self.experiences = _Experiences(tables["experiences"])
        self.projects = _Projects(tables["projects"], tables["participants"])
        self.jobs = _Jobs(tables["jobs"])
        self.applications = _Applications(tables["applications"])
        self.uploads = _Uploads(tables["uploads"])


class MemoryTalentQueries:
    """Reads the committed tables only, as a read-only snapshot would."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    def _all(self, table: str) -> list[Any]:
        return Table(self._db.tables[table]).all()

    async def experiences_of(self, user_id: uuid.UUID) -> list[Experience]:
        items = [e for e in self._all("experiences") if e.user_id == user_id]
        return sorted(items, key=lambda e: e.start_date, reverse=True)

    async def search_projects(self, filters: dict[str, Any], *, page: int, page_size: int) -> Page[Project]:
        items = [p for p in self._all("projects") if not filters.get("q") or filters["q"].lower() in p.title.lower()]
        return page_of(items, page, page_size)

    async def search_jobs(self, filters: dict[str, Any], *, page: int, page_size: int) -> Page[Job]:
        return page_of([j for j in self._all("jobs") if j.open], page, page_size)

    async def applications_for_job(self, job_id: uuid.UUID) -> list[Application]:
        return [a for a in self._all("applications") if a.job_id == job_id]

    async def applications_of(self, user_id: uuid.UUID) -> list[Application]:
        return [a for a in self._all("applications") if a.applicant_id == user_id]

    async def skills_catalogue(self, *, query: str | None, limit: int) -> list[tuple[str, int, int, int]]:
        return []


def talent_database() -> MemoryDatabase:
    return MemoryDatabase(*TABLES)
