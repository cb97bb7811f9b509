"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio

import msgspec
from litestar import Response, get
from litestar.datastructures import State

from app.entrypoints.container import Services


class HealthOut(msgspec.Struct):
    status: str
    checks: dict[str, str] = msgspec.field(default_factory=dict)


@get("/health", summary="Liveness", description="200 while the process serves requests.", tags=["system"], opt={"exclude_from_auth": True})
async def health() -> HealthOut:
    return HealthOut(status="ok")


@get(
    "/ready",
    summary="Readiness",
    description="200 when every dependency (the database, ...) answers within 2 s; 503 with the failing checks otherwise.",
    tags=["system"],
    opt={"exclude_from_auth": True},
)
async def ready(state: State) -> Response[HealthOut]:
    services: Services = state.services
    checks: dict[str, str] = {}
    for name, check in services.readiness_checks.items():
        try:
            await asyncio.wait_for(check(), timeout=2)
            checks[name] = "ok"
        except Exception as exc:  # any failure means "not ready", reported by name
            checks[name] = f"failed: {type(exc).__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return Response(HealthOut(status="ok" if healthy else "unavailable", checks=checks), status_code=200 if healthy else 503)
