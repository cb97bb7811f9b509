"""Postgres implementation of the talent board."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from sqlalchemy import BigInteger, String, bindparam, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.database import escape_like
from app.adapters.postgres.media import PgUploadedFiles
from app.adapters.postgres.tables import (
    ApplicationRow,
    ExperienceRow,
    JobRow,
    ProjectParticipantRow,
    ProjectRow,
)
from app.adapters.postgres.unit_of_work import PgQueries, PgUnitOfWork, columns_of, fetch_page, page_reads
from app.domain.kernel import Page
from app.domain.talent.entities import (
    Application,
    ApplicationStatus,
    Difficulty,
    Experience,
    Job,
    JobType,
    LocationType,
    Project,
    ProjectType,
)
from app.domain.talent.errors import AlreadyApplied

_PROJECT = (
    "owner_id",
    "title",
    "category",
    "description",
    "technologies",
    "start_date",
    "end_date",
    "prize",
    "max_participants",
    "participant_count",
    "created_at",
)
_JOB = (
    "poster_id",
    "title",
    "company",
    "location",
    "description",
    "salary_min",
    "salary_max",
    "currency",
    "skills",
    "open",
    "created_at",
)


def _project(r: ProjectRow) -> Project:
    return Project(
        id=r.id,
        project_type=ProjectType(r.project_type),
        difficulty=Difficulty(r.difficulty),
        **{f: getattr(r, f) for f in _PROJECT},
    )


def _job(r: Any) -> Job:
    get = columns_of(r)
    return Job(
        id=get("id"),
        job_type=JobType(get("job_type")),
        location_type=LocationType(get("location_type")),
        **{f: get(f) for f in _JOB},
    )


@functools.cache
def _job_search(*, job_type: bool, location_type: bool, skill: bool, min_salary: bool, q: bool) -> Any:
    """The open-jobs search, compiled once per combination of filters."""
    c: list[Any] = [JobRow.open.is_(True)]
    if job_type:
        c.append(JobRow.job_type == bindparam("job_type", None, type_=String))
    if location_type:
        c.append(JobRow.location_type == bindparam("location_type", None, type_=String))
    if skill:
        c.append(JobRow.skills.contains(bindparam("skills", None, type_=ARRAY(String))))
    if min_salary:
        c.append(JobRow.salary_max >= bindparam("min_salary", None, type_=BigInteger))
    if q:
        pattern = bindparam("pattern", None, type_=String)
        c.append(JobRow.title.ilike(pattern, escape="\\") | JobRow.company.ilike(pattern, escape="\\"))
    return page_reads(JobRow, c)


def _application(r: ApplicationRow, poster_id: uuid.UUID) -> Application:
    return Application(
        id=r.id,
        job_id=r.job_id,
        applicant_id=r.applicant_id,
        cover_letter=r.cover_letter,
        resume_media_id=r.resume_media_id,
        status=ApplicationStatus(r.status),
        poster_id=poster_id,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


async def _page(
    session: AsyncSession, model: Any, conditions: list[Any], mapper: Any, page: int, page_size: int
) -> Page[Any]:
    total = (await session.execute(select(func.count()).select_from(model).where(*conditions))).scalar_one()
    rows = await session.execute(
        select(model)
        .where(*conditions)
        .order_by(model.created_at.desc(), model.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return Page([mapper(r) for r in rows.scalars()], total, page, page_size)


def _experience(r: ExperienceRow) -> Experience:
    return Experience(
        id=r.id,
        user_id=r.user_id,
        kind=r.kind,
        title=r.title,
        organization=r.organization,
        start_date=r.start_date,
        end_date=r.end_date,
        description=r.description,
    )


def _applications_query() -> Any:
    return select(ApplicationRow, JobRow.poster_id).join(JobRow, JobRow.id == ApplicationRow.job_id)


# -- command side: one repository per aggregate, bound to the unit of work's session --------------------
class PgExperienceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, item: Experience) -> None:
        self._s.add(
            ExperienceRow(
                id=item.id,
                user_id=item.user_id,
                kind=item.kind,
                title=item.title,
                organization=item.organization,
                start_date=item.start_date,
                end_date=item.end_date,
                description=item.description,
            )
        )
        await self._s.flush()

    async def get(self, user_id: uuid.UUID, item_id: uuid.UUID) -> Experience | None:
        stmt = (
            select(ExperienceRow).where(ExperienceRow.id == item_id, ExperienceRow.user_id == user_id).with_for_update()
        )
        r = (await self._s.execute(stmt)).scalar_one_or_none()
        return _experience(r) if r else None

    async def save(self, item: Experience) -> None:
        await self._s.execute(
            update(ExperienceRow)
            .where(ExperienceRow.id == item.id, ExperienceRow.user_id == item.user_id)
            .values(
                kind=item.kind,
                title=item.title,
                organization=item.organization,
                start_date=item.start_date,
                end_date=item.end_date,
                description=item.description,
            )
        )

    async def delete(self, user_id: uuid.UUID, item_id: uuid.UUID) -> bool:
        result = await self._s.execute(
            delete(ExperienceRow).where(ExperienceRow.id == item_id, ExperienceRow.user_id == user_id)
        )
        return bool(result.rowcount)


class PgProjectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, project: Project) -> None:
        self._s.add(
            ProjectRow(
                id=project.id,
                project_type=project.project_type.value,
                difficulty=project.difficulty.value,
                **{f: getattr(project, f) for f in _PROJECT},
            )
        )
        await self._s.flush()

    async def get(self, project_id: uuid.UUID, *, for_update: bool = False) -> Project | None:
        stmt = select(ProjectRow).where(ProjectRow.id == project_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return _project(row) if row else None

    async def add_participant(self, project_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        added = await self._s.execute(
            insert(ProjectParticipantRow)
            .values(project_id=project_id, user_id=user_id)
            .on_conflict_do_nothing()
            .returning(ProjectParticipantRow.user_id)
        )
        if added.first() is None:
            return False
        await self._s.execute(
            update(ProjectRow)
            .where(ProjectRow.id == project_id)
            .values(participant_count=ProjectRow.participant_count + 1)
        )
        return True

    async def remove_participant(self, project_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        removed = await self._s.execute(
            delete(ProjectParticipantRow).where(
                ProjectParticipantRow.project_id == project_id, ProjectParticipantRow.user_id == user_id
            )
        )
        if not removed.rowcount:
            return False
        await self._s.execute(
            update(ProjectRow)
            .where(ProjectRow.id == project_id)
            .values(participant_count=ProjectRow.participant_count - 1)
        )
        return True


class PgJobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, job: Job) -> None:
        self._s.add(
            JobRow(
                id=job.id,
                job_type=job.job_type.value,
                location_type=job.location_type.value,
                **{f: getattr(job, f) for f in _JOB},
            )
        )
        await self._s.flush()

    async def get(self, job_id: uuid.UUID) -> Job | None:
        row = await self._s.get(JobRow, job_id)
        return _job(row) if row else None


class PgApplicationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, application: Application) -> None:
        self._s.add(
            ApplicationRow(
                id=application.id,
                job_id=application.job_id,
                applicant_id=application.applicant_id,
                cover_letter=application.cover_letter,
                resume_media_id=application.resume_media_id,
                status=application.status.value,
                created_at=application.created_at,
                updated_at=application.updated_at,
            )
        )
        try:
            async with self._s.begin_nested():
                await self._s.flush()
        except IntegrityError as exc:
            raise AlreadyApplied("You already applied to this job.") from exc

    async def get(self, application_id: uuid.UUID, *, for_update: bool = False) -> Application | None:
        stmt = _applications_query().where(ApplicationRow.id == application_id)
        if for_update:
            stmt = stmt.with_for_update(of=ApplicationRow)
        row = (await self._s.execute(stmt)).one_or_none()
        return _application(*row) if row else None

    async def save(self, application: Application) -> None:
        await self._s.execute(
            update(ApplicationRow)
            .where(ApplicationRow.id == application.id)
            .values(status=application.status.value, updated_at=application.updated_at)
        )


class PgTalentUnitOfWork(PgUnitOfWork):
    def _bind(self, session: AsyncSession) -> None:
        self.experiences = PgExperienceRepository(session)
        self.projects = PgProjectRepository(session)
        self.jobs = PgJobRepository(session)
        self.applications = PgApplicationRepository(session)
        self.uploads = PgUploadedFiles(session)


# -- query side: read-only snapshots, no unit of work ----------------------------------------------------
class PgTalentQueries(PgQueries):
    async def experiences_of(self, user_id: uuid.UUID) -> list[Experience]:
        async with self._read() as s:
            rows = await s.execute(
                select(ExperienceRow).where(ExperienceRow.user_id == user_id).order_by(ExperienceRow.start_date.desc())
            )
            return [_experience(r) for r in rows.scalars()]

    async def search_projects(self, filters: dict[str, Any], *, page: int, page_size: int) -> Page[Project]:
        c: list[Any] = []
        if filters.get("project_type"):
            c.append(ProjectRow.project_type == filters["project_type"].value)
        if filters.get("difficulty"):
            c.append(ProjectRow.difficulty == filters["difficulty"].value)
        if filters.get("category"):
            c.append(ProjectRow.category == filters["category"].lower())
        if filters.get("technology"):
            c.append(ProjectRow.technologies.contains([filters["technology"].lower()]))
        if filters.get("q"):
            c.append(ProjectRow.title.ilike(f"%{escape_like(filters['q'])}%", escape="\\"))
        async with self._read() as s:
            return await _page(s, ProjectRow, c, _project, page, page_size)

    async def search_jobs(self, filters: dict[str, Any], *, page: int, page_size: int) -> Page[Job]:
        reads = _job_search(
            job_type=bool(filters.get("job_type")),
            location_type=bool(filters.get("location_type")),
            skill=bool(filters.get("skill")),
            min_salary=filters.get("min_salary") is not None,
            q=bool(filters.get("q")),
        )
        async with self._driver() as db:
            rows, counts = await fetch_page(
                db,
                reads,
                job_type=filters["job_type"].value if filters.get("job_type") else None,
                location_type=filters["location_type"].value if filters.get("location_type") else None,
                skills=[filters["skill"].lower()] if filters.get("skill") else None,
                min_salary=filters.get("min_salary"),
                pattern=f"%{escape_like(filters['q'])}%" if filters.get("q") else None,
                limit=page_size,
                offset=(page - 1) * page_size,
            )
        return Page([_job(r) for r in rows], counts["total"], page, page_size)

    async def _applications(self, condition: Any) -> list[Application]:
        async with self._read() as s:
            rows = await s.execute(_applications_query().where(condition).order_by(ApplicationRow.created_at))
            return [_application(*r) for r in rows]

    async def applications_for_job(self, job_id: uuid.UUID) -> list[Application]:
        return await self._applications(ApplicationRow.job_id == job_id)

    async def applications_of(self, user_id: uuid.UUID) -> list[Application]:
        return await self._applications(ApplicationRow.applicant_id == user_id)

    async def skills_catalogue(self, *, query: str | None, limit: int) -> list[tuple[str, int, int, int]]:
        async with self._read() as s:
            return await _skills(s, query, limit)


# Counts are of distinct people, jobs and projects: one member listing "SQL" and "sql" counts once.
SKILLS_SQL = """
    WITH used AS (
        SELECT lower(s) AS skill, 'member' AS source, u.id AS who FROM users u, unnest(u.skills) AS s
        UNION ALL SELECT lower(s), 'job', j.id FROM jobs j, unnest(j.skills) AS s
        UNION ALL SELECT lower(s), 'project', p.id FROM projects p, unnest(p.technologies) AS s
    )
    SELECT skill, count(DISTINCT who) FILTER (WHERE source = 'member') AS members,
           count(DISTINCT who) FILTER (WHERE source = 'job') AS jobs,
           count(DISTINCT who) FILTER (WHERE source = 'project') AS projects
    FROM used WHERE (CAST(:q AS text) IS NULL OR skill LIKE :pattern ESCAPE '\\')
    GROUP BY skill ORDER BY count(DISTINCT (source, who)) DESC, skill LIMIT :limit
"""


async def _skills(session: AsyncSession, query: str | None, limit: int) -> list[tuple[str, int, int, int]]:
    rows = await session.execute(
        text(SKILLS_SQL), {"q": query, "pattern": f"%{escape_like(query)}%" if query else None, "limit": limit}
    )
    return [(r.skill, r.members, r.jobs, r.projects) for r in rows]
