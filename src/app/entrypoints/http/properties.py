"""CRE Studio properties: /api/properties*."""

from __future__ import annotations

import math
import re
import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from app.core.errors import FieldError, ValidationFailed
from app.domain.kernel import Principal
from app.domain.media.errors import MediaNotFound
from app.domain.media.services import MediaService
from app.domain.properties.entities import (
    ATTRIBUTE_KEY_RE,
    MAX_ATTRIBUTE_FILTERS,
    Property,
    PropertyFilter,
    PropertyType,
)
from app.domain.properties.services import PropertyMarketing, PropertyService
from app.entrypoints.http.campaigns import CampaignOut, campaign_out
from app.entrypoints.http.dto import Page, PagingParams, present_fields
from app.entrypoints.http.generations import GenerationOut, generation_out
from app.entrypoints.http.media import MediaOut, media_out
from app.entrypoints.http.problems import problem_responses

TAGS = ["properties"]
Money = Annotated[int, msgspec.Meta(ge=0, le=10**14, description="Integer minor units")]
Size = Annotated[int, msgspec.Meta(ge=1, le=10**9, description="Square feet")]


Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90, examples=[30.2672])]
Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180, examples=[-97.7431])]
_ATTRIBUTE_KEY = re.compile(ATTRIBUTE_KEY_RE)


def attribute_filters(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """`attr.<key>=<value>`, `attr.<key>.min=<n>` and `attr.<key>.max=<n>` from the query string (keys are the
    property's own, so they cannot be declared one by one)."""
    equals: list[tuple[str, str]] = []
    bounds: dict[str, list[tuple[str, float]]] = {"min": [], "max": []}
    errors: list[FieldError] = []
    for name, value in request.query_params.multi_items():
        if not name.startswith("attr."):
            continue
        key, _, bound = name[5:].rpartition(".") if name.endswith((".min", ".max")) else (name[5:], "", "")
        if not _ATTRIBUTE_KEY.match(key) or len(value) > 200:
            errors.append(FieldError(name, "attribute keys are 1-64 of A-Z a-z 0-9 _ -; values at most 200 characters"))
        elif bound:
            try:
                number = float(value)
            except ValueError:
                number = math.nan
            if not math.isfinite(number):
                errors.append(FieldError(name, "must be a number"))
            else:
                bounds[bound].append((key, number))
        else:
            equals.append((key, value))
    if len(equals) + len(bounds["min"]) + len(bounds["max"]) > MAX_ATTRIBUTE_FILTERS:
        errors.append(FieldError("attr", f"at most {MAX_ATTRIBUTE_FILTERS} attribute filters"))
    if errors:
        raise ValidationFailed("The attribute filters are not valid.", errors=errors)
    return {
        "attribute_equals": tuple(equals),
        "attribute_min": tuple(bounds["min"]),
        "attribute_max": tuple(bounds["max"]),
    }


def parse_near(near: str | None) -> tuple[float, float] | None:
    if near is None:
        return None
    try:
        lat, lng = (float(part) for part in near.split(","))
    except ValueError:
        raise ValidationFailed(
            "`near` is `latitude,longitude`.", errors=[FieldError("near", "expected two numbers: lat,lng")]
        ) from None
    if not (math.isfinite(lat) and math.isfinite(lng)):
        raise ValidationFailed("`near` is `latitude,longitude`.", errors=[FieldError("near", "must be finite")])
    return lat, lng


class PropertyIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200, examples=["Riverside Offices"])]
    property_type: PropertyType
    city: Annotated[str, msgspec.Meta(min_length=1, max_length=100, examples=["Austin"])]
    description: Annotated[str, msgspec.Meta(max_length=10_000)] = ""
    address: Annotated[str, msgspec.Meta(max_length=300)] = ""
    country: Annotated[str, msgspec.Meta(max_length=100)] = ""
    price_minor: Money | None = None
    currency: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")] = "USD"
    size_sqft: Size | None = None
    attributes: Annotated[
        dict[str, Any], msgspec.Meta(max_length=50, description="Custom attributes", examples=[{"parking_spaces": 40}])
    ] = msgspec.field(default_factory=dict)
    media_ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=50, description="Gallery (uploaded media)")] = (
        msgspec.field(default_factory=list)
    )
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class PropertyPatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | msgspec.UnsetType = msgspec.UNSET
    property_type: PropertyType | msgspec.UnsetType = msgspec.UNSET
    city: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | msgspec.UnsetType = msgspec.UNSET
    description: Annotated[str, msgspec.Meta(max_length=10_000)] | msgspec.UnsetType = msgspec.UNSET
    address: Annotated[str, msgspec.Meta(max_length=300)] | msgspec.UnsetType = msgspec.UNSET
    price_minor: Money | None | msgspec.UnsetType = msgspec.UNSET
    size_sqft: Size | None | msgspec.UnsetType = msgspec.UNSET
    attributes: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET
    media_ids: list[uuid.UUID] | msgspec.UnsetType = msgspec.UNSET
    latitude: Latitude | None | msgspec.UnsetType = msgspec.UNSET
    longitude: Longitude | None | msgspec.UnsetType = msgspec.UNSET


