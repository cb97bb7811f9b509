"""Prompt templates (PromptCraft): /api/prompt-templates*, /api/prompt-runs/{id}."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from app.domain.kernel import Principal
from app.domain.prompts.entities import PromptRun, PromptTemplate, RunStatus
from app.domain.prompts.services import NewTemplate, PromptService
from app.entrypoints.http.dto import Page, PagingParams, present_fields
from app.entrypoints.http.problems import problem_responses

TAGS = ["prompt templates"]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200, examples=["Property listing headline"])]
Body = Annotated[
    str, msgspec.Meta(min_length=1, max_length=20_000, examples=["Write 3 headlines for {{property}} in {{city}}."])
]
Category = Annotated[
    str, msgspec.Meta(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9 _-]+$", examples=["marketing"])
]


class TemplateIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    body: Body
    description: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    category: Category = "general"
    is_public: bool = False


class TemplatePatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    title: Title | msgspec.UnsetType = msgspec.UNSET
    body: Body | msgspec.UnsetType = msgspec.UNSET
    description: Annotated[str, msgspec.Meta(max_length=2000)] | msgspec.UnsetType = msgspec.UNSET
    category: Category | msgspec.UnsetType = msgspec.UNSET
    is_public: bool | msgspec.UnsetType = msgspec.UNSET


class TemplateOut(msgspec.Struct):
    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    description: str
    category: str
    is_public: bool
    version: int
    body: str
    variables: list[str]
    created_at: datetime | None
    updated_at: datetime | None


class TemplatePageOut(Page[TemplateOut]):
    pass


class VersionOut(msgspec.Struct):
    version: int
    body: str
    author_id: uuid.UUID | None
    created_at: datetime | None


class VersionListOut(msgspec.Struct):
    items: list[VersionOut]


class RunIn(msgspec.Struct, forbid_unknown_fields=True):
    variables: Annotated[
        dict[str, str], msgspec.Meta(max_length=50, examples=[{"property": "Riverside Offices", "city": "Austin"}])
    ] = msgspec.field(default_factory=dict)
    version: (
        Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1, description="Run an older version (default: current)")] | None
    ) = None


class RunOut(msgspec.Struct):
    id: uuid.UUID
    template_id: uuid.UUID
    version: int
    status: RunStatus
    rendered_prompt: str
    output: str
    error: str
    attempts: int
    created_at: datetime | None
    completed_at: datetime | None


def template_out(t: PromptTemplate) -> TemplateOut:
    return msgspec.convert(t, TemplateOut, from_attributes=True)


def run_out(r: PromptRun) -> RunOut:
    return msgspec.convert(r, RunOut, from_attributes=True)


@post(
    "/",
    summary="Create a prompt template",
    description="`{{name}}` marks a variable.",
)
async def create_template(
    data: JSONBody[TemplateIn], request: Request[Principal, Any, Any], prompts: NamedDependency[PromptService]
) -> TemplateOut:
    template = await prompts.create(
        request.user,
        NewTemplate(
            title=data.title,
            body=data.body,
            description=data.description,
            category=data.category,
            is_public=data.is_public,
        ),
    )
    return template_out(template)


@get(
    "/",
    summary="Browse prompt templates",
    description="Public templates and your own, newest first. `mine=true` shows only yours.",
)
async def list_templates(
    request: Request[Principal, Any, Any],
    prompts: NamedDependency[PromptService],
    paging: PagingParams,
    q: Annotated[str | None, QueryParameter(max_length=200)] = None,
    category: Annotated[str | None, QueryParameter(max_length=50)] = None,
    mine: Annotated[bool, QueryParameter()] = False,
) -> TemplatePageOut:
    result = await prompts.search(
        request.user, query=q, category=category, mine=mine, page=paging.page, page_size=paging.page_size
    )
    return TemplatePageOut([template_out(t) for t in result.items], result.total, result.page, result.page_size)


@get(
    "/{template_id:uuid}",
    summary="Get a prompt template",
)
async def get_template(
    template_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], prompts: NamedDependency[PromptService]
) -> TemplateOut:
    return template_out(await prompts.get(request.user, template_id))


@patch(
    "/{template_id:uuid}",
    summary="Update a prompt template",
    description="A new body creates a new version; older versions stay runnable.",
)
async def patch_template(
    template_id: FromPath[uuid.UUID],
    data: JSONBody[TemplatePatch],
    request: Request[Principal, Any, Any],
    prompts: NamedDependency[PromptService],
) -> TemplateOut:
    changes = present_fields(data)
    return template_out(await prompts.update(request.user, template_id, changes))


@delete(
    "/{template_id:uuid}",
    summary="Delete a prompt template",
    status_code=HTTP_204_NO_CONTENT,
)
async def delete_template(
    template_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], prompts: NamedDependency[PromptService]
) -> None:
    await prompts.delete(request.user, template_id)


@get(
    "/{template_id:uuid}/versions",
    summary="Template versions",
    description="Newest first.",
)
async def list_template_versions(
    template_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], prompts: NamedDependency[PromptService]
) -> VersionListOut:
    versions = await prompts.versions(request.user, template_id)
    return VersionListOut([VersionOut(v.version, v.body, v.author_id, v.created_at) for v in versions])


@post(
    "/{template_id:uuid}/runs",
    summary="Run a template through the text generator",
    description="Fills the variables (all required, none unknown) and queues the run; 202 with the `pending` run. "
    "Counts against the hourly AI quota.",
    status_code=HTTP_202_ACCEPTED,
    responses=problem_responses(429),
)
async def run_template(
    template_id: FromPath[uuid.UUID],
    data: JSONBody[RunIn],
    request: Request[Principal, Any, Any],
    prompts: NamedDependency[PromptService],
) -> RunOut:
    return run_out(await prompts.request_run(request.user, template_id, data.variables, version=data.version))


@get(
    "/{run_id:uuid}",
    summary="A template run's status and output",
)
async def get_run(
    run_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], prompts: NamedDependency[PromptService]
) -> RunOut:
    return run_out(await prompts.get_run(request.user, run_id))


def create_router() -> Router:
    templates = Router(
        path="/api/prompt-templates",
        tags=TAGS,
        route_handlers=[
            create_template,
            list_templates,
            get_template,
            patch_template,
            delete_template,
            list_template_versions,
            run_template,
        ],
    )
    runs = Router(path="/api/prompt-runs", tags=TAGS, route_handlers=[get_run])
    return Router(path="/", route_handlers=[templates, runs])
