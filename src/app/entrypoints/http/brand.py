"""AdVenture brand kits: /api/users/me/brand-kit."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, get, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from app.domain.generation.brand import BrandService
from app.domain.generation.entities import BRAND_COLORS_MAX, BRAND_FONTS, BrandKit
from app.domain.kernel import Principal

FONTS_HELP = f"One of the shipped fonts: {', '.join(sorted(BRAND_FONTS))}."
Color = Annotated[str, msgspec.Meta(pattern=r"^#[0-9a-fA-F]{6}$", examples=["#0a7d5a"])]


class BrandKitIn(msgspec.Struct, forbid_unknown_fields=True):
    colors: Annotated[
        list[Color],
        msgspec.Meta(
            max_length=BRAND_COLORS_MAX, description="The first is the primary (headlines); the second body text."
        ),
    ] = msgspec.field(default_factory=list)
    heading_font: Annotated[str, msgspec.Meta(max_length=40, description=FONTS_HELP, examples=["Montserrat"])] = "Inter"
    body_font: Annotated[str, msgspec.Meta(max_length=40, description=FONTS_HELP, examples=["Open Sans"])] = "Inter"
    logo_media_id: Annotated[uuid.UUID, msgspec.Meta(description="One of your finished uploads")] | None = None


class BrandKitOut(msgspec.Struct):
    user_id: uuid.UUID
    colors: list[str]
    heading_font: str
    body_font: str
    logo_media_id: uuid.UUID | None
    updated_at: datetime | None
    fonts: Annotated[list[str], msgspec.Meta(description="The fonts a kit may name")] = msgspec.field(
        default_factory=lambda: sorted(BRAND_FONTS)
    )


def kit_out(kit: BrandKit) -> BrandKitOut:
    return BrandKitOut(
        user_id=kit.user_id,
        colors=kit.colors,
        heading_font=kit.heading_font,
        body_font=kit.body_font,
        logo_media_id=kit.logo_media_id,
        updated_at=kit.updated_at,
    )


@get("/me/brand-kit", summary="My brand kit", description="The defaults until one is saved.")
async def get_brand_kit(request: Request[Principal, Any, Any], brand: NamedDependency[BrandService]) -> BrandKitOut:
    return kit_out(await brand.get(request.user))


@put(
    "/me/brand-kit",
    summary="Save my brand kit",
    description="Colours, a heading and a body font from the shipped set, and a logo. AI generations on my "
    "campaigns set their text in these fonts and colours.",
)
async def put_brand_kit(
    data: JSONBody[BrandKitIn], request: Request[Principal, Any, Any], brand: NamedDependency[BrandService]
) -> BrandKitOut:
    kit = await brand.put(
        request.user,
        colors=data.colors,
        heading_font=data.heading_font,
        body_font=data.body_font,
        logo_media_id=data.logo_media_id,
    )
    return kit_out(kit)


def create_router() -> Router:
    return Router(path="/api/users", tags=["brand kit"], route_handlers=[get_brand_kit, put_brand_kit])
