"""Plain SQL on a unit of work's connection belongs to its transaction, like its SQLAlchemy statements."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from app.adapters.postgres.campaigns import PgCampaignsUnitOfWork
from app.adapters.postgres.database import create_engine, create_session_factory
from app.adapters.postgres.tables import CampaignRow, CanvasDocumentRow, UserRow
from app.domain.campaigns.entities import Campaign, CampaignStatus


@pytest.fixture
async def factory(clean_db: str) -> Any:
    engine = create_engine(clean_db, pool_size=4)
    yield create_session_factory(engine)
    await engine.dispose()


async def _owner(factory: Any) -> uuid.UUID:
    user_id = uuid.uuid4()
    async with factory() as session:
        session.add(UserRow(id=user_id, username=f"u{user_id.hex[:8]}", email=f"{user_id.hex[:8]}@example.com"))
        await session.commit()
    return user_id


async def test_a_plain_sql_first_statement_is_rolled_back_with_the_unit_of_work(factory: Any) -> None:
    # campaigns.add is plain SQL on the driver; SQLAlchemy begins its transaction only with its own first
    # statement, so a raw statement first used to run in autocommit and survive the failure.
    owner, now = await _owner(factory), datetime.now(UTC)
    campaign = Campaign(
        id=uuid.uuid4(), owner_id=owner, name="Half-written", status=CampaignStatus.DRAFT, created_at=now
    )
    with pytest.raises(RuntimeError):
        async with PgCampaignsUnitOfWork(factory) as uow:
            await uow.campaigns.add(campaign)
            raise RuntimeError("the use case fails after the insert")
    async with factory() as session:
        assert (await session.execute(select(func.count()).select_from(CampaignRow))).scalar_one() == 0


async def test_a_plain_sql_row_lock_is_held_until_commit(factory: Any) -> None:
    owner, campaign_id = await _owner(factory), uuid.uuid4()
    async with factory() as session:
        session.add(CampaignRow(id=campaign_id, owner_id=owner, name="Locked"))
        await session.flush()
        session.add(
            CanvasDocumentRow(campaign_id=campaign_id, version=3, width=10, height=10, background="#fff", layers=[])
        )
        await session.commit()
    order: list[str] = []

    async def second() -> None:
        async with PgCampaignsUnitOfWork(factory) as uow:
            assert await uow.canvas.locked_version(campaign_id) == 3
            order.append("second locked")

    async with PgCampaignsUnitOfWork(factory) as uow:
        assert await uow.canvas.locked_version(campaign_id) == 3  # the unit of work's first statement
        waiting = asyncio.create_task(second())
        await asyncio.sleep(0.3)
        order.append("first commits")
        await uow.commit()
    await waiting
    assert order == ["first commits", "second locked"]
