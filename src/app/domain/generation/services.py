"""Generation use cases: request (quota, outbox), run (job), read.

A run marks the generation `processing`, calls the providers, stores images in
object storage, lands results as canvas layers and ends `completed`. A failed
attempt goes back to `pending` (the job retries); the last failed attempt ends
`failed` with the reason, so nothing stays `processing`.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.core.clock import Clock
from app.core.errors import FieldError, ValidationFailed
from app.core.ids import new_id
from app.domain.billing.entities import ResultsLock
from app.domain.billing.ports import Entitlements
from app.domain.campaigns.entities import AiStatus, Campaign
from app.domain.campaigns.errors import CampaignNotFound, CampaignReadOnly
from app.domain.campaigns.services import can_edit, can_read
from app.domain.canvas.errors import CanvasOpRejected
from app.domain.canvas.ports import EventPublisher, room_channel
from app.domain.canvas.services import CanvasService
from app.domain.gamification.services import charge_ai_run
from app.domain.generation.ad_assets import merged_with_run
from app.domain.generation.entities import (
    DESCRIPTION_MAX,
    DESCRIPTIONS_MAX_COUNT,
    HEADLINE_MAX,
    HEADLINES_MAX_COUNT,
    AdCopy,
    BrandKit,
    CopyPart,
    Generation,
    GenerationKind,
    GenerationStatus,
    repair_ad_copy,
)
from app.domain.generation.errors import AiQuotaExceeded, AiRunInProgress, GenerationNotFound, ProviderFailed
from app.domain.generation.ports import (
    AiUsage,
    GenerationUnitOfWorkFactory,
    ImageGenerator,
    TextGenerator,
)
from app.domain.kernel import Principal
from app.domain.media.ports import ObjectStorage
from app.domain.outbox import RunGeneration

QUOTA_WINDOW = timedelta(hours=1)
AD_COPY_MODEL_TRIES = 3

AD_COPY_SYSTEM = (
    "You write Google Ads responsive search ads. Answer with JSON only: "
    f'{{"headlines": [...], "descriptions": [...]}}. Up to {HEADLINES_MAX_COUNT} headlines of at most '
    f"{HEADLINE_MAX} characters and up to {DESCRIPTIONS_MAX_COUNT} descriptions of at most {DESCRIPTION_MAX} "
    "characters. Count characters carefully; never exceed the limits."
)


async def enforce_ai_quota(usage: AiUsage, user_id: uuid.UUID, *, now: datetime, per_hour: int) -> None:
    """Raise AiQuotaExceeded (429 + Retry-After) when the user used up the hourly AI requests.
    Call inside the transaction that records the new request: the count is locked per user."""
    used, oldest = await usage.lock_and_count_since(user_id, now - QUOTA_WINDOW)
    if used >= per_hour:
        wait = (oldest + QUOTA_WINDOW - now).total_seconds() if oldest else QUOTA_WINDOW.total_seconds()
        raise AiQuotaExceeded(per_hour, max(1, math.ceil(wait)))


@dataclass(frozen=True, slots=True)
class GenerationPolicy:
    quota_per_hour: int = 50


def _ad_copy_prompt(campaign: Campaign, brief: str) -> str:
    return f"Product: {campaign.name}\nDescription: {campaign.description[:1000]}\nBrief: {brief[:2000]}"


def _parse_copy(text: str) -> tuple[list[str], list[str]]:
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if not match:
        return [], []
    try:
        data = json.loads(match.group(0))
    except ValueError:
        return [], []
    if not isinstance(data, dict):
        return [], []
    headlines = [h for h in data.get("headlines", []) if isinstance(h, str)]
    descriptions = [d for d in data.get("descriptions", []) if isinstance(d, str)]
    return headlines, descriptions


def _hide_locked(generations: list[Generation], lock: ResultsLock) -> list[Generation]:
    """Locked results (freemium: guests before an ad view) are emptied and flagged, on every read path."""
    for generation in generations:
        if generation.status is GenerationStatus.COMPLETED and lock.locks(generation.created_at):
            generation.result = {}
            generation.result_locked = True
    return generations


class GenerationService:
    def __init__(
        self,
        *,
        uow: GenerationUnitOfWorkFactory,
        text: TextGenerator,
        images: ImageGenerator,
        canvas: CanvasService,
        storage: ObjectStorage,
        events: EventPublisher,
        clock: Clock,
        policy: GenerationPolicy,
        entitlements: Entitlements,
    ) -> None:
        self._uow = uow
        self._text = text
        self._images = images
        self._canvas = canvas
        self._storage = storage
        self._events = events
        self._clock = clock
        self._policy = policy
        self._entitlements = entitlements

    # -- requests ----------------------------------------------------------------
    async def request(
        self,
        principal: Principal,
        campaign_id: uuid.UUID,
        kind: GenerationKind,
        brief: str,
        *,
        only: CopyPart | None = None,
        if_idle: bool = False,
    ) -> Generation:
        """`only` regenerates one part of the ad copy; `if_idle` refuses (409) while a run is pending or running."""
        if len(brief) > 4000:
            raise ValidationFailed("The brief is too long.", errors=[FieldError("brief", "at most 4000 characters")])
        if only is not None and kind is not GenerationKind.AD_COPY:
            raise ValidationFailed("`only` is for ad copy.", errors=[FieldError("only", "needs kind ad_copy")])
        async with self._uow() as uow:
            campaign = await uow.campaigns.get(campaign_id, for_update=True)
            if campaign is None or not can_read(principal, campaign):
                raise CampaignNotFound()
            if not can_edit(principal, campaign):
                raise CampaignReadOnly()
            if if_idle and campaign.ai_status in (AiStatus.PENDING, AiStatus.PROCESSING):
                raise AiRunInProgress()
            now = self._clock.now()
            await enforce_ai_quota(uow.usage, principal.user_id, now=now, per_hour=self._policy.quota_per_hour)
            generation = Generation(
                id=new_id(),
                campaign_id=campaign_id,
                user_id=principal.user_id,
                kind=kind,
                brief=brief.strip(),
                only=only,
                created_at=now,
                updated_at=now,
            )
            await uow.generations.add(generation)
            await charge_ai_run(uow.credits, principal.user_id, reference=f"generation:{generation.id}")
            uow.outbox.add(RunGeneration(generation.id))
            campaign.ai_status = AiStatus.PENDING
            campaign.updated_at = now
            await uow.campaigns.update(campaign)
            await uow.commit()
        await self._announce(generation)
        return generation

    async def get(self, principal: Principal, generation_id: uuid.UUID) -> Generation:
        async with self._uow() as uow:
            generation = await uow.generations.get(generation_id)
            campaign = await uow.campaigns.get(generation.campaign_id) if generation else None
        if generation is None or campaign is None or not can_read(principal, campaign):
            raise GenerationNotFound()
        return _hide_locked([generation], await self._entitlements.results_lock(principal))[0]

    async def list_for_campaign(
        self, principal: Principal, campaign_id: uuid.UUID, *, limit: int = 50
    ) -> list[Generation]:
        async with self._uow() as uow:
            campaign = await uow.campaigns.get(campaign_id)
            if campaign is None or not can_read(principal, campaign):
                raise CampaignNotFound()
            generations = await uow.generations.list_for_campaign(campaign_id, limit=limit)
        return _hide_locked(generations, await self._entitlements.results_lock(principal))

    # -- the job -------------------------------------------------------------------
    async def run(self, generation_id: uuid.UUID, *, final_attempt: bool) -> GenerationStatus | None:
        started = await self._transition(
            generation_id, GenerationStatus.PROCESSING, AiStatus.PROCESSING, count_attempt=True
        )
        if started is None:
            return None  # deleted, or already finished by an earlier attempt
        generation, campaign = started
        try:
            result = await self._produce(generation, campaign)
        except Exception as exc:
            reason = exc.detail if isinstance(exc, ProviderFailed) else f"{type(exc).__name__}: {exc}"
            if final_attempt:
                await self._transition(generation_id, GenerationStatus.FAILED, AiStatus.FAILED, error=reason)
                return GenerationStatus.FAILED
            await self._transition(
                generation_id,
                GenerationStatus.PENDING,
                AiStatus.PENDING,
                error=f"attempt {generation.attempts} failed: {reason}",
            )
            raise
        await self._transition(generation_id, GenerationStatus.COMPLETED, AiStatus.COMPLETED, result=result)
        return GenerationStatus.COMPLETED

    async def _transition(
        self,
        generation_id: uuid.UUID,
        status: GenerationStatus,
        ai_status: AiStatus,
        *,
        count_attempt: bool = False,
        error: str = "",
        result: dict[str, Any] | None = None,
    ) -> tuple[Generation, Campaign] | None:
        async with self._uow() as uow:
            generation = await uow.generations.get(generation_id, for_update=True)
            if generation is None or generation.status in (GenerationStatus.COMPLETED, GenerationStatus.FAILED):
                return None
            campaign = await uow.campaigns.get(generation.campaign_id, for_update=True)
            if campaign is None:
                return None
            now = self._clock.now()
            generation.status = status
            generation.error = error[:2000]
            generation.updated_at = now
            if count_attempt:
                generation.attempts += 1
            if result is not None:
                generation.result = result
            if status in (GenerationStatus.COMPLETED, GenerationStatus.FAILED):
                generation.completed_at = now
            campaign.ai_status = ai_status
            campaign.updated_at = now
            if status is GenerationStatus.COMPLETED and result and "ad_copy" in result:
                # The campaign's editable assets take the new copy, keeping what people locked.
                copy = result["ad_copy"]
                assets = merged_with_run(await uow.ad_assets.get(campaign.id), copy["headlines"], copy["descriptions"])
                assets.campaign_id, assets.updated_at = campaign.id, now
                await uow.ad_assets.put(assets)
            await uow.generations.update(generation)
            await uow.campaigns.update(campaign)
            await uow.commit()
        await self._announce(generation)
        return generation, campaign

    async def _announce(self, generation: Generation) -> None:
        """Progress for editors in the campaign's room (best effort: the row is the truth)."""
        with contextlib.suppress(Exception):  # a missed progress event is harmless
            await self._events.publish(
                room_channel(generation.campaign_id),
                {
                    "type": "generation",
                    "generation_id": str(generation.id),
                    "kind": generation.kind.value,
                    "status": generation.status.value,
                    "error": generation.error or None,
                },
            )

    async def _produce(self, generation: Generation, campaign: Campaign) -> dict[str, Any]:
        result: dict[str, Any] = {}
        document = await self._canvas.document_for_system(campaign.id)
        width, height = document.width, document.height
        if generation.kind in (GenerationKind.BACKGROUND, GenerationKind.FULL_AD):
            prompt = f"Advertising background for {campaign.name}. {generation.brief}".strip()
            key = await self._image(generation, "background", prompt, width, height)
            result["background"] = {"object_key": key}
            await self._layer(
                generation,
                "background",
                "image",
                {"x": 0, "y": 0, "width": width, "height": height, "object_key": key},
                index=0,
            )
        if generation.kind is GenerationKind.PRODUCT_IMAGE:
            prompt = f"Product photo of {campaign.name} on a clean backdrop. {generation.brief}".strip()
            side = min(width, height) // 2
            key = await self._image(generation, "product", prompt, side, side)
            result["product_image"] = {"object_key": key}
            await self._layer(
                generation,
                "product",
                "image",
                {"x": (width - side) / 2, "y": (height - side) / 2, "width": side, "height": side, "object_key": key},
            )
        if generation.kind in (GenerationKind.AD_COPY, GenerationKind.FULL_AD):
            async with self._uow() as uow:  # the campaign owner's brand sets the text's font and colour
                brand = await uow.brand_kits.get(campaign.owner_id) or BrandKit(user_id=campaign.owner_id)
            copy = await self._ad_copy(campaign, generation.brief)
            headlines, descriptions = copy.headlines, copy.descriptions
            if generation.only is not None:  # the other part stays as the last completed run left it
                kept = await self._last_ad_copy(generation)
                if generation.only is CopyPart.HEADLINES:
                    descriptions = kept.get("descriptions", descriptions)
                else:
                    headlines = kept.get("headlines", headlines)
            result["ad_copy"] = {"headlines": headlines, "descriptions": descriptions}
            if generation.only in (None, CopyPart.HEADLINES):
                await self._layer(
                    generation,
                    "headline",
                    "text",
                    {"x": 40, "y": 40, "text": headlines[0], "fontSize": 64, **brand.text_style("heading")},
                )
            if generation.only in (None, CopyPart.DESCRIPTIONS):
                await self._layer(
                    generation,
                    "description",
                    "text",
                    {"x": 40, "y": 130, "text": descriptions[0], "fontSize": 32, **brand.text_style("body")},
                )
        return result

    async def _last_ad_copy(self, generation: Generation) -> dict[str, Any]:
        async with self._uow() as uow:
            earlier = await uow.generations.list_for_campaign(generation.campaign_id, limit=50)
        for g in earlier:
            if g.id != generation.id and g.status is GenerationStatus.COMPLETED and "ad_copy" in g.result:
                return dict(g.result["ad_copy"])
        return {}

    async def _ad_copy(self, campaign: Campaign, brief: str) -> AdCopy:
        prompt = _ad_copy_prompt(campaign, brief)
        for _ in range(AD_COPY_MODEL_TRIES):
            headlines, descriptions = _parse_copy(await self._text.complete(system=AD_COPY_SYSTEM, prompt=prompt))
            copy = repair_ad_copy(headlines, descriptions)
            if copy is not None:
                return copy
            prompt += "\nYour previous answer broke the format or the length limits. Follow them exactly."
        raise ProviderFailed(f"The text model gave no usable ad copy in {AD_COPY_MODEL_TRIES} tries.")

    async def _image(self, generation: Generation, name: str, prompt: str, width: int, height: int) -> str:
        png = await self._images.generate(prompt=prompt, width=width, height=height)
        key = f"campaigns/{generation.campaign_id}/generations/{generation.id}/{name}.png"
        await self._storage.put(key, png, content_type="image/png")
        return key

    async def _layer(
        self, generation: Generation, name: str, kind: str, props: dict[str, Any], index: int | None = None
    ) -> None:
        layer_id = f"gen-{generation.id.hex[:12]}-{name}"
        op: dict[str, Any] = {"kind": "add_layer", "layer": {"id": layer_id, "type": kind, "props": props}}
        if index is not None:
            op["index"] = index
        try:
            await self._canvas.apply_as_system(
                generation.campaign_id, op, user_id=generation.user_id, client_op_id=f"generation:{layer_id}"
            )
        except CanvasOpRejected as exc:
            if exc.code != "duplicate-layer":  # an earlier attempt already placed it: fine
                raise
