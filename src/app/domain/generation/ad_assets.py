"""A campaign's responsive search ad assets (CRE Studio): the headlines and descriptions an AI run wrote, which
people then edit, pin to positions (headlines 1-3, descriptions 1-2, as Google Ads pins) and lock so the next
run keeps them. The Google Ads limits hold for every change: 3-15 headlines of at most 30 characters, 2-4
descriptions of at most 90."""

from __future__ import annotations

import csv
import io
import uuid

from app.core.clock import Clock
from app.core.errors import FieldError, ValidationFailed
from app.domain.campaigns.entities import Campaign
from app.domain.campaigns.services import campaign_for
from app.domain.generation.entities import (
    DESCRIPTION_MAX,
    DESCRIPTION_PINS,
    DESCRIPTIONS_MAX_COUNT,
    DESCRIPTIONS_MIN_COUNT,
    HEADLINE_MAX,
    HEADLINE_PINS,
    HEADLINES_MAX_COUNT,
    HEADLINES_MIN_COUNT,
    AdAsset,
    AdAssets,
)
from app.domain.generation.ports import GenerationUnitOfWork, GenerationUnitOfWorkFactory
from app.domain.kernel import Principal


def check_assets(headlines: list[AdAsset], descriptions: list[AdAsset]) -> None:
    errors: list[FieldError] = []
    for name, items, low, high, longest, pins in (
        ("headlines", headlines, HEADLINES_MIN_COUNT, HEADLINES_MAX_COUNT, HEADLINE_MAX, HEADLINE_PINS),
        (
            "descriptions",
            descriptions,
            DESCRIPTIONS_MIN_COUNT,
            DESCRIPTIONS_MAX_COUNT,
            DESCRIPTION_MAX,
            DESCRIPTION_PINS,
        ),
    ):
        if not low <= len(items) <= high:
            errors.append(FieldError(name, f"give {low} to {high}"))
        seen: set[str] = set()
        for n, item in enumerate(items):
            text = item.text.strip()
            if not text or len(text) > longest:
                errors.append(FieldError(f"{name}[{n}].text", f"1 to {longest} characters"))
            elif text.lower() in seen:
                errors.append(FieldError(f"{name}[{n}].text", "repeats another one"))
            seen.add(text.lower())
            if item.pin is not None and item.pin not in pins:
                errors.append(FieldError(f"{name}[{n}].pin", f"one of {', '.join(map(str, pins))}, or null"))
    if errors:
        raise ValidationFailed("The ad assets break the responsive search ad rules.", errors=errors)


def merged_with_run(current: AdAssets | None, new_headlines: list[str], new_descriptions: list[str]) -> AdAssets:
    """What a finished AI run leaves: the locked items as they were (first, with their pins), then the run's
    new texts up to the limits, skipping any a locked item already says."""
    if current is None:
        return AdAssets(
            campaign_id=uuid.UUID(int=0),
            headlines=[AdAsset(text=t) for t in new_headlines[:HEADLINES_MAX_COUNT]],
            descriptions=[AdAsset(text=t) for t in new_descriptions[:DESCRIPTIONS_MAX_COUNT]],
        )

    def merge(kept: list[AdAsset], fresh: list[str], limit: int) -> list[AdAsset]:
        locked = [a for a in kept if a.locked]
        said = {a.text.lower() for a in locked}
        return locked + [AdAsset(text=t) for t in fresh if t.lower() not in said][: max(0, limit - len(locked))]

    return AdAssets(
        campaign_id=current.campaign_id,
        headlines=merge(current.headlines, new_headlines, HEADLINES_MAX_COUNT),
        descriptions=merge(current.descriptions, new_descriptions, DESCRIPTIONS_MAX_COUNT),
    )


def google_ads_editor_csv(campaign: Campaign, assets: AdAssets, *, ad_group: str = "Ad group 1") -> str:
    """One responsive search ad row in the Google Ads Editor import layout: `Headline n` / `Headline n position`
    for 15 headlines, `Description n` / `Description n position` for 4 descriptions."""
    header = ["Campaign", "Ad group", "Ad type"]
    row = [campaign.name, ad_group, "Responsive search ad"]
    for label, items, count in (
        ("Headline", assets.headlines, HEADLINES_MAX_COUNT),
        ("Description", assets.descriptions, DESCRIPTIONS_MAX_COUNT),
    ):
        for n in range(1, count + 1):
            item = items[n - 1] if n <= len(items) else None
            header += [f"{label} {n}", f"{label} {n} position"]
            row += [item.text if item else "", str(item.pin) if item and item.pin else ""]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow(row)
    return out.getvalue()


class AdAssetService:
    def __init__(self, *, uow: GenerationUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def _campaign(
        self, uow: GenerationUnitOfWork, principal: Principal, campaign_id: uuid.UUID, *, edit: bool = False
    ) -> Campaign:
        return await campaign_for(uow.campaigns, principal, campaign_id, edit=edit, lock=edit)

    async def get(self, principal: Principal, campaign_id: uuid.UUID) -> AdAssets:
        async with self._uow() as uow:
            await self._campaign(uow, principal, campaign_id)
            return await uow.ad_assets.get(campaign_id) or AdAssets(campaign_id=campaign_id)

    async def replace(
        self, principal: Principal, campaign_id: uuid.UUID, headlines: list[AdAsset], descriptions: list[AdAsset]
    ) -> AdAssets:
        for item in (*headlines, *descriptions):
            item.text = item.text.strip()
        check_assets(headlines, descriptions)
        async with self._uow() as uow:
            await self._campaign(uow, principal, campaign_id, edit=True)
            assets = AdAssets(
                campaign_id=campaign_id, headlines=headlines, descriptions=descriptions, updated_at=self._clock.now()
            )
            await uow.ad_assets.put(assets)
            await uow.commit()
        return assets

    async def csv(self, principal: Principal, campaign_id: uuid.UUID) -> str:
        async with self._uow() as uow:
            campaign = await self._campaign(uow, principal, campaign_id)
            assets = await uow.ad_assets.get(campaign_id) or AdAssets(campaign_id=campaign_id)
        return google_ads_editor_csv(campaign, assets)
