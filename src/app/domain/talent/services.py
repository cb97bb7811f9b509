"""Talent board use cases. Applications (and their private resumes) are visible to the
job's poster and the applicant only; project capacity holds under concurrent joins."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from app.core.clock import Clock
from app.core.errors import FieldError, ValidationFailed
from app.core.ids import new_id
from app.domain.kernel import Page, Principal
from app.domain.talent.entities import (
    Application,
    ApplicationStatus,
    Experience,
    Job,
    Project,
)
from app.domain.talent.errors import (
    ApplicationNotFound,
    ExperienceNotFound,
    JobClosed,
    JobNotFound,
    NotJobPoster,
    NotParticipating,
    OwnJob,
    ProjectNotFound,
    ResumeMustBePrivate,
)
from app.domain.talent.ports import TalentQueries, TalentUnitOfWork


def _check_experience(item: Experience) -> None:
    errors = []
    if not item.title:
        errors.append(FieldError("title", "must not be blank"))
    if not item.organization:
        errors.append(FieldError("organization", "must not be blank"))
    if item.end_date is not None and item.end_date < item.start_date:
        errors.append(FieldError("end_date", "before start_date"))
    if errors:
        raise ValidationFailed("This entry is not valid.", errors=errors)


class TalentService:
    def __init__(self, *, uow: Callable[[], TalentUnitOfWork], queries: TalentQueries, clock: Clock) -> None:
        self._uow = uow
        self._queries = queries
        self._clock = clock

    # -- experience & education --------------------------------------------------------------
    async def add_experience(
        self,
        principal: Principal,
        *,
        kind: str,
        title: str,
        organization: str,
        start_date: date,
        end_date: date | None,
        description: str,
    ) -> Experience:
        item = Experience(
            id=new_id(),
            user_id=principal.user_id,
            kind=kind,
            title=title.strip(),
            organization=organization.strip(),
            start_date=start_date,
            end_date=end_date,
            description=description,
        )
        _check_experience(item)
        async with self._uow() as uow:
            await uow.experiences.add(item)
            await uow.commit()
        return item

    async def experiences(self, user_id: uuid.UUID) -> list[Experience]:
        return await self._queries.experiences_of(user_id)

    async def update_experience(self, principal: Principal, item_id: uuid.UUID, changes: dict[str, Any]) -> Experience:
        """Owner only; the same rules as a new entry."""
        async with self._uow() as uow:
            item = await uow.experiences.get(principal.user_id, item_id)
            if item is None:
                raise ExperienceNotFound("Entry not found.")
            for name, value in changes.items():
                setattr(item, name, value.strip() if name in ("title", "organization") else value)
            _check_experience(item)
            await uow.experiences.save(item)
            await uow.commit()
        return item

    async def delete_experience(self, principal: Principal, item_id: uuid.UUID) -> None:
        async with self._uow() as uow:
            if not await uow.experiences.delete(principal.user_id, item_id):
                raise ExperienceNotFound("Entry not found.")
            await uow.commit()

    async def skills(self, *, query: str | None, limit: int = 50) -> list[tuple[str, int, int, int]]:
        return await self._queries.skills_catalogue(query=query.lower() if query else None, limit=limit)

    # -- projects & hackathons ------------------------------------------------------------------
    async def create_project(self, principal: Principal, project: Project) -> Project:
        if project.start_date and project.end_date and project.end_date < project.start_date:
            raise ValidationFailed("The end is before the start.", errors=[FieldError("end_date", "before start_date")])
        project.id, project.owner_id, project.created_at = new_id(), principal.user_id, self._clock.now()
        async with self._uow() as uow:
            await uow.projects.add(project)
            await uow.commit()
        return project

    async def project(self, project_id: uuid.UUID) -> Project:
        async with self._uow() as uow:
            project = await uow.projects.get(project_id)
        if project is None:
            raise ProjectNotFound("Project not found.")
        return project

    async def search_projects(self, filters: dict[str, Any], *, page: int, page_size: int) -> Page[Project]:
        return await self._queries.search_projects(filters, page=page, page_size=page_size)

    async def join(self, principal: Principal, project_id: uuid.UUID) -> Project:
        async with self._uow() as uow:
            # The row lock serialises joins per project, so the count below cannot go stale.
            project = await uow.projects.get(project_id, for_update=True)
            if project is None:
                raise ProjectNotFound("Project not found.")
            project.check_room()
            if await uow.projects.add_participant(project_id, principal.user_id):
                project.participant_count += 1
            await uow.commit()
            return project

    async def leave(self, principal: Principal, project_id: uuid.UUID) -> None:
        async with self._uow() as uow:
            await uow.projects.get(project_id, for_update=True)
            if not await uow.projects.remove_participant(project_id, principal.user_id):
                raise NotParticipating("You are not in this project.")
            await uow.commit()

    # -- jobs & applications ---------------------------------------------------------------------
    async def post_job(self, principal: Principal, job: Job) -> Job:
        if job.salary_min is not None and job.salary_max is not None and job.salary_min > job.salary_max:
            raise ValidationFailed(
                "salary_min is above salary_max.", errors=[FieldError("salary_min", "above salary_max")]
            )
        job.id, job.poster_id, job.created_at = new_id(), principal.user_id, self._clock.now()
        async with self._uow() as uow:
            await uow.jobs.add(job)
            await uow.commit()
        return job

    async def job(self, job_id: uuid.UUID) -> Job:
        async with self._uow() as uow:
            job = await uow.jobs.get(job_id)
        if job is None:
            raise JobNotFound("Job not found.")
        return job

    async def search_jobs(self, filters: dict[str, Any], *, page: int, page_size: int) -> Page[Job]:
        return await self._queries.search_jobs(filters, page=page, page_size=page_size)

    async def apply(
        self, principal: Principal, job_id: uuid.UUID, *, cover_letter: str, resume_media_id: uuid.UUID | None
    ) -> Application:
        job = await self.job(job_id)
        if not job.open:
            raise JobClosed("This job no longer takes applications.")
        if job.poster_id == principal.user_id:
            raise OwnJob("You cannot apply to your own job.")
        async with self._uow() as uow:
            if resume_media_id is not None:
                found = await uow.uploads.owner_of(resume_media_id)
                if found is None or found[0] != principal.user_id:
                    raise ValidationFailed(
                        "Attach a resume you uploaded.", errors=[FieldError("resume_media_id", "not your file")]
                    )
                if found[1]:
                    # Resumes are private: a public file would be readable by anyone at /api/media/{id}.
                    raise ResumeMustBePrivate(
                        "A resume must be a private upload.",
                        errors=[FieldError("resume_media_id", "is a public file; upload the resume as private")],
                    )
            now = self._clock.now()
            application = Application(
                id=new_id(),
                job_id=job_id,
                applicant_id=principal.user_id,
                cover_letter=cover_letter,
                resume_media_id=resume_media_id,
                poster_id=job.poster_id,
                created_at=now,
                updated_at=now,
            )
            await uow.applications.add(application)
            await uow.commit()
            return application

    async def application(self, principal: Principal, application_id: uuid.UUID) -> Application:
        async with self._uow() as uow:
            application = await uow.applications.get(application_id)
        if application is None or principal.user_id not in (application.applicant_id, application.poster_id):
            raise ApplicationNotFound("Application not found.")
        return application

    async def applications_for_job(self, principal: Principal, job_id: uuid.UUID) -> list[Application]:
        job = await self.job(job_id)
        if job.poster_id != principal.user_id:
            raise NotJobPoster("Only the poster sees a job's applications.")
        return await self._queries.applications_for_job(job_id)

    async def my_applications(self, principal: Principal) -> list[Application]:
        return await self._queries.applications_of(principal.user_id)

    async def move_application(
        self, principal: Principal, application_id: uuid.UUID, status: ApplicationStatus
    ) -> Application:
        async with self._uow() as uow:
            application = await uow.applications.get(application_id, for_update=True)
            if application is None or principal.user_id not in (application.applicant_id, application.poster_id):
                raise ApplicationNotFound("Application not found.")
            application.move_to(status, by=principal.user_id, at=self._clock.now())
            await uow.applications.save(application)
            await uow.commit()
            return application
