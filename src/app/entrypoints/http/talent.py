"""DiceyTech talent board: experience/education, projects & hackathons, jobs & applications."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, Router, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from app.domain.kernel import Principal
from app.domain.talent.entities import (
    Difficulty,
    Experience,
    Project,
    ProjectType,
)
from app.domain.talent.services import TalentService
from app.entrypoints.http.dto import Page, PagingParams, present_fields
from app.entrypoints.http.problems import problem_responses

TAGS = ["talent"]
Tag_ = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]


class ExperienceIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: Literal["work", "education"]
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200, examples=["Backend engineer"])]
    organization: Annotated[str, msgspec.Meta(min_length=1, max_length=200, examples=["DiceyTech"])]
    start_date: date
    end_date: date | None = None
    description: Annotated[str, msgspec.Meta(max_length=5000)] = ""


class ExperienceOut(msgspec.Struct):
    id: uuid.UUID
    kind: str
    title: str
    organization: str
    start_date: date
    end_date: date | None
    description: str


class ExperienceListOut(msgspec.Struct):
    items: list[ExperienceOut]


class ProjectIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200, examples=["Climate hack 2026"])]
    project_type: ProjectType
    difficulty: Difficulty
    category: Tag_
    description: Annotated[str, msgspec.Meta(max_length=10_000)] = ""
    technologies: Annotated[list[Tag_], msgspec.Meta(max_length=30)] = msgspec.field(default_factory=list)
    start_date: date | None = None
    end_date: date | None = None
    prize: Annotated[str, msgspec.Meta(max_length=200)] = ""
    max_participants: Annotated[int, msgspec.Meta(ge=1, le=100_000)] | None = None


class ProjectOut(msgspec.Struct):
    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    project_type: ProjectType
    difficulty: Difficulty
    category: str
    description: str
    technologies: list[str]
    start_date: date | None
    end_date: date | None
    prize: str
    max_participants: int | None
    participant_count: int


class ProjectPageOut(Page[ProjectOut]):
    pass


def experience_out(e: Experience) -> ExperienceOut:
    return msgspec.convert(e, ExperienceOut, from_attributes=True)


def project_out(p: Project) -> ProjectOut:
    return msgspec.convert(p, ProjectOut, from_attributes=True)


@post(
    "/users/me/experience",
    summary="Add work experience or education",
)
async def add_experience(
    data: JSONBody[ExperienceIn], request: Request[Principal, Any, Any], talent: NamedDependency[TalentService]
) -> ExperienceOut:
    item = await talent.add_experience(
        request.user,
        kind=data.kind,
        title=data.title,
        organization=data.organization,
        start_date=data.start_date,
        end_date=data.end_date,
        description=data.description,
    )
    return experience_out(item)


@get(
    "/users/{user_id:uuid}/experience",
    summary="A member's experience and education",
)
async def list_experience(user_id: FromPath[uuid.UUID], talent: NamedDependency[TalentService]) -> ExperienceListOut:
    return ExperienceListOut([experience_out(e) for e in await talent.experiences(user_id)])


class ExperiencePatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    kind: Literal["work", "education"] | msgspec.UnsetType = msgspec.UNSET
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | msgspec.UnsetType = msgspec.UNSET
    organization: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | msgspec.UnsetType = msgspec.UNSET
    start_date: date | msgspec.UnsetType = msgspec.UNSET
    end_date: date | None | msgspec.UnsetType = msgspec.UNSET
    description: Annotated[str, msgspec.Meta(max_length=5000)] | msgspec.UnsetType = msgspec.UNSET


@put(
    "/users/me/experience/{item_id:uuid}",
    summary="Replace an experience entry",
    description="Owner only; the same rules as a new entry.",
)
async def replace_experience(
    item_id: FromPath[uuid.UUID],
    data: JSONBody[ExperienceIn],
    request: Request[Principal, Any, Any],
    talent: NamedDependency[TalentService],
) -> ExperienceOut:
    changes = {f: getattr(data, f) for f in ExperienceIn.__struct_fields__}
    return experience_out(await talent.update_experience(request.user, item_id, changes))


@patch(
    "/users/me/experience/{item_id:uuid}",
    summary="Change an experience entry",
    description="Only the fields sent change; owner only.",
)
async def patch_experience(
    item_id: FromPath[uuid.UUID],
    data: JSONBody[ExperiencePatch],
    request: Request[Principal, Any, Any],
    talent: NamedDependency[TalentService],
) -> ExperienceOut:
    return experience_out(await talent.update_experience(request.user, item_id, present_fields(data)))


@delete(
    "/users/me/experience/{item_id:uuid}",
    summary="Remove an experience entry",
    status_code=HTTP_204_NO_CONTENT,
)
async def delete_experience(
    item_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], talent: NamedDependency[TalentService]
) -> None:
    await talent.delete_experience(request.user, item_id)


@post(
    "/projects",
    summary="Create a project or hackathon",
)
async def create_project(
    data: JSONBody[ProjectIn], request: Request[Principal, Any, Any], talent: NamedDependency[TalentService]
) -> ProjectOut:
    project = Project(
        id=uuid.uuid4(),
        owner_id=request.user.user_id,
        title=data.title,
        project_type=data.project_type,
        difficulty=data.difficulty,
        category=data.category.lower(),
        description=data.description,
        technologies=[t.lower() for t in data.technologies],
        start_date=data.start_date,
        end_date=data.end_date,
        prize=data.prize,
        max_participants=data.max_participants,
    )
    return project_out(await talent.create_project(request.user, project))


@get(
    "/projects",
    summary="Browse projects and hackathons",
    description="Filter by type, difficulty, category, technology; `q` searches titles.",
)
async def list_projects(
    talent: NamedDependency[TalentService],
    paging: PagingParams,
    project_type: FromQuery[ProjectType | None] = None,
    difficulty: FromQuery[Difficulty | None] = None,
    category: Annotated[str | None, QueryParameter(max_length=50)] = None,
    technology: Annotated[str | None, QueryParameter(max_length=50)] = None,
    q: Annotated[str | None, QueryParameter(max_length=200)] = None,
) -> ProjectPageOut:
    filters = {
        "project_type": project_type,
        "difficulty": difficulty,
        "category": category,
        "technology": technology,
        "q": q,
    }
    result = await talent.search_projects(filters, page=paging.page, page_size=paging.page_size)
    return ProjectPageOut([project_out(p) for p in result.items], result.total, result.page, result.page_size)


@get(
    "/projects/{project_id:uuid}",
    summary="A project",
)
async def get_project(project_id: FromPath[uuid.UUID], talent: NamedDependency[TalentService]) -> ProjectOut:
    return project_out(await talent.project(project_id))


@post(
    "/projects/{project_id:uuid}/join",
    summary="Join a project",
    description="409 when it is full; joining twice is harmless.",
    status_code=HTTP_200_OK,
    responses=problem_responses(409),
)
async def join_project(
    project_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], talent: NamedDependency[TalentService]
) -> ProjectOut:
    return project_out(await talent.join(request.user, project_id))


@delete(
    "/projects/{project_id:uuid}/join",
    summary="Leave a project",
    status_code=HTTP_204_NO_CONTENT,
)
async def leave_project(
    project_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], talent: NamedDependency[TalentService]
) -> None:
    await talent.leave(request.user, project_id)


class SkillOut(msgspec.Struct):
    skill: str
    members: int
    jobs: int
    projects: int


class SkillListOut(msgspec.Struct):
    items: list[SkillOut]


@get(
    "/skills",
    summary="Skills catalogue",
    description="Every skill in use, with how many members, jobs and projects use it.",
)
async def skills(
    talent: NamedDependency[TalentService], q: Annotated[str | None, QueryParameter(max_length=50)] = None
) -> SkillListOut:
    return SkillListOut([SkillOut(*row) for row in await talent.skills(query=q)])


def create_router() -> Router:
    return Router(
        path="/api",
        tags=TAGS,
        route_handlers=[
            add_experience,
            list_experience,
            replace_experience,
            patch_experience,
            delete_experience,
            create_project,
            list_projects,
            get_project,
            join_project,
            leave_project,
            skills,
        ],
    )
