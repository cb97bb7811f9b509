"""Test databases: a fresh database per test session on DATABASE_URL's server, or
on a throwaway PostgreSQL started from the machine's binaries when it is unset."""

from __future__ import annotations

import uuid

import psycopg
from sqlalchemy.engine import make_url

from app.adapters.postgres.database import plain_url
from app.adapters.postgres.tables import Base

TABLES = [t.name for t in reversed(Base.metadata.sorted_tables)]


def with_database(url: str, name: str) -> str:
    return make_url(plain_url(url)).set(database=name).render_as_string(hide_password=False)


def create_database(server_url: str) -> str:
    name = f"atelier_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(plain_url(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(server_url, name)


def drop_database(server_url: str, url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(plain_url(server_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def truncate_all(url: str) -> None:
    with psycopg.connect(plain_url(url), autocommit=True) as conn:
        conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in TABLES) + " CASCADE")


def query(url: str, sql: str, *params: object) -> list[tuple]:
    with psycopg.connect(plain_url(url), autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()
