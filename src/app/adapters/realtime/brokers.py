"""Channel fan-out between app processes: in-memory (one process) or Redis pub/sub.

Delivery is at-most-once and unordered across publishers; consumers that need
order (canvas rooms) sequence by version and fill gaps from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import msgspec
import structlog
from redis.asyncio import Redis

log = structlog.get_logger("realtime")

Handler = Callable[[str, dict[str, Any]], None]
_encode = msgspec.json.encode
_decode = msgspec.json.decode


class MemoryBroker:
    """Single-process broker: publish hands the message to the local handler."""

    def __init__(self) -> None:
        self._handler: Handler | None = None
        self._channels: set[str] = set()

    def set_handler(self, handler: Handler) -> None:
        self._handler = handler

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self._channels.clear()

    async def subscribe(self, channel: str) -> None:
        self._channels.add(channel)

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        if channel in self._channels and self._handler is not None:
            # Round-trip through JSON so both brokers hand consumers the same shapes.
            self._handler(channel, _decode(_encode(message)))


class RedisBroker:
    _CONTROL = "atelier:broker:control"  # keeps the pub/sub connection subscribed to something

    def __init__(self, url: str) -> None:
        self._redis: Redis = Redis.from_url(url)
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        self._handler: Handler | None = None
        self._reader: asyncio.Task[None] | None = None

    def set_handler(self, handler: Handler) -> None:
        self._handler = handler

    async def start(self) -> None:
        # Not awaited here: an unreachable Redis must not stop the API from starting; the reader
        # subscribes (and re-subscribes after an outage) in the background.
        self._reader = asyncio.create_task(self._read(), name="redis-broker-reader")

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        with contextlib.suppress(Exception):
            await self._pubsub.aclose()
        await self._redis.aclose()

    async def subscribe(self, channel: str) -> None:
        await self._pubsub.subscribe(channel)

    async def unsubscribe(self, channel: str) -> None:
        await self._pubsub.unsubscribe(channel)

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        await self._redis.publish(channel, _encode(message))

    async def ping(self) -> None:
        """Readiness: raises when Redis does not answer."""
        await self._redis.ping()

    async def _read(self) -> None:
        while True:
            try:
                if not self._pubsub.subscribed:
                    await self._pubsub.subscribe(self._CONTROL)
                message = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # connection blip: redis-py reconnects and resubscribes on next call
                log.warning("redis pub/sub read failed", error=f"{type(exc).__name__}: {exc}")
                await asyncio.sleep(0.5)
                continue
            if message is None or message.get("type") != "message" or self._handler is None:
                continue
            channel = message["channel"].decode() if isinstance(message["channel"], bytes) else message["channel"]
            try:
                self._handler(channel, _decode(message["data"]))
            except Exception:
                log.exception("realtime handler failed", channel=channel)
