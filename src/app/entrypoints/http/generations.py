"""AI generations: POST /api/campaigns/{id}/generations, GET /api/generations/{id}."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from app.domain.generation.entities import CopyPart, Generation, GenerationKind, GenerationStatus
from app.domain.generation.services import GenerationService
from app.domain.kernel import Principal
from app.entrypoints.http.problems import problem_responses

TAGS = ["generations"]


class GenerationIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: Annotated[
        GenerationKind, msgspec.Meta(description="ad_copy | background | product_image | full_ad", examples=["full_ad"])
    ]
    brief: Annotated[str, msgspec.Meta(max_length=4000, examples=["Spring offer: 3 months free on 3-year leases"])] = ""


class GenerationOut(msgspec.Struct):
    id: uuid.UUID
    campaign_id: uuid.UUID
    user_id: uuid.UUID
    kind: GenerationKind
    brief: str
    status: GenerationStatus
    error: str
    attempts: int
    result: dict[str, Any]
    result_locked: Annotated[
        bool, msgspec.Meta(description="Guests see the result after watching an ad (POST /api/ads/views)")
    ]
    created_at: datetime | None
    updated_at: datetime | None
    completed_at: datetime | None
    only: Annotated[
        CopyPart | None, msgspec.Meta(description="Ad copy: the one part this run regenerated (the other was kept)")
    ] = None


class GenerationListOut(msgspec.Struct):
    items: list[GenerationOut]


def generation_out(g: Generation) -> GenerationOut:
    return msgspec.convert(g, GenerationOut, from_attributes=True)


@post(
    "/campaigns/{campaign_id:uuid}/generations",
    summary="Request an AI generation",
    description="Queues the work and answers 202 with the `pending` generation; poll GET /api/generations/{id} or "
    "watch the campaign's websocket room for `generation` events. Results land on the canvas. "
    "Each user has an hourly quota (429 with Retry-After when used up).",
    status_code=HTTP_202_ACCEPTED,
    responses=problem_responses(429),
)
async def request_generation(
    campaign_id: FromPath[uuid.UUID],
    data: JSONBody[GenerationIn],
    request: Request[Principal, Any, Any],
    generations: NamedDependency[GenerationService],
) -> GenerationOut:
    return generation_out(await generations.request(request.user, campaign_id, data.kind, data.brief))


@get(
    "/campaigns/{campaign_id:uuid}/generations",
    summary="Recent generations of a campaign",
    description="The 50 newest, newest first.",
)
async def list_generations(
    campaign_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    generations: NamedDependency[GenerationService],
) -> GenerationListOut:
    items = await generations.list_for_campaign(request.user, campaign_id)
    return GenerationListOut(items=[generation_out(g) for g in items])


@get(
    "/generations/{generation_id:uuid}",
    summary="A generation's status and result",
)
async def get_generation(
    generation_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    generations: NamedDependency[GenerationService],
) -> GenerationOut:
    return generation_out(await generations.get(request.user, generation_id))


def create_router() -> Router:
    return Router(path="/api", tags=TAGS, route_handlers=[request_generation, list_generations, get_generation])
