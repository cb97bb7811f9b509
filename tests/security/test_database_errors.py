"""Postgres refusing client data maps to 409/422 with a stable code in one translation (the adapter's),
and database errors never carry row values into logs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from app.adapters.postgres.campaigns import PgCampaignsUnitOfWork
from app.adapters.postgres.database import create_engine, create_session_factory
from app.adapters.postgres.errors import translate
from app.core.errors import AppError
from app.core.logging import redact
from app.domain.campaigns.entities import Campaign, CampaignStatus

SETUP = """
CREATE TEMP TABLE parent (id int PRIMARY KEY);
CREATE TEMP TABLE child (
    id int PRIMARY KEY,
    parent_id int REFERENCES parent (id),
    name varchar(5),
    small int,
    qty int NOT NULL DEFAULT 0 CHECK (qty >= 0)
);
INSERT INTO parent VALUES (1);
INSERT INTO child (id, parent_id) VALUES (1, 1);
"""

CASES = [
    ("INSERT INTO child (id) VALUES (1)", 409, "already-exists"),
    ("INSERT INTO child (id, parent_id) VALUES (2, 99)", 422, "unknown-reference"),
    ("DELETE FROM parent WHERE id = 1", 409, "still-referenced"),
    ("INSERT INTO child (id, qty) VALUES (3, -1)", 422, "constraint-violated"),
    ("INSERT INTO child (id, qty) VALUES (4, NULL)", 422, "value-required"),
    ("INSERT INTO child (id, name) VALUES (5, 'far too long')", 422, "value-too-long"),
    ("INSERT INTO child (id, small) VALUES (6, 99999999999)", 422, "number-out-of-range"),
    ("SELECT 'twelve'::int", 422, "invalid-value"),
    ("SELECT pg_sleep(3)", 503, "database-unavailable"),  # beyond the statement timeout
]


@pytest.fixture
async def engine(database_url: str) -> Any:
    engine = create_engine(database_url, pool_size=2, statement_timeout=1.0)
    yield engine
    await engine.dispose()


@pytest.mark.parametrize(("statement", "status", "code"), CASES)
async def test_each_kind_of_refused_data_has_its_status_and_code(
    engine: Any, statement: str, status: int, code: str | None
) -> None:
    async with engine.connect() as conn:
        for line in SETUP.strip().split(";"):
            if line.strip():
                await conn.execute(text(line))
        with pytest.raises(Exception) as caught:
            await conn.execute(text(statement))
    translated = translate(caught.value)
    assert isinstance(translated, AppError), caught.value
    assert translated.status == status
    if code:
        assert translated.code == code
    if status == 503:
        assert translated.headers["Retry-After"]


async def test_an_integer_asyncpg_cannot_encode_is_422(engine: Any) -> None:
    async with engine.connect() as conn:
        with pytest.raises(Exception) as caught:
            await conn.execute(text("SELECT CAST(:n AS bigint)"), {"n": 2**70})
    translated = translate(caught.value)
    assert translated is not None and translated.status == 422


async def test_a_unit_of_work_raises_the_translated_error(engine: Any) -> None:
    now = datetime.now(UTC)
    orphan = Campaign(
        id=uuid.uuid4(),
        owner_id=uuid.uuid4(),
        name="No owner",
        description="",
        property_id=None,
        budget=None,
        status=CampaignStatus.DRAFT,
        created_at=now,
        updated_at=now,
    )
    with pytest.raises(AppError) as caught:
        async with PgCampaignsUnitOfWork(create_session_factory(engine)) as uow:
            await uow.campaigns.add(orphan)
            await uow.commit()
    assert (caught.value.status, caught.value.code) == (422, "unknown-reference")


async def test_database_errors_never_carry_row_values(engine: Any) -> None:
    secret = "$argon2id$v=19$m=65536,t=3,p=4$c2VjcmV0$aGFzaA"
    async with engine.connect() as conn:
        await conn.execute(text("CREATE TEMP TABLE creds (id int PRIMARY KEY, password_hash text)"))
        await conn.execute(text("INSERT INTO creds VALUES (1, 'x')"))
        with pytest.raises(Exception) as caught:
            await conn.execute(text("INSERT INTO creds VALUES (:id, :hash)"), {"id": 1, "hash": secret})
    assert secret not in str(caught.value)


def test_log_lines_redact_secret_fields_and_credential_shaped_text() -> None:
    event = redact(
        None,
        "error",
        {
            "event": "unhandled error",
            "password_hash": "$argon2id$v=19$x",
            "refresh_token": "abc",
            "payout_account_number": "123456789",
            "exception": "parameters: ('alice', '$argon2id$v=19$m=65536$salt$hash') Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig",
        },
    )
    assert event["password_hash"] == event["refresh_token"] == event["payout_account_number"] == "[redacted]"
    assert "$argon2id" not in event["exception"] and "eyJ" not in event["exception"]
    assert "alice" in event["exception"]