class PropertyOut(msgspec.Struct):
    id: uuid.UUID
    owner_id: uuid.UUID
    name: str
    property_type: PropertyType
    city: str
    description: str
    address: str
    country: str
    price_minor: int | None
    currency: str
    size_sqft: int | None
    attributes: dict[str, Any]
    media_ids: Annotated[list[uuid.UUID], msgspec.Meta(description="The gallery in order; the first is the cover.")]
    cover_media_id: uuid.UUID | None
    latitude: float | None
    longitude: float | None
    created_at: datetime | None
    distance_km: Annotated[
        float | None, msgspec.Meta(description="Distance from `near`, in a distance search only.")
    ] = None


class PropertyPageOut(Page[PropertyOut]):
    pass


class LaunchIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(max_length=200)] = ""
    description: Annotated[str, msgspec.Meta(max_length=10_000)] = ""


class LaunchOut(msgspec.Struct):
    campaign: CampaignOut
    generation: GenerationOut


def property_out(p: Property) -> PropertyOut:
    return msgspec.convert(p, PropertyOut, from_attributes=True)


class CoverIn(msgspec.Struct, forbid_unknown_fields=True):
    media_id: uuid.UUID


class GalleryOrderIn(msgspec.Struct, forbid_unknown_fields=True):
    media_ids: Annotated[
        list[uuid.UUID], msgspec.Meta(max_length=200, description="Every image of the gallery, each once, in order.")
    ]


@post(
    "/",
    summary="Add a property",
    description="Admins and managers.",
)
async def create_property(
    data: JSONBody[PropertyIn], request: Request[Principal, Any, Any], properties: NamedDependency[PropertyService]
) -> PropertyOut:
    return property_out(await properties.create(request.user, msgspec.structs.asdict(data)))


@get(
    "/",
    summary="Search properties",
    description="Filter by type, city, price and size ranges; `q` searches name, description, address. Newest "
    "first. Custom attributes: `attr.<key>=<value>` (equal, compared as text: `attr.floors=12` matches 12 and "
    '"12"), `attr.<key>.min=<n>` / `attr.<key>.max=<n>` (numeric attributes only), at most 10. Distance: '
    "`near=<lat>,<lng>` with `radius_km` (default 10, at most 20,000): properties with coordinates within the "
    "radius, nearest first, each with `distance_km`.",
)
async def list_properties(
    request: Request[Principal, Any, Any],
    properties: NamedDependency[PropertyService],
    paging: PagingParams,
    q: Annotated[str | None, QueryParameter(max_length=200)] = None,
    property_type: FromQuery[PropertyType | None] = None,
    city: Annotated[str | None, QueryParameter(max_length=100)] = None,
    min_price: Annotated[int | None, QueryParameter(ge=0, le=10**14)] = None,
    max_price: Annotated[int | None, QueryParameter(ge=0, le=10**14)] = None,
    min_size: Annotated[int | None, QueryParameter(ge=0, le=10**9)] = None,
    max_size: Annotated[int | None, QueryParameter(ge=0, le=10**9)] = None,
    near: Annotated[
        str | None,
        QueryParameter(max_length=60, description="`latitude,longitude` to search around"),
    ] = None,
    radius_km: Annotated[
        float | None, QueryParameter(gt=0, le=20_000, description="Search radius around `near`, km (default 10)")
    ] = None,
) -> PropertyPageOut:
    filters = PropertyFilter(
        query=q,
        property_type=property_type,
        city=city,
        min_price=min_price,
        max_price=max_price,
        min_size=min_size,
        max_size=max_size,
        near=parse_near(near),
        radius_km=radius_km,
        **attribute_filters(request),
    )
    result = await properties.search(filters, page=paging.page, page_size=paging.page_size)
    return PropertyPageOut([property_out(p) for p in result.items], result.total, result.page, result.page_size)


@get(
    "/{property_id:uuid}",
    summary="A property",
)
async def get_property(property_id: FromPath[uuid.UUID], properties: NamedDependency[PropertyService]) -> PropertyOut:
    return property_out(await properties.get(property_id))


