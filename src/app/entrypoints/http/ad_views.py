"""AdVenture freemium: guests watch an ad to unlock results and exports: /api/ads/views*."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.status_codes import HTTP_200_OK

from app.domain.billing.entitlements import PlanEntitlements
from app.domain.kernel import Principal
from app.entrypoints.http.problems import problem_responses


class AdViewOut(msgspec.Struct):
    id: uuid.UUID
    seconds: Annotated[float, msgspec.Meta(description="Complete the view after this long")]
    started_at: datetime
    completed_at: datetime | None = None


@post(
    "/",
    summary="Start watching an ad",
    description="Guests watch an ad before getting results (freemium).",
)
async def start_ad_view(
    request: Request[Principal, Any, Any], entitlements: NamedDependency[PlanEntitlements]
) -> AdViewOut:
    view, seconds = await entitlements.start_ad_view(request.user)
    return AdViewOut(view.id, seconds, view.started_at)


@post(
    "/{view_id:uuid}/complete",
    summary="Finish watching an ad",
    status_code=HTTP_200_OK,
    responses=problem_responses(409),
)
async def complete_ad_view(
    view_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], entitlements: NamedDependency[PlanEntitlements]
) -> AdViewOut:
    view = await entitlements.complete_ad_view(request.user, view_id)
    return AdViewOut(view.id, 0, view.started_at, view.completed_at)


def create_router() -> Router:
    return Router(path="/api/ads/views", tags=["ads"], route_handlers=[start_ad_view, complete_ad_view])
