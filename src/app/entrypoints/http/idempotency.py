"""`Idempotency-Key` on money-creating POSTs (IETF draft-ietf-httpapi-idempotency-key-header).

The same key with the same body returns the first response (the gateway is called once);
the same key with another body is 422; a retry while the first is still running is 409.
Keys are scoped to the caller (the signed-in user; anonymous requests share one scope, where
the key must be unguessable, as the draft asks of every key).
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.params import HeaderParameter

from app.adapters.postgres.idempotency import PgIdempotencyStore
from app.core.clock import SystemClock
from app.core.errors import IdempotencyKeyInUse, IdempotencyKeyReused

HEADER = "Idempotency-Key"
IdempotencyKeyHeader = HeaderParameter(
    name=HEADER,
    required=False,
    min_length=1,
    max_length=255,
    description="Optional. Retrying with the same key and body returns the first response instead of paying twice.",
)
_clock = SystemClock()


async def idempotent(
    request: Request[Any, Any, Any],
    key: str | None,
    produce: Callable[[], Awaitable[msgspec.Struct]],
    *,
    status_code: int = 201,
) -> Response[Any]:
    """Run `produce` once per (caller, route, key); replay its stored JSON answer on a retry."""
    if key is None:
        return Response(await produce(), status_code=status_code)
    store: PgIdempotencyStore = request.app.state.services.idempotency
    user = request.scope.get("user")
    scope = f"user:{user.user_id}" if user is not None else "anonymous"
    operation = request.route_handler.handler_name
    digest = hashlib.sha256(await request.body()).hexdigest()
    stored = await store.claim(scope, operation, key, digest, now=_clock.now())
    if stored is not None:
        if stored.request_hash != digest:
            raise IdempotencyKeyReused("This Idempotency-Key was used with a different request body.")
        if stored.status_code is None or stored.body is None:
            raise IdempotencyKeyInUse("A request with this Idempotency-Key is still being processed.")
        return Response(
            stored.body,
            status_code=stored.status_code,
            media_type="application/json",
            headers={"Idempotent-Replayed": "true"},
        )
    try:
        result = await produce()
    except BaseException:
        await store.release(scope, operation, key)
        raise
    body = msgspec.json.encode(result)
    await store.finish(scope, operation, key, status_code=status_code, body=body)
    return Response(body, status_code=status_code, media_type="application/json")
