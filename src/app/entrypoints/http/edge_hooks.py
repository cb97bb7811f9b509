"""ASGI hooks every HTTP response passes through: request ids, the access log and security headers.

A before-send hook rather than middleware, because error responses (and unrouted 404s)
are produced outside user middleware, where only this hook sees them.
"""

from __future__ import annotations

import time
import uuid

import structlog
from litestar.types import ASGIApp, Message, Receive, Scope, Send

access_log = structlog.get_logger("http.access")

API_CSP = b"default-src 'none'; frame-ancestors 'none'"
# Swagger UI: its assets are ours; Litestar's page boots it with an inline script.
DOCS_CSP = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
HSTS = b"max-age=63072000; includeSubDomains"


def _request_id(scope: Scope) -> str:
    headers = dict(scope.get("headers") or [])
    raw = headers.get(b"x-request-id", b"").decode("latin-1")[:64]
    # Echoed back in a header: printable ASCII only, or a fresh id.
    return raw if raw and raw.isascii() and raw.isprintable() else uuid.uuid4().hex


def request_logging(app: ASGIApp) -> ASGIApp:
    """Stamp each routed HTTP request with an id and start time for `on_response_start`."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            state = scope.setdefault("state", {})
            state["request_id"] = _request_id(scope)
            state["started"] = time.perf_counter()
        await app(scope, receive, send)

    return middleware


def security_headers(path: str, existing: set[bytes], *, production: bool) -> list[tuple[bytes, bytes]]:
    added = [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    ]
    if b"content-security-policy" not in existing:
        added.append((b"content-security-policy", DOCS_CSP if path.startswith("/docs") else API_CSP))
    # API answers carry tokens or personal data: never kept by browsers or shared caches.
    if path.startswith("/api/") and b"cache-control" not in existing:
        added.append((b"cache-control", b"no-store"))
    if production:
        added.append((b"strict-transport-security", HSTS))
    return [h for h in added if h[0] not in existing]


def response_hook(*, production: bool):  # type: ignore[no-untyped-def]
    async def on_response_start(message: Message, scope: Scope) -> None:
        if scope["type"] != "http" or message["type"] != "http.response.start":
            return
        state = scope.get("state", {})
        request_id = state.get("request_id") or _request_id(scope)
        headers = list(message.get("headers", []))
        existing = {k.lower() for k, _ in headers}
        headers += security_headers(scope.get("path", ""), existing, production=production)
        headers.append((b"x-request-id", request_id.encode("latin-1")))
        message["headers"] = headers
        started = state.get("started")
        access_log.info(
            "request",
            method=scope.get("method"),
            path=scope.get("path"),
            status=message["status"],
            ms=round((time.perf_counter() - started) * 1000, 1) if started else None,
            request_id=request_id,
        )

    return on_response_start
