"""Transaction boundary shared by every module's Postgres unit of work."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator, Callable
from typing import Any, Self

import asyncpg
import msgspec
from sqlalchemy import Integer, bindparam, func, select, true
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.adapters.postgres.errors import DatabaseUnavailable, translate
from app.adapters.postgres.tables import OutboxRow
from app.core.ids import new_id
from app.domain.outbox import JobMessage


def columns_of(row: Any) -> Callable[[str], Any]:
    """Column values by name from a driver record or an ORM row alike, so one mapper serves both read paths."""
    return row.__getitem__ if isinstance(row, asyncpg.Record) else functools.partial(getattr, row)


class PgOutbox:
    """Jobs recorded in the caller's transaction; the relay enqueues them after commit."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def add(self, message: JobMessage) -> None:
        # Stored as the task name plus JSON fields (UUIDs and times as text); the task decodes them back.
        self._s.add(OutboxRow(id=new_id(), task=message.task, payload=msgspec.to_builtins(message)))


class PgUnitOfWork:
    """One transaction; subclasses bind their repositories to its session in `_bind`.
    Leaving the block without `commit()` rolls everything back."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._factory = session_factory
        self._session: AsyncSession | None = None

    def _bind(self, session: AsyncSession) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        self._session = self._factory()
        self.outbox = PgOutbox(self._session)
        self._bind(self._session)
        return self

    async def __aexit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        assert self._session is not None
        try:
            await self._session.rollback()
        except Exception:
            if exc is None:
                raise
            # The block failed already (often: the database went away); its error is the one to report.
        finally:
            with contextlib.suppress(Exception):
                await self._session.close()
            self._session = None
        if exc is not None and (translated := translate(exc)) is not None:
            raise translated from exc

    async def commit(self) -> None:
        assert self._session is not None
        await self._session.commit()


async def driver_of(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under `session`, in the session's transaction: for hot statements where
    SQLAlchemy's per-execute work (compile cache, result processing) costs more than the statement."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    adapted = raw.dbapi_connection
    # SQLAlchemy's asyncpg adapter sends BEGIN lazily, with its first statement. A raw statement before any
    # SQLAlchemy one would run in autocommit, outside the unit of work's transaction (no row lock held,
    # nothing rolled back), so the transaction is started here first.
    if getattr(adapted, "_transaction", True) is None:
        await adapted._start_transaction()  # type: ignore[union-attr]
    return raw.driver_connection  # type: ignore[return-value]


class CompiledRead:
    """A Core statement compiled to SQL text once, run on the driver: building and compiling a statement
    with subqueries costs milliseconds per request; its text and parameter order do not change. Values are
    passed by name; constants in the statement keep the values they were compiled with."""

    def __init__(self, statement: Any) -> None:
        compiled = statement.compile(dialect=_DRIVER_DIALECT, compile_kwargs={"render_postcompile": True})
        self.sql: str = compiled.string
        self._order: list[str] = list(compiled.positiontup or [])
        self._defaults: dict[str, Any] = dict(compiled.params)

    def args(self, **values: Any) -> list[Any]:
        merged = {**self._defaults, **values}
        return [merged[name] for name in self._order]


_DRIVER_DIALECT = asyncpg_dialect()


def page_reads(entity: Any, conditions: list[Any], **extra: Any) -> CompiledRead:
    """A page of `entity` rows, newest first (`created_at`, then `id`), and their total (plus `extra` labelled
    counts, e.g. unread) in one statement: one snapshot and one round trip, even for a page past the end
    (the counts row is always there)."""
    count = select(func.count()).select_from(entity).where(*conditions).scalar_subquery()
    counts = select(count.label("total"), *(value.label(name) for name, value in extra.items())).subquery("counts")
    page = (
        select(entity)
        .where(*conditions)
        .order_by(entity.created_at.desc(), entity.id.desc())
        .limit(bindparam("limit", None, type_=Integer))
        .offset(bindparam("offset", None, type_=Integer))
        .lateral("page")
    )
    statement = (
        select(counts, page)
        .select_from(counts.outerjoin(page, true()))
        .order_by(page.c.created_at.desc(), page.c.id.desc())
    )
    return CompiledRead(statement)


async def fetch_page(db: asyncpg.Connection, read: CompiledRead, **values: Any) -> tuple[list[Any], Any]:
    """The page's rows (in the statement's order) and the counts row (`total` and the extras)."""
    rows = await db.fetch(read.sql, *read.args(**values))
    return [r for r in rows if r["id"] is not None], rows[0]


class PgQueries:
    """Base of a module's read-only query side, outside any unit of work. Two ways to read:

    - `_read()`: an ORM/Core session in a read-only snapshot (asyncpg opens it as one
      `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`), for reads of several statements;
    - `_driver()`: the pooled asyncpg connection itself, in autocommit, for the hot single-statement reads:
      no transaction round trips and asyncpg's prepared-statement cache (one statement is one snapshot)."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._factory = session_factory
        self._engine: AsyncEngine = session_factory.kw["bind"]

    @contextlib.asynccontextmanager
    async def _driver(self) -> AsyncIterator[asyncpg.Connection]:
        async with self._engine.connect() as conn:
            raw = await conn.get_raw_connection()
            try:
                yield raw.driver_connection  # type: ignore[misc]
            except Exception as exc:
                translated = translate(exc)
                if isinstance(translated, DatabaseUnavailable):
                    await conn.invalidate()  # the pool must not hand this connection out again
                if translated is not None:
                    raise translated from exc
                raise

    @contextlib.asynccontextmanager
    async def _read(self) -> AsyncIterator[AsyncSession]:
        async with self._factory() as session:
            try:
                await session.connection(
                    execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
                )
                yield session
            except Exception as exc:
                if (translated := translate(exc)) is not None:
                    raise translated from exc
                raise
            finally:
                with contextlib.suppress(Exception):
                    await session.rollback()
