"""Postgres credits ledger: balance changes are one conditional UPDATE (row lock) plus an entry."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.tables import AchievementRow, CreditAccountRow, CreditEntryRow, UserRow
from app.adapters.postgres.unit_of_work import PgUnitOfWork
from app.core.ids import new_id
from app.domain.gamification.entities import CreditEntry, Standing


def _entry(r: CreditEntryRow) -> CreditEntry:
    return CreditEntry(
        id=r.id,
        user_id=r.user_id,
        delta=r.delta,
        reason=r.reason,
        reference=r.reference,
        balance_after=r.balance_after,
        created_at=r.created_at,
    )


class PgCreditsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def ensure_account(self, user_id: uuid.UUID, *, welcome_bonus: int) -> None:
        created = await self._s.execute(
            insert(CreditAccountRow)
            .values(user_id=user_id, balance=welcome_bonus, xp=0, ai_runs=0)
            .on_conflict_do_nothing()
            .returning(CreditAccountRow.user_id)
        )
        if created.first() is not None:
            await self._s.execute(
                insert(CreditEntryRow).values(
                    id=new_id(),
                    user_id=user_id,
                    delta=welcome_bonus,
                    reason="welcome",
                    reference="welcome",
                    balance_after=welcome_bonus,
                )
            )

    async def apply(
        self, user_id: uuid.UUID, delta: int, *, reason: str, reference: str, xp: int = 0, ai_run: bool = False
    ) -> CreditEntry | None:
        existing = (
            await self._s.execute(
                select(CreditEntryRow).where(CreditEntryRow.user_id == user_id, CreditEntryRow.reference == reference)
            )
        ).scalar_one_or_none()
        if existing is not None:
            return _entry(existing)  # idempotent: the same reference never counts twice
        # Conditional update: concurrent debits serialise on the row and none can take the balance below zero.
        balance = (
            await self._s.execute(
                update(CreditAccountRow)
                .where(CreditAccountRow.user_id == user_id, CreditAccountRow.balance + delta >= 0)
                .values(
                    balance=CreditAccountRow.balance + delta,
                    xp=CreditAccountRow.xp + xp,
                    ai_runs=CreditAccountRow.ai_runs + (1 if ai_run else 0),
                )
                .returning(CreditAccountRow.balance)
            )
        ).scalar_one_or_none()
        if balance is None:
            return None
        row = (
            await self._s.execute(
                insert(CreditEntryRow)
                .values(
                    id=new_id(),
                    user_id=user_id,
                    delta=delta,
                    reason=reason,
                    reference=reference[:100],
                    balance_after=balance,
                )
                .returning(CreditEntryRow)
            )
        ).scalar_one()
        return _entry(row)

    async def standing(self, user_id: uuid.UUID) -> Standing | None:
        row = (
            await self._s.execute(
                select(CreditAccountRow, UserRow.username)
                .join(UserRow, UserRow.id == CreditAccountRow.user_id)
                .where(CreditAccountRow.user_id == user_id)
            )
        ).one_or_none()
        if row is None:
            return None
        account, username = row
        return Standing(
            user_id=account.user_id, username=username, balance=account.balance, xp=account.xp, ai_runs=account.ai_runs
        )

    async def entries(self, user_id: uuid.UUID, *, limit: int) -> list[CreditEntry]:
        rows = await self._s.execute(
            select(CreditEntryRow)
            .where(CreditEntryRow.user_id == user_id)
            .order_by(CreditEntryRow.created_at.desc(), CreditEntryRow.id)
            .limit(limit)
        )
        return [_entry(r) for r in rows.scalars()]

    async def unlock(self, user_id: uuid.UUID, codes: list[str]) -> list[str]:
        if not codes:
            return []
        rows = await self._s.execute(
            insert(AchievementRow)
            .values([{"user_id": user_id, "code": c} for c in codes])
            .on_conflict_do_nothing()
            .returning(AchievementRow.code)
        )
        return list(rows.scalars())

    async def achievements(self, user_id: uuid.UUID) -> list[tuple[str, str]]:
        rows = await self._s.execute(
            select(AchievementRow).where(AchievementRow.user_id == user_id).order_by(AchievementRow.unlocked_at)
        )
        return [(r.code, r.unlocked_at.isoformat()) for r in rows.scalars()]

    async def leaderboard(self, *, limit: int) -> list[Standing]:
        rows = await self._s.execute(
            select(CreditAccountRow, UserRow.username)
            .join(UserRow, UserRow.id == CreditAccountRow.user_id)
            .order_by(CreditAccountRow.xp.desc(), UserRow.username)
            .limit(limit)
        )
        return [
            Standing(user_id=a.user_id, username=name, balance=a.balance, xp=a.xp, ai_runs=a.ai_runs)
            for a, name in rows
        ]


class PgGamificationUnitOfWork(PgUnitOfWork):
    def _bind(self, session: AsyncSession) -> None:
        self.credits = PgCreditsRepository(session)
