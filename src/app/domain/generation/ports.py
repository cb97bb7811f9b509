from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from app.domain.campaigns.ports import CampaignRepository
from app.domain.gamification.ports import CreditsRepository
from app.domain.generation.entities import AdAssets, BrandKit, Generation
from app.domain.kernel import UnitOfWork
from app.domain.media.ports import UploadedFiles


class TextGenerator(Protocol):
    async def complete(self, *, system: str, prompt: str, max_tokens: int = 800) -> str:
        """Return the model's text; raise ProviderFailed on any provider error."""


class ImageGenerator(Protocol):
    async def generate(self, *, prompt: str, width: int, height: int) -> bytes:
        """Return PNG bytes; raise ProviderFailed on any provider error."""


class GenerationRepository(Protocol):
    async def add(self, generation: Generation) -> None: ...

    async def get(self, generation_id: uuid.UUID, *, for_update: bool = False) -> Generation | None: ...

    async def update(self, generation: Generation) -> None: ...

    async def list_for_campaign(self, campaign_id: uuid.UUID, *, limit: int) -> list[Generation]: ...


class AiUsage(Protocol):
    async def lock_and_count_since(self, user_id: uuid.UUID, since: datetime) -> tuple[int, datetime | None]:
        """Serialise quota checks per user (transaction lock); return how many AI requests
        (generations and template runs) the user made since `since`, and the oldest one's time."""


class AdAssetRepository(Protocol):
    async def get(self, campaign_id: uuid.UUID) -> AdAssets | None: ...

    async def put(self, assets: AdAssets) -> None: ...


class BrandKits(Protocol):
    async def get(self, user_id: uuid.UUID) -> BrandKit | None: ...

    async def put(self, kit: BrandKit) -> None: ...


class GenerationUnitOfWork(UnitOfWork, Protocol):
    campaigns: CampaignRepository
    generations: GenerationRepository
    usage: AiUsage
    credits: CreditsRepository
    ad_assets: AdAssetRepository
    brand_kits: BrandKits
    uploads: UploadedFiles


GenerationUnitOfWorkFactory = Callable[[], GenerationUnitOfWork]
