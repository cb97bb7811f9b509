"""Postgres implementation of the generation ports."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec
from sqlalchemy import func, select, text, union_all, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.campaigns import PgCampaignRepository
from app.adapters.postgres.gamification import PgCreditsRepository
from app.adapters.postgres.media import PgUploadedFiles
from app.adapters.postgres.tables import BrandKitRow, CampaignAdAssetsRow, GenerationRow, PromptRunRow
from app.adapters.postgres.unit_of_work import PgUnitOfWork
from app.domain.generation.entities import (
    AdAsset,
    AdAssets,
    BrandKit,
    CopyPart,
    Generation,
    GenerationKind,
    GenerationStatus,
)


def _generation(row: GenerationRow) -> Generation:
    return Generation(
        id=row.id,
        campaign_id=row.campaign_id,
        user_id=row.user_id,
        kind=GenerationKind(row.kind),
        brief=row.brief,
        status=GenerationStatus(row.status),
        error=row.error,
        attempts=row.attempts,
        result=dict(row.result or {}),
        created_at=row.created_at,
        updated_at=row.updated_at,
        completed_at=row.completed_at,
        only=CopyPart(row.only) if row.only else None,
    )


class PgGenerationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, generation: Generation) -> None:
        self._s.add(
            GenerationRow(
                id=generation.id,
                campaign_id=generation.campaign_id,
                user_id=generation.user_id,
                kind=generation.kind.value,
                brief=generation.brief,
                only=generation.only.value if generation.only else None,
                status=generation.status.value,
                created_at=generation.created_at,
                updated_at=generation.updated_at,
            )
        )
        await self._s.flush()

    async def get(self, generation_id: uuid.UUID, *, for_update: bool = False) -> Generation | None:
        stmt = select(GenerationRow).where(GenerationRow.id == generation_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return _generation(row) if row else None

    async def update(self, generation: Generation) -> None:
        await self._s.execute(
            update(GenerationRow)
            .where(GenerationRow.id == generation.id)
            .values(
                status=generation.status.value,
                error=generation.error,
                attempts=generation.attempts,
                result=generation.result,
                updated_at=generation.updated_at,
                completed_at=generation.completed_at,
            )
        )

    async def list_for_campaign(self, campaign_id: uuid.UUID, *, limit: int) -> list[Generation]:
        rows = await self._s.execute(
            select(GenerationRow)
            .where(GenerationRow.campaign_id == campaign_id)
            .order_by(GenerationRow.created_at.desc())
            .limit(limit)
        )
        return [_generation(r) for r in rows.scalars()]


class PgAiUsage:
    """Every AI request a user makes (generations and template runs) counts against one quota."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def lock_and_count_since(self, user_id: uuid.UUID, since: datetime) -> tuple[int, datetime | None]:
        # Transaction-scoped advisory lock per user: two concurrent requests cannot both take the last slot.
        await self._s.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"ai-quota:{user_id}"}
        )
        requests = union_all(
            select(GenerationRow.created_at).where(GenerationRow.user_id == user_id, GenerationRow.created_at > since),
            select(PromptRunRow.created_at).where(PromptRunRow.user_id == user_id, PromptRunRow.created_at > since),
        ).subquery()
        count, oldest = (await self._s.execute(select(func.count(), func.min(requests.c.created_at)))).one()
        return int(count), oldest


class PgAdAssetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, campaign_id: uuid.UUID) -> AdAssets | None:
        row = await self._s.get(CampaignAdAssetsRow, campaign_id, with_for_update=True)
        if row is None:
            return None
        return AdAssets(
            campaign_id=row.campaign_id,
            headlines=[msgspec.convert(h, AdAsset) for h in row.headlines],
            descriptions=[msgspec.convert(d, AdAsset) for d in row.descriptions],
            updated_at=row.updated_at,
        )

    async def put(self, assets: AdAssets) -> None:
        values = {
            "headlines": [msgspec.to_builtins(h) for h in assets.headlines],
            "descriptions": [msgspec.to_builtins(d) for d in assets.descriptions],
            "updated_at": assets.updated_at or func.now(),
        }
        statement = insert(CampaignAdAssetsRow).values(campaign_id=assets.campaign_id, **values)
        await self._s.execute(statement.on_conflict_do_update(index_elements=["campaign_id"], set_=values))


class PgBrandKits:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, user_id: uuid.UUID) -> BrandKit | None:
        row = await self._s.get(BrandKitRow, user_id)
        if row is None:
            return None
        return BrandKit(
            user_id=row.user_id,
            colors=list(row.colors or []),
            heading_font=row.heading_font,
            body_font=row.body_font,
            logo_media_id=row.logo_media_id,
            updated_at=row.updated_at,
        )

    async def put(self, kit: BrandKit) -> None:
        values = {
            "colors": kit.colors,
            "heading_font": kit.heading_font,
            "body_font": kit.body_font,
            "logo_media_id": kit.logo_media_id,
            "updated_at": kit.updated_at or func.now(),
        }
        statement = insert(BrandKitRow).values(user_id=kit.user_id, **values)
        await self._s.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=values))


class PgGenerationUnitOfWork(PgUnitOfWork):
    def _bind(self, session: AsyncSession) -> None:
        self.brand_kits = PgBrandKits(session)
        self.uploads = PgUploadedFiles(session)
        self.ad_assets = PgAdAssetRepository(session)
        self.campaigns = PgCampaignRepository(session)
        self.generations = PgGenerationRepository(session)
        self.usage = PgAiUsage(session)
        self.credits = PgCreditsRepository(session)
