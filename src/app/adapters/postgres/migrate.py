"""Schema migrations via advanced-alchemy's alembic commands (revisions in /migrations)."""

from __future__ import annotations

from pathlib import Path

from advanced_alchemy.config import AlembicAsyncConfig, SQLAlchemyAsyncConfig

from app.adapters.postgres.database import async_url

MIGRATIONS_DIR = Path(__file__).resolve().parents[4] / "migrations"


def alembic_commands(database_url: str):  # -> AlembicCommands
    from advanced_alchemy.alembic.commands import AlembicCommands

    config = SQLAlchemyAsyncConfig(
        connection_string=async_url(database_url),
        alembic_config=AlembicAsyncConfig(script_location=str(MIGRATIONS_DIR), version_table_name="alembic_version"),
    )
    return AlembicCommands(sqlalchemy_config=config)


def upgrade(database_url: str, revision: str = "head") -> None:
    """Blocking (alembic runs its own event loop): call from sync code or a thread."""
    alembic_commands(database_url).upgrade(revision)


def downgrade(database_url: str, revision: str) -> None:
    alembic_commands(database_url).downgrade(revision)
