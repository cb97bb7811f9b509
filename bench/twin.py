"""The bare twin: `GET /api/campaigns` and `POST /api/campaigns` on plain Litestar + asyncpg, no ORM,
no middleware stack, doing the same work as Atelier for the same request:

- the bearer JWT verified with the same pyjwt options (HS256, iss, aud, exp, required claims);
- the session and its user checked live in the database (revoked, expired, inactive -> 401);
- members list only their own campaigns, staff see all; newest first, 20 a page, with `total`
  (counted the way Atelier counts: exactly up to a cap, see `TOTAL_CAP`);
- POST validates the name and inserts one row, answering 201 with the campaign.

It reads the same environment as the app (DATABASE_URL, JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE) and serves
on PORT. Only the benchmark (`bench/http_lists.py`) starts it; it is not part of the product.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import jwt
import msgspec
from litestar import Litestar, Request, Response, get, post

DSN = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
SECRET = os.environ["JWT_SECRET"]
ISSUER = os.environ.get("JWT_ISSUER", "atelier")
AUDIENCE = os.environ.get("JWT_AUDIENCE", "atelier-api")
TOTAL_CAP = 1_000
STAFF = {"admin", "manager", "viewer"}
COLUMNS = (
    "id, owner_id, name, description, property_id, budget_amount_minor, budget_currency, budget_period, "
    "status, ai_status, created_at, updated_at"
)
pool: asyncpg.Pool | None = None


class Budget(msgspec.Struct):
    amount_minor: int
    currency: str
    period: str


class CampaignOut(msgspec.Struct):
    id: uuid.UUID
    owner_id: uuid.UUID
    name: str
    description: str
    property_id: uuid.UUID | None
    budget: Budget | None
    status: str
    ai_status: str
    created_at: datetime
    updated_at: datetime


class CampaignPage(msgspec.Struct):
    items: list[CampaignOut]
    total: int
    page: int
    page_size: int


class CampaignIn(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    description: str = ""


def _out(r: asyncpg.Record) -> CampaignOut:
    budget = Budget(r[5], r[6], r[7]) if r[5] is not None else None
    return CampaignOut(r[0], r[1], r[2], r[3], r[4], budget, r[8], r[9], r[10], r[11])


def _problem(status: int, code: str) -> Response[bytes]:
    body = msgspec.json.encode({"type": code, "title": code, "status": status, "code": code})
    return Response(body, status_code=status, media_type="application/problem+json")


async def _principal(request: Request[Any, Any, Any], conn: asyncpg.Connection) -> tuple[uuid.UUID, str] | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    try:
        claims = jwt.decode(
            token.strip(),
            SECRET,
            algorithms=["HS256"],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=5,
            options={"require": ["iss", "aud", "exp", "iat", "jti", "sub", "sid", "typ"]},
        )
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access":
        return None
    user_id = uuid.UUID(claims["sub"])
    row = await conn.fetchrow(
        "SELECT u.role, u.is_active, s.revoked_at, s.expires_at FROM auth_sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.id = $1 AND s.user_id = $2",
        uuid.UUID(claims["sid"]),
        user_id,
    )
    if row is None or not row["is_active"] or row["revoked_at"] is not None or row["expires_at"] <= datetime.now(UTC):
        return None
    return user_id, row["role"]


@get("/api/campaigns")
async def list_campaigns(request: Request[Any, Any, Any], page: int = 1) -> Response[bytes]:
    assert pool is not None
    async with pool.acquire() as conn:
        who = await _principal(request, conn)
        if who is None:
            return _problem(401, "not-authenticated")
        user_id, role = who
        where, args = ("", []) if role in STAFF else ("WHERE owner_id = $1", [user_id])
        n = len(args)
        rows = await conn.fetch(
            f"SELECT {COLUMNS} FROM campaigns {where} ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET ${n + 1}",
            *args,
            (page - 1) * 20,
        )
        total = await conn.fetchval(
            f"SELECT count(*) FROM (SELECT 1 FROM campaigns {where} LIMIT {TOTAL_CAP + 1}) AS capped", *args
        )
    body = CampaignPage([_out(r) for r in rows], total, page, 20)
    return Response(msgspec.json.encode(body), media_type="application/json")


@post("/api/campaigns")
async def create_campaign(request: Request[Any, Any, Any]) -> Response[bytes]:
    assert pool is not None
    try:
        data = msgspec.json.decode(await request.body(), type=CampaignIn)
    except msgspec.DecodeError:
        return _problem(422, "validation-failed")
    name = data.name.strip()
    if not name or len(name) > 200:
        return _problem(422, "validation-failed")
    async with pool.acquire() as conn:
        who = await _principal(request, conn)
        if who is None:
            return _problem(401, "not-authenticated")
        now = datetime.now(UTC)
        row = await conn.fetchrow(
            f"INSERT INTO campaigns (id, owner_id, name, description, status, ai_status, created_at, updated_at) "
            f"VALUES ($1, $2, $3, $4, 'draft', 'idle', $5, $5) RETURNING {COLUMNS}",
            uuid.uuid4(),
            who[0],
            name,
            data.description,
            now,
        )
    return Response(msgspec.json.encode(_out(row)), status_code=201, media_type="application/json")


async def _open() -> None:
    global pool
    pool = await asyncpg.create_pool(DSN, min_size=4, max_size=10)


async def _close() -> None:
    if pool is not None:
        await pool.close()


app = Litestar([list_campaigns, create_campaign], on_startup=[_open], on_shutdown=[_close], openapi_config=None)
