"""Live canvas rooms: `/ws/campaigns/{campaign_id}`, the websocket listener.

It reads handshake -> join -> dispatch -> leave. The handshake checks Origin, the bearer token
(query `token` or Authorization header) and campaign access *before* the socket is accepted;
the room hub (`adapters/realtime/rooms.py`) then sends a snapshot (or, with `since_version`, a
replay of missed ops) and streams every op in version order. Ops are persisted (edit record)
before anyone hears of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

import msgspec
import structlog
from litestar import WebSocket, websocket
from litestar.datastructures import State
from litestar.params import FromPath

from app.adapters.realtime.rooms import (
    CLOSE_FORBIDDEN,
    CLOSE_TOO_MANY,
    CLOSE_TOO_SLOW,
    CLOSE_TRY_AGAIN,
    CLOSE_UNAUTHORIZED,
    MAX_MESSAGE_BYTES,
    Connection,
    Room,
    RoomHub,
)
from app.core.errors import AppError
from app.domain.campaigns.errors import CampaignNotFound, CampaignReadOnly
from app.domain.canvas.entities import LayerLock
from app.domain.canvas.errors import SessionEnded
from app.domain.canvas.services import CanvasService
from app.entrypoints.http.input_guard import InputRefused, check_json
from app.entrypoints.http.security import bearer_token
from app.entrypoints.ws.messages import CursorMessage, OpMessage, PingMessage, decode_client_message, encode

log = structlog.get_logger("ws.canvas")


def _token(socket: WebSocket[Any, Any, Any]) -> str | None:
    # Browsers cannot set headers on a websocket handshake, hence the query fallback.
    return bearer_token(socket) or socket.query_params.get("token") or None


def _origin_allowed(socket: WebSocket[Any, Any, Any], allowed: list[str]) -> bool:
    """Browsers always send Origin on a websocket handshake: a page from another site may not open
    a room with its visitor's token. Non-browser clients send none and are judged by the token alone."""
    origin = socket.headers.get("origin")
    return origin is None or "*" in allowed or origin.rstrip("/") in {o.rstrip("/") for o in allowed}


async def _sender(conn: Connection) -> None:
    while True:
        payload = await conn.queue.get()
        await conn.socket.send_data(payload.decode(), mode="text")


async def _handle(hub: RoomHub, canvas: CanvasService, conn: Connection, room: Room, raw: str) -> None:
    if conn.ended is not None:
        return  # ending: nothing more is accepted from this socket
    if len(raw.encode()) > MAX_MESSAGE_BYTES:
        conn.send(
            {
                "type": "error",
                "code": "message-too-large",
                "detail": f"Messages are limited to {MAX_MESSAGE_BYTES} bytes.",
            }
        )
        return
    try:
        check_json(raw.encode())  # the HTTP edge's rules (NUL, depth, int64) hold for frames too
    except InputRefused as refused:
        conn.send({"type": "error", "code": "invalid-message", "detail": refused.detail})
        return
    try:
        message = decode_client_message(raw)
    except msgspec.ValidationError as exc:
        conn.send({"type": "error", "code": "invalid-message", "detail": str(exc)})
        return
    except msgspec.DecodeError:
        conn.send({"type": "error", "code": "invalid-message", "detail": "Messages are JSON objects with a `type`."})
        return
    if isinstance(message, PingMessage):
        conn.send({"type": "pong"})
    elif isinstance(message, CursorMessage):
        if conn.cursors.take():  # cursors over the rate are dropped silently: the next one supersedes them
            await hub.publish_cursor(room, conn, message.x, message.y)
    elif isinstance(message, OpMessage):
        if not conn.ops.take():
            conn.send(
                {
                    "type": "error",
                    "code": "rate-limited",
                    "detail": f"At most {hub.limits.ops_per_second:g} ops per second "
                    f"(bursts of {hub.limits.ops_burst}); this op was not applied.",
                    "client_op_id": message.client_op_id,
                }
            )
            return
        if not conn.can_edit:
            refused = CampaignReadOnly()
            conn.send(
                {"type": "error", "code": refused.code, "detail": refused.detail, "client_op_id": message.client_op_id}
            )
            return
        try:
            await canvas.apply(
                conn.principal,
                room.campaign_id,
                msgspec.to_builtins(message.op),
                client_op_id=message.client_op_id,
                origin=conn.id,
            )
        except SessionEnded as exc:
            conn.end(CLOSE_UNAUTHORIZED, exc.code, exc.detail)
        except CampaignNotFound:
            conn.end(CLOSE_FORBIDDEN, "access-lost", "You no longer have access to this campaign.")
        except AppError as exc:
            conn.send({"type": "error", "code": exc.code, "detail": exc.detail, "client_op_id": message.client_op_id})


