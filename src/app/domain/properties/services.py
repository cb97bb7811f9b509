"""Property use cases. Role rules (CRE Studio): admins and managers create and edit,
everyone signed in reads (viewers included)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from app.core.clock import Clock
from app.core.errors import AppError, FieldError, ValidationFailed
from app.core.ids import new_id
from app.domain.accounts.errors import RoleRequired
from app.domain.campaigns.entities import NAME_MAX_LENGTH, Campaign
from app.domain.campaigns.errors import CampaignNotFound
from app.domain.campaigns.services import CampaignService, NewCampaign
from app.domain.generation.entities import CopyPart, Generation, GenerationKind
from app.domain.generation.services import GenerationService
from app.domain.kernel import Page, Principal, Role
from app.domain.properties.entities import MAX_RADIUS_KM, Property, PropertyFilter
from app.domain.properties.errors import GalleryOrderInvalid, NotInGallery, PropertyNotFound
from app.domain.properties.ports import PropertiesUnitOfWork, PropertyQueries

EDITORS = frozenset({Role.ADMIN, Role.MANAGER})
_EDITABLE = {
    "name",
    "property_type",
    "city",
    "description",
    "address",
    "country",
    "price_minor",
    "currency",
    "size_sqft",
    "attributes",
    "media_ids",
    "latitude",
    "longitude",
}


def _require_editor(principal: Principal) -> None:
    if principal.role not in EDITORS:
        raise RoleRequired("Only admins and managers change properties.")


def _gallery(media_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Each image has one place in a gallery (the first given is kept)."""
    return list(dict.fromkeys(media_ids))


def _check_geo_filter(filters: PropertyFilter) -> None:
    errors = []
    if filters.near is not None:
        lat, lng = filters.near
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            errors.append(FieldError("near", "latitude must be within ±90 and longitude within ±180"))
        if filters.radius_km is not None and not 0 < filters.radius_km <= MAX_RADIUS_KM:
            errors.append(FieldError("radius_km", f"must be above 0 and at most {MAX_RADIUS_KM:g}"))
    elif filters.radius_km is not None:
        errors.append(FieldError("radius_km", "needs `near`"))
    if errors:
        raise ValidationFailed("The distance search is not valid.", errors=errors)


def _check(prop: Property) -> None:
    errors = []
    if prop.price_minor is not None and prop.price_minor < 0:
        errors.append(FieldError("price_minor", "must not be negative"))
    if prop.size_sqft is not None and prop.size_sqft <= 0:
        errors.append(FieldError("size_sqft", "must be positive"))
    if (prop.latitude is None) != (prop.longitude is None):
        errors.append(FieldError("latitude" if prop.latitude is None else "longitude", "give both coordinates or none"))
    if prop.latitude is not None and not -90 <= prop.latitude <= 90:
        errors.append(FieldError("latitude", "must be between -90 and 90"))
    if prop.longitude is not None and not -180 <= prop.longitude <= 180:
        errors.append(FieldError("longitude", "must be between -180 and 180"))
    if errors:
        raise ValidationFailed("The property is not valid.", errors=errors)


class PropertyService:
    def __init__(self, *, uow: Callable[[], PropertiesUnitOfWork], queries: PropertyQueries, clock: Clock) -> None:
        self._uow = uow
        self._queries = queries
        self._clock = clock

    async def create(self, principal: Principal, data: dict[str, Any]) -> Property:
        _require_editor(principal)
        now = self._clock.now()
        prop = Property(id=new_id(), owner_id=principal.user_id, created_at=now, updated_at=now, **data)
        prop.media_ids = _gallery(prop.media_ids)
        _check(prop)
        async with self._uow() as uow:
            await uow.properties.add(prop)
            await uow.commit()
        return prop

    async def get(self, property_id: uuid.UUID) -> Property:
        async with self._uow() as uow:
            prop = await uow.properties.get(property_id)
        if prop is None:
            raise PropertyNotFound("Property not found.")
        return prop

    async def search(self, filters: PropertyFilter, *, page: int, page_size: int) -> Page[Property]:
        if filters.min_price is not None and filters.max_price is not None and filters.min_price > filters.max_price:
            raise ValidationFailed("min_price is above max_price.", errors=[FieldError("min_price", "above max_price")])
        if filters.min_size is not None and filters.max_size is not None and filters.min_size > filters.max_size:
            raise ValidationFailed("min_size is above max_size.", errors=[FieldError("min_size", "above max_size")])
        _check_geo_filter(filters)
        return await self._queries.search(filters, page=page, page_size=page_size)

    async def update(self, principal: Principal, property_id: uuid.UUID, changes: dict[str, Any]) -> Property:
        _require_editor(principal)
        unknown = set(changes) - _EDITABLE
        if unknown:
            raise ValidationFailed(
                "These fields cannot be changed.", errors=[FieldError(f, "not editable") for f in sorted(unknown)]
            )
        if "media_ids" in changes:
            changes["media_ids"] = _gallery(changes["media_ids"])
        async with self._uow() as uow:  # read and write in one transaction: no lost update
            prop = await self._locked(uow, property_id)
            for name, value in changes.items():
                setattr(prop, name, value)
            prop.updated_at = self._clock.now()
            _check(prop)
            await uow.properties.update(prop)
            await uow.commit()
        return prop

    async def _locked(self, uow: PropertiesUnitOfWork, property_id: uuid.UUID) -> Property:
        prop = await uow.properties.get(property_id, for_update=True)
        if prop is None:
            raise PropertyNotFound("Property not found.")
        return prop

    # -- the gallery: `media_ids` in order, the first one the cover ---------------
    async def _change_gallery(
        self, principal: Principal, property_id: uuid.UUID, change: Callable[[list[uuid.UUID]], list[uuid.UUID]]
    ) -> Property:
        _require_editor(principal)
        async with self._uow() as uow:
            prop = await self._locked(uow, property_id)
            prop.media_ids = change(list(prop.media_ids))
            prop.updated_at = self._clock.now()
            await uow.properties.update(prop)
            await uow.commit()
        return prop

    async def set_cover(self, principal: Principal, property_id: uuid.UUID, media_id: uuid.UUID) -> Property:
        def cover(gallery: list[uuid.UUID]) -> list[uuid.UUID]:
            if media_id not in gallery:
                raise NotInGallery()
            return [media_id, *(m for m in gallery if m != media_id)]

        return await self._change_gallery(principal, property_id, cover)

    async def reorder_gallery(
        self, principal: Principal, property_id: uuid.UUID, media_ids: list[uuid.UUID]
    ) -> Property:
        def reorder(gallery: list[uuid.UUID]) -> list[uuid.UUID]:
            if len(set(media_ids)) != len(media_ids) or set(media_ids) != set(gallery):
                raise GalleryOrderInvalid(
                    "Give every image of the gallery exactly once, in the new order.",
                    errors=[FieldError("media_ids", "must list the gallery's images, each once")],
                )
            return list(media_ids)

        return await self._change_gallery(principal, property_id, reorder)

    async def remove_from_gallery(self, principal: Principal, property_id: uuid.UUID, media_id: uuid.UUID) -> Property:
        def remove(gallery: list[uuid.UUID]) -> list[uuid.UUID]:
            if media_id not in gallery:
                raise NotInGallery()
            return [m for m in gallery if m != media_id]

        return await self._change_gallery(principal, property_id, remove)

    async def delete(self, principal: Principal, property_id: uuid.UUID) -> None:
        _require_editor(principal)
        async with self._uow() as uow:
            if not await uow.properties.delete(property_id):
                raise PropertyNotFound("Property not found.")
            await uow.commit()


def marketing_brief(prop: Property) -> str:
    parts = [f"{prop.property_type.value.replace('_', ' ')} property in {prop.city}"]
    if prop.size_sqft:
        parts.append(f"{prop.size_sqft:,} sq ft")
    if prop.address:
        parts.append(prop.address)
    if prop.description:
        parts.append(prop.description[:1000])
    return ". ".join(parts)


def default_campaign_name(property_name: str) -> str:
    """ "<property> campaign", the property's name shortened so the whole fits a campaign name."""
    suffix = " campaign"
    return property_name[: NAME_MAX_LENGTH - len(suffix)].rstrip() + suffix


class PropertyMarketing:
    """CRE Studio: a campaign for a property starts AI marketing copy right away (as a job)."""

    def __init__(
        self, *, properties: PropertyService, campaigns: CampaignService, generations: GenerationService
    ) -> None:
        self._properties = properties
        self._campaigns = campaigns
        self._generations = generations

    async def launch(
        self, principal: Principal, property_id: uuid.UUID, *, name: str, description: str = ""
    ) -> tuple[Campaign, Generation]:
        prop = await self._properties.get(property_id)
        campaign = await self._campaigns.create(
            principal,
            NewCampaign(name=name or default_campaign_name(prop.name), description=description, property_id=prop.id),
        )
        generation = await self._generations.request(
            principal, campaign.id, GenerationKind.AD_COPY, marketing_brief(prop)
        )
        return campaign, generation

    async def create_campaign(self, principal: Principal, data: NewCampaign) -> Campaign:
        """A campaign for a property starts its AI copy at once (`ai_status: pending`). When the AI run cannot
        start (quota, credits), the campaign stands with `ai_status: idle`; `process_ai_content` says why."""
        campaign = await self._campaigns.create(principal, data)
        if campaign.property_id is None:
            return campaign
        prop = await self._properties.get(campaign.property_id)
        try:
            await self._generations.request(principal, campaign.id, GenerationKind.AD_COPY, marketing_brief(prop))
        except AppError:
            return campaign
        return await self._campaigns.get(principal, campaign.id)

    async def process_ai_content(
        self, principal: Principal, campaign_id: uuid.UUID, *, only: CopyPart | None = None
    ) -> Generation:
        """(Re)run the campaign's AI copy: from its property's brief, or its own description. 409 while a run is
        pending or in progress; `only` regenerates the headlines or the descriptions and keeps the other."""
        campaign = await self._campaigns.get(principal, campaign_id)
        if campaign.property_id is not None:
            brief = marketing_brief(await self._properties.get(campaign.property_id))
        else:
            brief = f"{campaign.name}. {campaign.description}".strip()[:4000]
        return await self._generations.request(
            principal, campaign.id, GenerationKind.AD_COPY, brief, only=only, if_idle=True
        )

    async def regenerate(self, principal: Principal, property_id: uuid.UUID, campaign_id: uuid.UUID) -> Generation:
        prop = await self._properties.get(property_id)
        campaign = await self._campaigns.get(principal, campaign_id)
        if campaign.property_id != prop.id:
            raise CampaignNotFound()
        return await self._generations.request(principal, campaign.id, GenerationKind.AD_COPY, marketing_brief(prop))
