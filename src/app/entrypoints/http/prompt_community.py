"""PromptCraft favourites and ratings: /api/prompt-templates/{id}/favourite|rating, /api/prompt-templates/favourites."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, delete, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.domain.kernel import Principal
from app.domain.prompts.community import CommunityService
from app.domain.prompts.entities import RatingSummary
from app.entrypoints.http.dto import PagingParams
from app.entrypoints.http.prompts import TemplatePageOut, template_out

TAGS = ["prompt templates"]


class FavouriteOut(msgspec.Struct):
    template_id: uuid.UUID
    favourite: bool


class RatingIn(msgspec.Struct, forbid_unknown_fields=True):
    stars: Annotated[int, msgspec.Meta(ge=1, le=5, examples=[4])]


class RatingOut(msgspec.Struct):
    template_id: uuid.UUID
    average: Annotated[float | None, msgspec.Meta(description="Mean stars; null before the first rating")]
    count: int
    mine: Annotated[int | None, msgspec.Meta(description="My own stars, if I rated it")]


def rating_out(template_id: uuid.UUID, summary: RatingSummary) -> RatingOut:
    return RatingOut(template_id=template_id, average=summary.average, count=summary.count, mine=summary.mine)


@put(
    "/{template_id:uuid}/favourite",
    summary="Favourite a template",
    description="Idempotent. Any template I can see (public, or mine).",
)
async def add_favourite(
    template_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    community: NamedDependency[CommunityService],
) -> FavouriteOut:
    return FavouriteOut(template_id, await community.favourite(request.user, template_id, on=True))


@delete(
    "/{template_id:uuid}/favourite",
    summary="Unfavourite a template",
    description="Idempotent.",
    status_code=200,
)
async def remove_favourite(
    template_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    community: NamedDependency[CommunityService],
) -> FavouriteOut:
    return FavouriteOut(template_id, await community.favourite(request.user, template_id, on=False))


@get(
    "/favourites",
    summary="My favourite templates",
    description="Most recently favoured first; templates that are no longer visible to me drop out.",
)
async def my_favourites(
    request: Request[Principal, Any, Any], community: NamedDependency[CommunityService], paging: PagingParams
) -> TemplatePageOut:
    result = await community.favourites(request.user, page=paging.page, page_size=paging.page_size)
    return TemplatePageOut([template_out(t) for t in result.items], result.total, result.page, result.page_size)


@put(
    "/{template_id:uuid}/rating",
    summary="Rate a template (1-5)",
    description="One rating per person and template; rating again changes it. Authors cannot rate their own "
    "(403 `self-rating`).",
)
async def rate(
    template_id: FromPath[uuid.UUID],
    data: JSONBody[RatingIn],
    request: Request[Principal, Any, Any],
    community: NamedDependency[CommunityService],
) -> RatingOut:
    return rating_out(template_id, await community.rate(request.user, template_id, data.stars))


@get(
    "/{template_id:uuid}/rating",
    summary="A template's rating",
    description="Average stars, how many ratings, and mine.",
)
async def rating(
    template_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    community: NamedDependency[CommunityService],
) -> RatingOut:
    return rating_out(template_id, await community.rating(request.user, template_id))


def create_router() -> Router:
    return Router(
        path="/api/prompt-templates",
        tags=TAGS,
        route_handlers=[add_favourite, remove_favourite, my_favourites, rate, rating],
    )
