"""DiceyTech hiring: jobs and applications (with private resumes): /api/jobs*, /api/applications*."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from app.domain.kernel import Principal
from app.domain.media.errors import MediaNotFound
from app.domain.media.services import MediaService
from app.domain.talent.entities import (
    Application,
    ApplicationStatus,
    Job,
    JobType,
    LocationType,
)
from app.domain.talent.services import TalentService
from app.entrypoints.http.dto import Page, PagingParams
from app.entrypoints.http.media import MediaOut, media_out
from app.entrypoints.http.problems import problem_responses
from app.entrypoints.http.talent import TAGS, Tag_


class JobIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200, examples=["Python developer"])]
    company: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    job_type: JobType
    location_type: LocationType
    location: Annotated[str, msgspec.Meta(max_length=200)] = ""
    description: Annotated[str, msgspec.Meta(max_length=20_000)] = ""
    salary_min: Annotated[int, msgspec.Meta(ge=0, le=10**12, description="Minor units per year")] | None = None
    salary_max: Annotated[int, msgspec.Meta(ge=0, le=10**12, description="Minor units per year")] | None = None
    currency: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")] = "USD"
    skills: Annotated[list[Tag_], msgspec.Meta(max_length=30)] = msgspec.field(default_factory=list)


class JobOut(msgspec.Struct):
    id: uuid.UUID
    poster_id: uuid.UUID
    title: str
    company: str
    job_type: JobType
    location_type: LocationType
    location: str
    description: str
    salary_min: int | None
    salary_max: int | None
    currency: str
    skills: list[str]
    open: bool


class JobPageOut(Page[JobOut]):
    pass


class ApplyIn(msgspec.Struct, forbid_unknown_fields=True):
    cover_letter: Annotated[str, msgspec.Meta(max_length=10_000)] = ""
    resume_media_id: uuid.UUID | None = msgspec.field(default=None)


class ApplicationOut(msgspec.Struct):
    id: uuid.UUID
    job_id: uuid.UUID
    applicant_id: uuid.UUID
    cover_letter: str
    has_resume: bool
    status: ApplicationStatus
    created_at: datetime | None


class ApplicationListOut(msgspec.Struct):
    items: list[ApplicationOut]


class StatusIn(msgspec.Struct, forbid_unknown_fields=True):
    status: ApplicationStatus


def job_out(j: Job) -> JobOut:
    return msgspec.convert(j, JobOut, from_attributes=True)


def application_out(a: Application) -> ApplicationOut:
    return ApplicationOut(
        a.id, a.job_id, a.applicant_id, a.cover_letter, a.resume_media_id is not None, a.status, a.created_at
    )


@post(
    "/jobs",
    summary="Post a job",
)
async def post_job(
    data: JSONBody[JobIn], request: Request[Principal, Any, Any], talent: NamedDependency[TalentService]
) -> JobOut:
    job = Job(
        id=uuid.uuid4(),
        poster_id=request.user.user_id,
        title=data.title,
        company=data.company,
        job_type=data.job_type,
        location_type=data.location_type,
        location=data.location,
        description=data.description,
        salary_min=data.salary_min,
        salary_max=data.salary_max,
        currency=data.currency,
        skills=[s.lower() for s in data.skills],
    )
    return job_out(await talent.post_job(request.user, job))


@get(
    "/jobs",
    summary="Browse open jobs",
    description="Filter by type, location type, skill, minimum salary; `q` searches title and company.",
)
async def list_jobs(
    talent: NamedDependency[TalentService],
    paging: PagingParams,
    job_type: FromQuery[JobType | None] = None,
    location_type: FromQuery[LocationType | None] = None,
    skill: Annotated[str | None, QueryParameter(max_length=50)] = None,
    min_salary: Annotated[int | None, QueryParameter(ge=0, le=10**12)] = None,
    q: Annotated[str | None, QueryParameter(max_length=200)] = None,
) -> JobPageOut:
    filters = {"job_type": job_type, "location_type": location_type, "skill": skill, "min_salary": min_salary, "q": q}
    result = await talent.search_jobs(filters, page=paging.page, page_size=paging.page_size)
    return JobPageOut([job_out(j) for j in result.items], result.total, result.page, result.page_size)


@get(
    "/jobs/{job_id:uuid}",
    summary="A job",
)
async def get_job(job_id: FromPath[uuid.UUID], talent: NamedDependency[TalentService]) -> JobOut:
    return job_out(await talent.job(job_id))


@post(
    "/jobs/{job_id:uuid}/applications",
    summary="Apply to a job",
    description="Attach a resume uploaded through /api/media (it stays private: only the poster can open it).",
    responses=problem_responses(409),
)
async def apply(
    job_id: FromPath[uuid.UUID],
    data: JSONBody[ApplyIn],
    request: Request[Principal, Any, Any],
    talent: NamedDependency[TalentService],
) -> ApplicationOut:
    return application_out(
        await talent.apply(request.user, job_id, cover_letter=data.cover_letter, resume_media_id=data.resume_media_id)
    )


@get(
    "/jobs/{job_id:uuid}/applications",
    summary="Applications to my job",
)
async def job_applications(
    job_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], talent: NamedDependency[TalentService]
) -> ApplicationListOut:
    return ApplicationListOut([application_out(a) for a in await talent.applications_for_job(request.user, job_id)])


@get(
    "/applications",
    summary="My applications",
)
async def my_applications(
    request: Request[Principal, Any, Any], talent: NamedDependency[TalentService]
) -> ApplicationListOut:
    return ApplicationListOut([application_out(a) for a in await talent.my_applications(request.user)])


@get(
    "/applications/{application_id:uuid}",
    summary="An application",
    description="Poster and applicant only.",
)
async def get_application(
    application_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], talent: NamedDependency[TalentService]
) -> ApplicationOut:
    return application_out(await talent.application(request.user, application_id))


@post(
    "/applications/{application_id:uuid}/status",
    summary="Move an application along",
    description="Poster only: pending → reviewed → interviewed → accepted, or rejected at any open stage.",
    status_code=HTTP_200_OK,
)
async def move_application(
    application_id: FromPath[uuid.UUID],
    data: JSONBody[StatusIn],
    request: Request[Principal, Any, Any],
    talent: NamedDependency[TalentService],
) -> ApplicationOut:
    return application_out(await talent.move_application(request.user, application_id, data.status))


@get(
    "/applications/{application_id:uuid}/resume",
    summary="The application's resume (signed URL)",
    description="Poster and applicant only.",
)
async def application_resume(
    application_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    talent: NamedDependency[TalentService],
    media_service: NamedDependency[MediaService],
) -> MediaOut:
    application = await talent.application(request.user, application_id)  # 404 for anyone else
    if application.resume_media_id is None:
        raise MediaNotFound()
    media, url, thumb = await media_service.get_shared_by(application.applicant_id, application.resume_media_id)
    return media_out(media, url, thumb)


def create_router() -> Router:
    return Router(
        path="/api",
        tags=TAGS,
        route_handlers=[
            post_job,
            list_jobs,
            get_job,
            apply,
            job_applications,
            my_applications,
            get_application,
            move_application,
            application_resume,
        ],
    )
