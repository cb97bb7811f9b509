"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
from litestar import Request, Response, Router, get
from litestar.datastructures import State

from app.entrypoints.container import Services
from app.entrypoints.http.problems import problem_response


class HealthOut(msgspec.Struct):
    status: str
    checks: dict[str, str] = msgspec.field(default_factory=dict)


@get(
    "/health",
    summary="Liveness",
    description="200 while the process serves requests.",
    opt={"exclude_from_auth": True},
)
async def health() -> HealthOut:
    return HealthOut(status="ok")


@get(
    "/ready",
    summary="Readiness",
    description="200 when every dependency (the database, ...) answers within 2 s; otherwise a 503 problem "
    "document whose `checks` member names the failing ones.",
    opt={"exclude_from_auth": True},
)
async def ready(request: Request[Any, Any, Any], state: State) -> Response[Any]:
    services: Services = state.services
    checks: dict[str, str] = {}
    for name, check in services.readiness_checks.items():
        try:
            await asyncio.wait_for(check(), timeout=2)
            checks[name] = "ok"
        except Exception as exc:  # any failure means "not ready", reported by name
            checks[name] = f"failed: {type(exc).__name__}"
    if all(v == "ok" for v in checks.values()):
        return Response(HealthOut(status="ok", checks=checks))
    failing = ", ".join(name for name, result in checks.items() if result != "ok")
    return problem_response(
        request,
        status=503,
        code="not-ready",
        title="Not ready",
        detail=f"These dependencies are not answering: {failing}.",
        extensions={"checks": checks},
    )


def create_router() -> Router:
    return Router(path="/", tags=["system"], route_handlers=[health, ready])
