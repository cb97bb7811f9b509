"""A campaign's editable responsive search ad assets: /api/campaigns/{id}/ad-copy (JSON) and .../ad-copy.csv."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, Router, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.core.filenames import content_disposition
from app.domain.generation.ad_assets import AdAssetService
from app.domain.generation.entities import (
    DESCRIPTION_MAX,
    DESCRIPTIONS_MAX_COUNT,
    HEADLINE_MAX,
    HEADLINES_MAX_COUNT,
    AdAsset,
    AdAssets,
)
from app.domain.kernel import Principal

TAGS = ["campaign ad copy"]


class HeadlineIn(msgspec.Struct, forbid_unknown_fields=True):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=HEADLINE_MAX, examples=["Riverside offices, 40% off"])]
    pin: Annotated[int, msgspec.Meta(ge=1, le=3, description="Headline position 1-3; null: any")] | None = None
    locked: Annotated[bool, msgspec.Meta(description="Kept as it is by the next AI run")] = False


class DescriptionIn(msgspec.Struct, forbid_unknown_fields=True):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=DESCRIPTION_MAX)]
    pin: Annotated[int, msgspec.Meta(ge=1, le=2, description="Description position 1-2; null: any")] | None = None
    locked: bool = False


class AdAssetsIn(msgspec.Struct, forbid_unknown_fields=True):
    headlines: Annotated[list[HeadlineIn], msgspec.Meta(min_length=3, max_length=HEADLINES_MAX_COUNT)]
    descriptions: Annotated[list[DescriptionIn], msgspec.Meta(min_length=2, max_length=DESCRIPTIONS_MAX_COUNT)]


class AdAssetOut(msgspec.Struct):
    text: str
    pin: int | None
    locked: bool


class AdAssetsOut(msgspec.Struct):
    campaign_id: uuid.UUID
    headlines: list[AdAssetOut]
    descriptions: list[AdAssetOut]
    updated_at: datetime | None


def assets_out(assets: AdAssets) -> AdAssetsOut:
    return msgspec.convert(assets, AdAssetsOut, from_attributes=True)


@get(
    "/{campaign_id:uuid}/ad-copy",
    summary="The campaign's responsive search ad assets",
    description="Headlines and descriptions as the last AI run left them and people edited them, with pins and "
    "locks. Empty until a first run (or a PUT).",
)
async def get_ad_copy(
    campaign_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], ad_assets: NamedDependency[AdAssetService]
) -> AdAssetsOut:
    return assets_out(await ad_assets.get(request.user, campaign_id))


@put(
    "/{campaign_id:uuid}/ad-copy",
    summary="Edit, pin and lock the ad assets",
    description="Replaces the whole set: 3-15 headlines (at most 30 characters, pins 1-3), 2-4 descriptions (at "
    "most 90, pins 1-2), no repeats. Locked items survive the next AI run (`process-ai-content`); the rest is "
    "replaced by its new texts. Editors.",
)
async def put_ad_copy(
    campaign_id: FromPath[uuid.UUID],
    data: JSONBody[AdAssetsIn],
    request: Request[Principal, Any, Any],
    ad_assets: NamedDependency[AdAssetService],
) -> AdAssetsOut:
    headlines = [AdAsset(text=h.text, pin=h.pin, locked=h.locked) for h in data.headlines]
    descriptions = [AdAsset(text=d.text, pin=d.pin, locked=d.locked) for d in data.descriptions]
    return assets_out(await ad_assets.replace(request.user, campaign_id, headlines, descriptions))


@get(
    "/{campaign_id:uuid}/ad-copy.csv",
    summary="The ad assets for Google Ads Editor (CSV)",
    description="One responsive search ad row: Campaign, Ad group, Ad type, then `Headline n` / `Headline n "
    "position` for 15 headlines and `Description n` / `Description n position` for 4 descriptions.",
    media_type="text/csv",
)
async def ad_copy_csv(
    campaign_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], ad_assets: NamedDependency[AdAssetService]
) -> Response[str]:
    body = await ad_assets.csv(request.user, campaign_id)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition(f"campaign-{campaign_id}-ad-copy.csv")},
    )


def campaign_router() -> Router:
    """Mounted under /api/campaigns."""
    return Router(path="/", tags=TAGS, route_handlers=[get_ad_copy, put_ad_copy, ad_copy_csv])