@patch(
    "/{property_id:uuid}",
    summary="Update a property",
    description="Admins and managers.",
)
async def patch_property(
    property_id: FromPath[uuid.UUID],
    data: JSONBody[PropertyPatch],
    request: Request[Principal, Any, Any],
    properties: NamedDependency[PropertyService],
) -> PropertyOut:
    changes = present_fields(data)
    return property_out(await properties.update(request.user, property_id, changes))


@delete(
    "/{property_id:uuid}",
    summary="Delete a property",
    status_code=HTTP_204_NO_CONTENT,
)
async def delete_property(
    property_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    properties: NamedDependency[PropertyService],
) -> None:
    await properties.delete(request.user, property_id)


@post(
    "/{property_id:uuid}/campaigns",
    summary="Start a marketing campaign for a property",
    description="Creates the campaign and queues AI headlines/descriptions from the property's details; track it via "
    "the campaign's `ai_status` or the returned generation.",
    status_code=HTTP_202_ACCEPTED,
    responses=problem_responses(402, 429),
)
async def launch_campaign(
    property_id: FromPath[uuid.UUID],
    data: JSONBody[LaunchIn],
    request: Request[Principal, Any, Any],
    property_marketing: NamedDependency[PropertyMarketing],
) -> LaunchOut:
    marketing: PropertyMarketing = property_marketing
    campaign, generation = await marketing.launch(
        request.user, property_id, name=data.name, description=data.description
    )
    return LaunchOut(campaign_out(campaign), generation_out(generation))


@post(
    "/{property_id:uuid}/campaigns/{campaign_id:uuid}/regenerate",
    summary="Re-run the AI marketing copy",
    status_code=HTTP_202_ACCEPTED,
    responses=problem_responses(402, 429),
)
async def regenerate(
    property_id: FromPath[uuid.UUID],
    campaign_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    property_marketing: NamedDependency[PropertyMarketing],
) -> GenerationOut:
    return generation_out(await property_marketing.regenerate(request.user, property_id, campaign_id))


@get(
    "/{property_id:uuid}/media/{media_id:uuid}",
    summary="A gallery image (signed URL)",
    description="Gallery files are visible to everyone who can read the property.",
)
async def property_media(
    property_id: FromPath[uuid.UUID],
    media_id: FromPath[uuid.UUID],
    properties: NamedDependency[PropertyService],
    media_service: NamedDependency[MediaService],
) -> MediaOut:
    prop = await properties.get(property_id)
    if media_id not in prop.media_ids:
        raise MediaNotFound()
    media, url, thumb = await media_service.get_shared_by(prop.owner_id, media_id)
    return media_out(media, url, thumb)


@put(
    "/{property_id:uuid}/gallery/cover",
    summary="Set the gallery's cover image",
    description="Moves an image of the gallery to the front: the first image is the cover. Admins and managers.",
)
async def set_cover(
    property_id: FromPath[uuid.UUID],
    data: JSONBody[CoverIn],
    request: Request[Principal, Any, Any],
    properties: NamedDependency[PropertyService],
) -> PropertyOut:
    return property_out(await properties.set_cover(request.user, property_id, data.media_id))


@put(
    "/{property_id:uuid}/gallery",
    summary="Reorder the gallery",
    description="`media_ids` lists every image of the gallery exactly once, in the new order (422 "
    "`gallery-order-invalid` otherwise; add images with PATCH `media_ids`, remove them with DELETE). "
    "Admins and managers.",
)
async def reorder_gallery(
    property_id: FromPath[uuid.UUID],
    data: JSONBody[GalleryOrderIn],
    request: Request[Principal, Any, Any],
    properties: NamedDependency[PropertyService],
) -> PropertyOut:
    return property_out(await properties.reorder_gallery(request.user, property_id, data.media_ids))


@delete(
    "/{property_id:uuid}/gallery/{media_id:uuid}",
    summary="Remove an image from the gallery",
    description="The file itself stays with its uploader. Admins and managers.",
    status_code=HTTP_200_OK,
)
async def remove_from_gallery(
    property_id: FromPath[uuid.UUID],
    media_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    properties: NamedDependency[PropertyService],
) -> PropertyOut:
    return property_out(await properties.remove_from_gallery(request.user, property_id, media_id))


def create_router() -> Router:
    return Router(
        path="/api/properties",
        tags=TAGS,
        route_handlers=[
            create_property,
            list_properties,
            get_property,
            patch_property,
            delete_property,
            launch_campaign,
            regenerate,
            property_media,
            set_cover,
            reorder_gallery,
            remove_from_gallery,
        ],
    )
