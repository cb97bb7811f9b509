"""One gate at the edge for input no handler can store or safely parse.

Every JSON body, query string and path passes through here before routing to a
handler, so the rules hold for every DTO and parameter at once:

- NUL characters (`\\u0000` in JSON, `%00` in a query or path): Postgres text
  cannot hold them, so they are refused with 422 naming the field;
- JSON nested deeper than `MAX_JSON_DEPTH` (a parser or a walker would recurse
  without bound): 400;
- JSON integers outside the signed 64-bit range (no column holds them): 422;
- bodies over the configured limit: 413, before they are buffered whole.

Cheap byte scans decide whether the (rarer) full walk is needed, so ordinary
requests pay one `bytes.find` per rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

import msgspec
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.entrypoints.http.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE

MAX_JSON_DEPTH = 64
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_LONG_NUMBER = re.compile(rb"\d{19,}")


class InputRefused(Exception):
    """Input no handler may see; `code`/`detail` go to the client (problem+json, or a websocket error frame)."""

    def __init__(
        self, status: int, code: str, title: str, detail: str, errors: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.title, self.detail, self.errors = status, code, title, detail, errors or []


def _problem(scope: Scope, refused: InputRefused) -> tuple[dict[str, Any], bytes]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + refused.code,
        "title": refused.title,
        "status": refused.status,
        "detail": refused.detail,
        "code": refused.code,
        "instance": scope.get("path", ""),
    }
    if refused.errors:
        body["errors"] = [{"field": f, "message": m} for f, m in refused.errors]
    payload = msgspec.json.encode(body)
    start = {
        "type": "http.response.start",
        "status": refused.status,
        "headers": [(b"content-type", PROBLEM_MEDIA_TYPE.encode()), (b"content-length", str(len(payload)).encode())],
    }
    return start, payload


def _nul_field(field: str) -> InputRefused:
    return InputRefused(
        422,
        "validation-error",
        "Validation failed",
        f"{field}: NUL characters are not allowed.",
        [(field, "NUL characters are not allowed")],
    )


def _walk(value: Any, path: str, depth: int) -> Iterator[tuple[str, Any]]:
    """(path, leaf) pairs of a decoded JSON value; raises InputRefused past MAX_JSON_DEPTH."""
    if depth > MAX_JSON_DEPTH:
        raise InputRefused(
            400, "json-too-deep", "Bad request", f"JSON may be nested at most {MAX_JSON_DEPTH} levels deep."
        )
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, key
            yield from _walk(item, child, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]", depth + 1)
    else:
        yield path or "body", value


def check_json(body: bytes) -> None:
    """Raise InputRefused for a JSON body we must not pass on; malformed JSON is left to the handler (400)."""
    has_nul = b"\\u0000" in body
    long_number = _LONG_NUMBER.search(body) is not None
    maybe_deep = body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH
    if not (has_nul or long_number or maybe_deep):
        return
    try:
        decoded = msgspec.json.decode(body)
    except RecursionError:
        raise InputRefused(
            400, "json-too-deep", "Bad request", f"JSON may be nested at most {MAX_JSON_DEPTH} levels deep."
        ) from None
    except msgspec.DecodeError:
        return
    for field, leaf in _walk(decoded, "", 0):
        if isinstance(leaf, str) and "\x00" in leaf:
            raise _nul_field(field)
        if isinstance(leaf, int) and not isinstance(leaf, bool) and not INT64_MIN <= leaf <= INT64_MAX:
            raise InputRefused(
                422,
                "validation-error",
                "Validation failed",
                f"{field}: the number is out of range.",
                [(field, "is out of range")],
            )


def check_query_and_path(scope: Scope) -> None:
    if "\x00" in scope.get("path", ""):
        raise _nul_field("path")
    query: bytes = scope.get("query_string", b"")
    if b"%00" not in query and b"\x00" not in query:
        return
    for pair in query.split(b"&"):
        name, _, value = pair.partition(b"=")
        if b"\x00" in unquote_to_bytes(value.replace(b"+", b" ")) or b"\x00" in unquote_to_bytes(name):
            raise _nul_field(unquote_to_bytes(name).replace(b"\x00", b"").decode("utf-8", "replace") or "query")


def _is_json(scope: Scope) -> bool:
    for key, value in scope.get("headers", []):
        if key == b"content-type":
            return b"json" in value.lower()
    return False


def input_guard(max_body_bytes: int) -> Any:
    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] not in ("http", "websocket"):
                await app(scope, receive, send)
                return
            try:
                check_query_and_path(scope)
                if scope["type"] == "http" and _is_json(scope):
                    body, receive = await _buffer(receive, max_body_bytes)
                    check_json(body)
            except InputRefused as refused:
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 4400, "reason": refused.code})
                    return
                start, payload = _problem(scope, refused)
                await send(start)
                await send({"type": "http.response.body", "body": payload})
                return
            await app(scope, receive, send)

        return middleware

    return factory


def _repeat(message: Message) -> Receive:
    async def receive() -> Message:
        return message

    return receive


async def _buffer(receive: Receive, limit: int) -> tuple[bytes, Receive]:
    """Read the whole body (bounded) and return a receive that replays it."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            # Client went away: hand the disconnect on as it came.
            return b"", _repeat(message)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise InputRefused(
                413, "payload-too-large", "Request body too large", f"Request bodies are limited to {limit} bytes."
            )
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay
