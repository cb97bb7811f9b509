"""Canvas REST endpoints: /api/campaigns/{id}/canvas*. Live editing is the websocket."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, Router, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, PathParameter
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from app.core.filenames import content_disposition
from app.domain.canvas.entities import CanvasEdit
from app.domain.canvas.services import CanvasService
from app.domain.kernel import Principal
from app.entrypoints.http.dto import Page, PagingParams
from app.entrypoints.http.problems import problem_responses
from app.entrypoints.http.rate_limits import rate_limit_guard

TAGS = ["canvas"]


class CanvasOut(msgspec.Struct):
    campaign_id: uuid.UUID
    version: int
    document: dict[str, Any] = msgspec.field()
    updated_at: datetime | None = None


class EditOut(msgspec.Struct):
    version: int
    user_id: uuid.UUID | None
    client_op_id: str
    op: dict[str, Any]
    created_at: datetime | None


class EditPageOut(Page[EditOut]):
    pass


def edit_out(edit: CanvasEdit) -> EditOut:
    return msgspec.convert(edit, EditOut, from_attributes=True)


@get(
    "/{campaign_id:uuid}/canvas",
    summary="Current canvas document",
    description="The document (size, background, ordered layers) and its version. Edit it live over "
    "`/ws/campaigns/{campaign_id}`.",
)
async def get_canvas(
    campaign_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], canvas: NamedDependency[CanvasService]
) -> CanvasOut:
    document = await canvas.document(request.user, campaign_id)
    return CanvasOut(
        campaign_id=campaign_id, version=document.version, document=document.state(), updated_at=document.updated_at
    )


@get(
    "/{campaign_id:uuid}/canvas/versions",
    summary="Canvas edit history",
    description="Edit records, newest first: who changed what at which version.",
)
async def list_versions(
    campaign_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    canvas: NamedDependency[CanvasService],
    paging: PagingParams,
) -> EditPageOut:
    result = await canvas.history(request.user, campaign_id, page=paging.page, page_size=paging.page_size)
    return EditPageOut(
        items=[edit_out(e) for e in result.items], total=result.total, page=paging.page, page_size=paging.page_size
    )


@post(
    "/{campaign_id:uuid}/canvas/versions/{version:int}/restore",
    summary="Restore an earlier canvas version",
    description="Makes the document look as it did at `version`, recorded as a new version and sent to live editors.",
    status_code=HTTP_200_OK,
)
async def restore_version(
    campaign_id: FromPath[uuid.UUID],
    version: Annotated[int, PathParameter(ge=0, le=2**31 - 1)],
    request: Request[Principal, Any, Any],
    canvas: NamedDependency[CanvasService],
) -> EditOut:
    return edit_out(await canvas.restore(request.user, campaign_id, version))


@post(
    "/{campaign_id:uuid}/canvas/export",
    summary="Export the canvas as PNG",
    description="Renders the current document server-side (text, shapes, images from the campaign's media).",
    status_code=HTTP_200_OK,
    media_type="image/png",
    responses=problem_responses(429),
    guards=[rate_limit_guard("export", "exports_per_minute", by="user")],
)
async def export_png(
    campaign_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], canvas: NamedDependency[CanvasService]
) -> Response[bytes]:
    png = await canvas.export_png(request.user, campaign_id)
    return Response(
        png,
        media_type="image/png",
        headers={"Content-Disposition": content_disposition(f"campaign-{campaign_id}.png")},
    )


Version = Annotated[int, PathParameter(ge=0, le=2**31 - 1, description="A canvas version (0 is the empty canvas).")]


class NameVersionIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, examples=["Sent to the client"])]
    version: (
        Annotated[
            int, msgspec.Meta(ge=0, le=2**31 - 1, description="The version to name; the current one when omitted.")
        ]
        | None
    ) = None


class NamedVersionOut(msgspec.Struct):
    campaign_id: uuid.UUID
    version: int
    name: str
    named_by: uuid.UUID | None
    created_at: datetime | None


class DiffOut(msgspec.Struct):
    from_version: int
    to_version: int
    patch: Annotated[
        list[dict[str, Any]],
        msgspec.Meta(
            description="JSON Patch (RFC 6902) turning the document at `from_version` into the one at `to_version`.",
            examples=[[{"op": "replace", "path": "/layers/0/props/x", "value": 120}]],
        ),
    ]


@post(
    "/{campaign_id:uuid}/canvas/named-versions",
    summary="Name a canvas version",
    description="Gives `version` (the current one when omitted) a name; naming a named version renames it. "
    "Editors only; at most 200 named versions per campaign.",
    responses=problem_responses(409),
)
async def name_version(
    campaign_id: FromPath[uuid.UUID],
    data: JSONBody[NameVersionIn],
    request: Request[Principal, Any, Any],
    canvas: NamedDependency[CanvasService],
) -> NamedVersionOut:
    named = await canvas.name_version(request.user, campaign_id, data.version, data.name)
    return msgspec.convert(named, NamedVersionOut, from_attributes=True)


@get(
    "/{campaign_id:uuid}/canvas/named-versions",
    summary="Named canvas versions",
    description="Newest version first.",
)
async def list_named_versions(
    campaign_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], canvas: NamedDependency[CanvasService]
) -> list[NamedVersionOut]:
    named = await canvas.named_versions(request.user, campaign_id)
    return [msgspec.convert(n, NamedVersionOut, from_attributes=True) for n in named]


@delete(
    "/{campaign_id:uuid}/canvas/named-versions/{version:int}",
    summary="Remove a version's name",
    description="The version itself stays in the history. Editors only.",
    status_code=HTTP_204_NO_CONTENT,
)
async def unname_version(
    campaign_id: FromPath[uuid.UUID],
    version: Version,
    request: Request[Principal, Any, Any],
    canvas: NamedDependency[CanvasService],
) -> None:
    await canvas.unname_version(request.user, campaign_id, version)


@get(
    "/{campaign_id:uuid}/canvas/versions/{from_version:int}/diff/{to_version:int}",
    summary="Diff two canvas versions",
    description="A JSON Patch (RFC 6902) from one version's document to another's (either order); "
    "applied to `from_version`'s document it gives `to_version`'s.",
)
async def diff_versions(
    campaign_id: FromPath[uuid.UUID],
    from_version: Version,
    to_version: Version,
    request: Request[Principal, Any, Any],
    canvas: NamedDependency[CanvasService],
) -> DiffOut:
    patch = await canvas.diff(request.user, campaign_id, from_version, to_version)
    return DiffOut(from_version=from_version, to_version=to_version, patch=patch)


def create_router() -> Router:
    """Mounted under /api/campaigns by the campaigns router (a canvas belongs to its campaign)."""
    return Router(
        path="/",
        tags=TAGS,
        route_handlers=[
            get_canvas,
            list_versions,
            restore_version,
            export_png,
            name_version,
            list_named_versions,
            unname_version,
            diff_versions,
        ],
    )