@websocket(
    "/ws/campaigns/{campaign_id:uuid}",
    opt={"exclude_from_auth": True},  # authenticated below, before accept, from header or ?token=
)
async def canvas_room(socket: WebSocket[Any, Any, Any], campaign_id: FromPath[uuid.UUID], state: State) -> None:
    services = state.services
    hub: RoomHub = state.rooms
    canvas: CanvasService = services.canvas
    if not _origin_allowed(socket, services.settings.cors_allow_origins):
        await socket.close(code=CLOSE_FORBIDDEN, reason="origin-not-allowed")
        return
    token = _token(socket)
    if token is None:
        await socket.close(code=CLOSE_UNAUTHORIZED, reason="authentication required")
        return
    try:
        principal, _ = await services.auth.authenticate(token)
        can_edit = await canvas.access(principal, campaign_id)
    except AppError as exc:
        await socket.close(code=CLOSE_UNAUTHORIZED if exc.status == 401 else CLOSE_FORBIDDEN, reason=exc.code)
        return
    since_raw = socket.query_params.get("since_version")
    since_version = int(since_raw) if since_raw and since_raw.isdigit() and len(since_raw) < 19 else None

    await socket.accept()
    if hub.sockets_of(principal.user_id, campaign_id) >= hub.limits.sockets_per_user:
        limit = hub.limits.sockets_per_user
        detail = f"At most {limit} connections per user in one room."
        with contextlib.suppress(Exception):
            await socket.send_data(encode({"type": "error", "code": "too-many-connections", "detail": detail}).decode())
            await socket.close(code=CLOSE_TOO_MANY, reason="too-many-connections")
        return
    try:
        lock = await canvas.layer_lock(principal, campaign_id)
    except Exception:
        lock = LayerLock(applies=principal.is_guest)  # when in doubt, a guest sees no AI result
    conn = hub.new_connection(socket, principal, can_edit, lock)
    try:
        room = await hub.join(conn, campaign_id, since_version)
    except Exception:  # Redis or Postgres away: say so and close; the client retries later
        log.warning("room join failed", campaign_id=str(campaign_id), exc_info=True)
        with contextlib.suppress(Exception):
            await socket.send_data(
                encode({"type": "error", "code": "service-unavailable", "detail": "Try again shortly."}).decode()
            )
            await socket.close(code=CLOSE_TRY_AGAIN, reason="service-unavailable")
        return

    async def receiver() -> None:
        while True:
            raw = await socket.receive_data(mode="text")
            await _handle(hub, canvas, conn, room, raw if isinstance(raw, str) else raw.decode())

    tasks = [
        asyncio.create_task(receiver(), name="ws-receive"),
        asyncio.create_task(_sender(conn), name="ws-send"),
        asyncio.create_task(conn.dropped.wait(), name="ws-dropped"),
    ]
    try:
        # Whichever ends first ends the connection: client gone, socket broken, or client too slow.
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        await hub.leave(conn, room)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        if conn.ended is not None:
            close_code, code, detail = conn.ended
            with contextlib.suppress(Exception):
                await socket.send_data(encode({"type": "error", "code": code, "detail": detail}).decode())
                await socket.close(code=close_code, reason=code)
        elif conn.dropped.is_set():
            with contextlib.suppress(Exception):
                await socket.close(code=CLOSE_TOO_SLOW, reason="too slow: reconnect with since_version")
