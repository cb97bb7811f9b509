"""Engine/session factory and database URL handling."""

from __future__ import annotations

import msgspec
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def async_url(url: str) -> str:
    """Accept postgres://, postgresql:// or postgresql+asyncpg:// and return the asyncpg form."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def plain_url(url: str) -> str:
    """libpq form (for psycopg / SAQ): postgresql://..."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def json_text(value: object) -> str:
    """JSON for a jsonb column or parameter (the engine's serializer; raw driver statements pass it as text)."""
    return msgspec.json.encode(value).decode()


def create_engine(
    url: str,
    *,
    pool_size: int = 20,
    statement_timeout: float = 5.0,
    pool_timeout: float = 3.0,
    connect_timeout: float = 3.0,
) -> AsyncEngine:
    return create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=0,
        # No pre-ping: it costs a round trip per checkout. A connection that died is invalidated by the
        # error it raises (that request gets a 503 `database-unavailable`); the pool then opens fresh ones.
        pool_pre_ping=False,
        pool_timeout=pool_timeout,
        # Errors are logged and may travel: never carry row values (password hashes, tokens) in them.
        hide_parameters=True,
        connect_args={
            "timeout": connect_timeout,
            # Server-side bound for slow statements, client-side bound for a server that stopped answering.
            "command_timeout": statement_timeout + 1,
            "server_settings": {"statement_timeout": str(int(statement_timeout * 1000))},
        },
        # msgspec instead of the stdlib json for JSONB: canvas documents are (de)serialised per edit batch.
        json_serializer=json_text,
        json_deserializer=msgspec.json.decode,
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def escape_like(value: str) -> str:
    """Make user text literal inside a LIKE pattern (we escape with a backslash)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
