"""Request rate limits for the HTTP edge: fixed windows in the app's store (memory, or Redis when
configured so every process shares them), always answering 429 problem+json with Retry-After.

The client address is the direct peer unless that peer is a trusted proxy (TRUSTED_PROXIES),
only then the nearest untrusted address in X-Forwarded-For: a caller cannot pick its own identity.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable
from typing import Any, Literal

import msgspec
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.stores.base import Store

from app.core.errors import TooManyRequests

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: list[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    peer = connection.client.host if connection.client else ""
    networks: tuple[Network, ...] = getattr(connection.app.state, "trusted_proxies", ())
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [h.strip() for h in connection.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    # Walk from the nearest hop outwards; the first address we do not trust is the client.
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


async def hit(store: Store, key: str, *, limit: int, window_seconds: int) -> float | None:
    """Count one request against `key` in a sliding window (the times of the last `limit` requests);
    the seconds to wait when over `limit`, else None. No burst of 2x at a window's edge."""
    now = time.time()
    raw = await store.get(key)
    recent = [t for t in (msgspec.json.decode(raw) if raw else []) if t > now - window_seconds]
    if len(recent) >= limit:
        return recent[-limit] + window_seconds - now
    recent.append(now)
    await store.set(key, msgspec.json.encode(recent[-limit:]), expires_in=window_seconds + 1)
    return None


def too_many(retry_after: float, what: str) -> TooManyRequests:
    seconds = max(1, math.ceil(retry_after))
    return TooManyRequests(f"Too many {what}; try again in {seconds} s.", headers={"Retry-After": str(seconds)})


def rate_limit_guard(
    bucket: str, per_minute: int | str, *, by: Literal["address", "user"] = "address"
) -> Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Any]:
    """A route guard: `per_minute` requests per client address (or signed-in user) in `bucket`.
    `per_minute` may name a setting, read when the request comes."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        limit = (
            per_minute if isinstance(per_minute, int) else getattr(connection.app.state.services.settings, per_minute)
        )
        user = connection.scope.get("user")
        identity = str(user.user_id) if by == "user" and user is not None else client_address(connection)
        store = connection.app.stores.get("rate_limit")
        wait = await hit(store, f"{bucket}:{identity}", limit=limit, window_seconds=60)
        if wait is not None:
            raise too_many(wait, "requests")

    guard.__name__ = f"rate_limit_{bucket}"
    return guard


class LoginThrottle:
    """Per-account brute-force brake beside the per-address limit: after `free_failures` wrong passwords
    for one login name, each further attempt waits twice as long as the last (capped). A success resets it.
    Counted per name whether or not the account exists, so it reveals nothing."""

    def __init__(self, store: Store, *, free_failures: int, base_seconds: float, max_seconds: float) -> None:
        self._store = store
        self._free = free_failures
        self._base = base_seconds
        self._max = max_seconds

    @staticmethod
    def _key(login: str) -> str:
        return "login-failures:" + login.strip().casefold()[:320]

    async def check(self, login: str) -> None:
        raw = await self._store.get(self._key(login))
        if raw is None:
            return
        failures, last = raw.decode().split(":")
        wait = self._delay(int(failures)) - (time.time() - float(last))
        if wait > 0:
            raise too_many(wait, "failed sign-ins for this account")

    async def failed(self, login: str) -> None:
        raw = await self._store.get(self._key(login))
        failures = int(raw.decode().split(":")[0]) + 1 if raw else 1
        await self._store.set(self._key(login), f"{failures}:{time.time()}".encode(), expires_in=int(self._max) + 60)

    async def succeeded(self, login: str) -> None:
        await self._store.delete(self._key(login))

    def _delay(self, failures: int) -> float:
        if failures < self._free:
            return 0.0
        return min(self._max, self._base * 2 ** (failures - self._free))
