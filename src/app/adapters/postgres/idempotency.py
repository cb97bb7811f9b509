"""Idempotency-Key records (Postgres): the first request with a key claims it, later ones replay its answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.adapters.postgres.tables import IdempotencyKeyRow
from app.adapters.security.encryption import FernetCipher

KEEP_FOR = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class StoredRequest:
    request_hash: str
    status_code: int | None  # None: the first request is still running
    body: bytes | None


class PgIdempotencyStore:
    """Stored answers may hold tokens (a guest checkout signs the guest in): they are encrypted at rest."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], cipher: FernetCipher) -> None:
        self._sessions = session_factory
        self._cipher = cipher

    async def claim(
        self, scope: str, operation: str, key: str, request_hash: str, *, now: datetime
    ) -> StoredRequest | None:
        """None if this request now owns the key; otherwise what is stored for it."""
        pk = (IdempotencyKeyRow.scope == scope, IdempotencyKeyRow.operation == operation, IdempotencyKeyRow.key == key)
        async with self._sessions() as session, session.begin():
            await session.execute(delete(IdempotencyKeyRow).where(*pk, IdempotencyKeyRow.created_at < now - KEEP_FOR))
            inserted = await session.execute(
                insert(IdempotencyKeyRow)
                .values(scope=scope, operation=operation, key=key, request_hash=request_hash, created_at=now)
                .on_conflict_do_nothing()
                .returning(IdempotencyKeyRow.key)
            )
            if inserted.first() is not None:
                return None
            row = (await session.execute(select(IdempotencyKeyRow).where(*pk))).scalar_one()
            body = self._cipher.decrypt(row.response_body.decode()).encode() if row.response_body else None
            return StoredRequest(row.request_hash, row.status_code, body)

    async def finish(self, scope: str, operation: str, key: str, *, status_code: int, body: bytes) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(IdempotencyKeyRow)
                .where(
                    IdempotencyKeyRow.scope == scope,
                    IdempotencyKeyRow.operation == operation,
                    IdempotencyKeyRow.key == key,
                )
                .values(status_code=status_code, response_body=self._cipher.encrypt(body.decode()).encode())
            )

    async def release(self, scope: str, operation: str, key: str) -> None:
        """The first request failed: the key is free again, so a retry runs anew."""
        async with self._sessions() as session, session.begin():
            await session.execute(
                delete(IdempotencyKeyRow).where(
                    IdempotencyKeyRow.scope == scope,
                    IdempotencyKeyRow.operation == operation,
                    IdempotencyKeyRow.key == key,
                )
            )
