"""Canvas rooms of this process: membership, presence, ordered fan-out of ops, slow readers,
quotas, and access that lasts only while it is true (re-checked against the database).

Ordering across processes: versions are assigned under a row lock, so they are gap-free per
room. Each process delivers them strictly in version order, holding early arrivals and filling
gaps from the database, so every client sees the same sequence whichever process it is on.
The hub drives a broker (memory or Redis, `brokers.py`) and knows nothing of HTTP: the
websocket listener does the handshake and hands it connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import msgspec
import structlog

from app.domain.canvas.entities import NO_LOCK, LayerLock
from app.domain.canvas.ports import room_channel
from app.domain.canvas.services import Access, CanvasService, edit_event
from app.domain.kernel import Principal

log = structlog.get_logger("realtime.rooms")
encode = msgspec.json.encode

MAX_MESSAGE_BYTES = 64 * 1024
SEND_QUEUE_LIMIT = 1024  # messages buffered per client before it counts as too slow
GAP_FILL_AFTER_SECONDS = 0.25
CLOSE_BAD_REQUEST = 4400
CLOSE_UNAUTHORIZED = 4401  # no token, bad token, or the session ended while connected
CLOSE_FORBIDDEN = 4403  # no access to the campaign, or access lost while connected
CLOSE_TOO_SLOW = 4408
CLOSE_TOO_MANY = 4429  # too many sockets for this user in this room
CLOSE_TRY_AGAIN = 1013  # RFC 6455 "try again later": a backing service is away


@dataclass(frozen=True, slots=True)
class RoomLimits:
    ops_per_second: float = 60.0
    ops_burst: int = 120
    cursors_per_second: float = 30.0
    sockets_per_user: int = 10
    recheck_seconds: float = 0.5


class TokenBucket:
    """`rate` per second on average, up to `burst` at once."""

    __slots__ = ("rate", "capacity", "tokens", "stamp")

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.capacity, self.tokens = rate, burst, burst
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass(eq=False)
class Connection:
    socket: Any  # the transport (a Litestar WebSocket); the hub only hands it back to the listener
    principal: Principal
    can_edit: bool
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    queue_limit: int = SEND_QUEUE_LIMIT
    queue: asyncio.Queue[bytes] = field(init=False)
    last_version: int = 0
    # Until its catch-up is sent, ops for this connection wait here.
    joining: list[dict[str, Any]] | None = field(default_factory=list)
    closed: bool = False
    dropped: asyncio.Event = field(default_factory=asyncio.Event)
    # Set when the connection must end for a reason of the server's: (close code, error code, detail).
    ended: tuple[int, str, str] | None = None
    # What this viewer may not see yet (guests' locked AI results), applied to snapshots, replays and ops.
    lock: LayerLock = NO_LOCK
    ops: TokenBucket = field(default_factory=lambda: TokenBucket(60, 120))
    cursors: TokenBucket = field(default_factory=lambda: TokenBucket(30, 30))

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(self.queue_limit)

    def end(self, close_code: int, code: str, detail: str) -> None:
        """Stop serving this socket at once (no more ops accepted); the listener sends the reason and closes."""
        if self.ended is None:
            self.ended = (close_code, code, detail)
            self.closed = True
            self.dropped.set()

    def send(self, message: dict[str, Any]) -> bool:
        return self.send_encoded(encode(message))

    def send_encoded(self, payload: bytes) -> bool:
        if self.closed:
            return False
        try:
            self.queue.put_nowait(payload)
            return True
        except asyncio.QueueFull:
            # A slow reader never blocks the room: it is dropped and may reconnect with since_version.
            self.closed = True
            self.dropped.set()
            return False


@dataclass(eq=False)
class Room:
    campaign_id: uuid.UUID
    connections: dict[str, Connection] = field(default_factory=dict)
    next_version: int | None = None  # None until the room read its starting version
    pending: dict[int, dict[str, Any]] = field(default_factory=dict)
    remote_members: dict[str, dict[str, str]] = field(default_factory=dict)
    gap_task: asyncio.Task[None] | None = None


class RoomHub:
    """All rooms of this process, fed by the broker."""

    def __init__(
        self,
        *,
        canvas: CanvasService,
        broker: Any,
        send_queue_limit: int = SEND_QUEUE_LIMIT,
        limits: RoomLimits | None = None,
    ) -> None:
        self._canvas = canvas
        self._broker = broker
        self.send_queue_limit = send_queue_limit
        self.limits = limits or RoomLimits()
        self._rooms: dict[uuid.UUID, Room] = {}
        self._by_channel: dict[str, Room] = {}
        self._lock = asyncio.Lock()
        self._recheck_task: asyncio.Task[None] | None = None
        broker.set_handler(self._on_broker_message)

    def new_connection(self, socket: Any, principal: Principal, can_edit: bool, lock: LayerLock) -> Connection:
        limits = self.limits
        return Connection(
            socket=socket,
            principal=principal,
            can_edit=can_edit,
            lock=lock,
            queue_limit=self.send_queue_limit,
            ops=TokenBucket(limits.ops_per_second, limits.ops_burst),
            cursors=TokenBucket(limits.cursors_per_second, max(1.0, limits.cursors_per_second)),
        )

    def sockets_of(self, user_id: uuid.UUID, campaign_id: uuid.UUID) -> int:
        room = self._rooms.get(campaign_id)
        return sum(1 for c in room.connections.values() if c.principal.user_id == user_id) if room else 0

    # -- access lasts only while it is true -----------------------------------
    def _ensure_rechecking(self) -> None:
        if self._recheck_task is None or self._recheck_task.done():
            self._recheck_task = asyncio.create_task(self._recheck_loop(), name="ws-recheck")

    async def _recheck_loop(self) -> None:
        """Every `recheck_seconds`, ask the database whether each open socket's session is live and its
        user may still see (or edit) the campaign. Sign-outs, password changes, disabled accounts, role
        changes and deleted campaigns all show here, whichever process made the change."""
        while self._rooms:
            await asyncio.sleep(self.limits.recheck_seconds)
            for room in list(self._rooms.values()):
                try:
                    await self.recheck(room)
                except Exception:  # the database may be away for a moment; try again next round
                    log.warning("room access re-check failed", campaign_id=str(room.campaign_id), exc_info=True)

    async def recheck(self, room: Room) -> None:
        conns = [c for c in room.connections.values() if not c.closed]
        if not conns:
            return
        access = await self._canvas.recheck(room.campaign_id, [c.principal for c in conns])
        for conn in conns:
            verdict = access.get(conn.principal.session_id)
            if verdict is Access.ENDED:
                conn.end(CLOSE_UNAUTHORIZED, "session-ended", "Your session has ended. Sign in again.")
            elif verdict is Access.LOST:
                conn.end(CLOSE_FORBIDDEN, "access-lost", "You no longer have access to this campaign.")
            elif verdict is not None:
                conn.can_edit = verdict is Access.EDIT
            if verdict in (Access.EDIT, Access.VIEW) and conn.principal.is_guest:
                await self._refresh_lock(room, conn)

    async def _refresh_lock(self, room: Room, conn: Connection) -> None:
        """A guest who has just watched the ad gets a fresh snapshot showing what it unlocked."""
        lock = await self._canvas.layer_lock(conn.principal, room.campaign_id)
        if lock == conn.lock or conn.joining is not None:
            return
        conn.lock = lock
        document = (await self._canvas.catch_up(room.campaign_id, None)).snapshot
        if document is not None and not conn.closed:
            conn.last_version = max(conn.last_version, document.version)
            conn.send({"type": "snapshot", "version": document.version, "document": lock.state(document.state())})

    # -- membership -----------------------------------------------------------
    async def join(self, conn: Connection, campaign_id: uuid.UUID, since_version: int | None) -> Room:
        async with self._lock:
            room = self._rooms.get(campaign_id)
            if room is None:
                room = self._rooms[campaign_id] = Room(campaign_id)
                self._by_channel[room_channel(campaign_id)] = room
                try:
                    await self._broker.subscribe(room_channel(campaign_id))
                    # Subscribed first, then read: no op can fall between the two.
                    start = (await self._canvas.catch_up(campaign_id, None)).snapshot
                except Exception:
                    # Nothing half-made stays behind: the next join starts the room afresh.
                    self._rooms.pop(campaign_id, None)
                    self._by_channel.pop(room_channel(campaign_id), None)
                    with contextlib.suppress(Exception):
                        await self._broker.unsubscribe(room_channel(campaign_id))
                    raise
                room.next_version = (start.version if start else 0) + 1
                self._drain(room)
            room.connections[conn.id] = conn
            self._ensure_rechecking()
        try:
            catch_up = await self._canvas.catch_up(campaign_id, since_version)
        except Exception:
            await self.leave(conn, room)
            raise
        if catch_up.snapshot is not None:
            document = catch_up.snapshot
            conn.last_version = document.version
            conn.send({"type": "snapshot", "version": document.version, "document": conn.lock.state(document.state())})
        else:
            edits = catch_up.edits or []
            conn.last_version = edits[-1].version if edits else since_version or 0
            ops = [edit_event(e, origin=None) for e in edits]
            conn.send({"type": "replay", "from_version": since_version, "ops": [self._visible(conn, op) for op in ops]})
        held, conn.joining = conn.joining or [], None
        for event in held:
            self._deliver_to(conn, event)
        await self._broker.publish(
            room_channel(campaign_id),
            {
                "type": "presence_hello",
                "conn": conn.id,
                "user_id": str(conn.principal.user_id),
                "username": conn.principal.username,
            },
        )
        self._send_presence(room)
        return room

    async def leave(self, conn: Connection, room: Room) -> None:
        conn.closed = True
        async with self._lock:
            room.connections.pop(conn.id, None)
            if not room.connections:
                self._rooms.pop(room.campaign_id, None)
                self._by_channel.pop(room_channel(room.campaign_id), None)
                if room.gap_task:
                    room.gap_task.cancel()
                with contextlib.suppress(Exception):  # a broker outage must not keep a socket from leaving
                    await self._broker.unsubscribe(room_channel(room.campaign_id))
        with contextlib.suppress(Exception):
            await self._broker.publish(room_channel(room.campaign_id), {"type": "presence_leave", "conn": conn.id})
        self._send_presence(room)

    def members(self, room: Room) -> list[dict[str, str]]:
        local = {
            c.id: {"user_id": str(c.principal.user_id), "username": c.principal.username}
            for c in room.connections.values()
        }
        everyone = {**room.remote_members, **local}
        unique = {m["user_id"]: m for m in everyone.values()}
        return sorted(unique.values(), key=lambda m: m["username"])

    def _send_presence(self, room: Room) -> None:
        message = {"type": "presence", "users": self.members(room)}
        for conn in list(room.connections.values()):
            conn.send(message)

    async def stop(self) -> None:
        if self._recheck_task is not None:
            self._recheck_task.cancel()
        for room in list(self._rooms.values()):
            for conn in list(room.connections.values()):
                conn.closed = True
            if room.gap_task:
                room.gap_task.cancel()
        self._rooms.clear()
        self._by_channel.clear()

    # -- inbound fan-out --------------------------------------------------------
    def _on_broker_message(self, channel: str, message: dict[str, Any]) -> None:
        room = self._by_channel.get(channel)
        if room is None:
            return
        kind = message.get("type")
        if kind == "op":
            room.pending[message["version"]] = message
            self._drain(room)
        elif kind == "cursor":
            for conn in list(room.connections.values()):
                if (
                    conn.id != message.get("conn")
                    and conn.joining is None
                    and conn.queue.qsize() < conn.queue_limit // 2
                ):
                    conn.send({"type": "cursor", "user_id": message["user_id"], "x": message["x"], "y": message["y"]})
        elif kind == "generation":
            for conn in list(room.connections.values()):
                if conn.joining is None:
                    conn.send(message)
        elif kind == "presence_hello":
            if message["conn"] not in room.connections:
                room.remote_members[message["conn"]] = {"user_id": message["user_id"], "username": message["username"]}
                # Tell the newcomer's process who is here.
                for conn in room.connections.values():
                    asyncio.ensure_future(self._announce(room, conn))
                self._send_presence(room)
        elif kind == "presence_announce":
            if message["conn"] not in room.connections and message["conn"] not in room.remote_members:
                room.remote_members[message["conn"]] = {"user_id": message["user_id"], "username": message["username"]}
                self._send_presence(room)
        elif kind == "presence_leave" and room.remote_members.pop(message["conn"], None) is not None:
            self._send_presence(room)

    async def _announce(self, room: Room, conn: Connection) -> None:
        with contextlib.suppress(Exception):
            await self._broker.publish(
                room_channel(room.campaign_id),
                {
                    "type": "presence_announce",
                    "conn": conn.id,
                    "user_id": str(conn.principal.user_id),
                    "username": conn.principal.username,
                },
            )

    def _drain(self, room: Room) -> None:
        """Deliver pending ops in version order; on a gap, wait briefly, then fetch it."""
        if room.next_version is None:
            return
        for version in [v for v in room.pending if v < room.next_version]:
            del room.pending[version]
        while room.next_version in room.pending:
            event = room.pending.pop(room.next_version)
            room.next_version += 1
            for conn in list(room.connections.values()):
                self._deliver_to(conn, event)
        if room.pending and (room.gap_task is None or room.gap_task.done()):
            room.gap_task = asyncio.create_task(self._fill_gap(room))

    async def _fill_gap(self, room: Room) -> None:
        await asyncio.sleep(GAP_FILL_AFTER_SECONDS)
        if not room.pending or room.next_version is None:
            return
        missing_from = room.next_version
        catch_up = await self._canvas.catch_up(room.campaign_id, missing_from - 1)
        for edit in catch_up.edits or []:
            room.pending.setdefault(edit.version, edit_event(edit, origin=None))
        self._drain(room)

    def _deliver_to(self, conn: Connection, event: dict[str, Any]) -> None:
        if conn.joining is not None:
            conn.joining.append(event)
            return
        if event["version"] <= conn.last_version:
            return
        conn.last_version = event["version"]
        if event.get("origin") == conn.id:
            conn.send({"type": "ack", "client_op_id": event["client_op_id"], "version": event["version"]})
        elif conn.lock.touches(event["op"]):
            conn.send(self._visible(conn, event))
        else:
            # Encoded once per event, not once per listener: a busy room fans out a lot.
            if "_encoded" not in event:
                event["_encoded"] = encode({k: v for k, v in event.items() if k != "origin"})
            conn.send_encoded(event["_encoded"])

    @staticmethod
    def _visible(conn: Connection, event: dict[str, Any]) -> dict[str, Any]:
        """The op event as this connection may see it (encoded per connection only when it differs)."""
        visible = {k: v for k, v in event.items() if k not in ("origin", "_encoded")}
        if conn.lock.touches(event["op"]):
            visible["op"] = conn.lock.op(event["op"])
        return visible

    async def publish_cursor(self, room: Room, conn: Connection, x: float, y: float) -> None:
        await self._broker.publish(
            room_channel(room.campaign_id),
            {"type": "cursor", "conn": conn.id, "user_id": str(conn.principal.user_id), "x": x, "y": y},
        )
