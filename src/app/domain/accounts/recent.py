"""Principals whose access token and session were verified moments ago.

Checking a bearer token costs a signature check and a database round trip; a busy client sends many
requests a second with the same token. Each process keeps, for at most `recheck_after`, what the last
full check found, so revocation reaches every process within that time (the rule is "within 1 s";
the default is 0.5 s), and the process that revokes forgets at once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.accounts.entities import TokenClaims
from app.domain.kernel import Principal


@dataclass(frozen=True, slots=True)
class _Checked:
    principal: Principal
    claims: TokenClaims
    at: datetime


class RecentPrincipals:
    def __init__(self, *, recheck_after: timedelta, max_entries: int = 10_000) -> None:
        self._ttl = recheck_after
        self._max = max_entries
        self._by_token: dict[str, _Checked] = {}
        self._in_flight: dict[str, asyncio.Future[tuple[Principal, TokenClaims]]] = {}

    async def single_flight(
        self, token: str, check: Callable[[], Awaitable[tuple[Principal, TokenClaims]]]
    ) -> tuple[Principal, TokenClaims]:
        """Run `check` for this token unless one is already running; either way, return its outcome."""
        running = self._in_flight.get(token)
        if running is not None:
            try:
                return await asyncio.shield(running)
            except asyncio.CancelledError:
                if running.cancelled():  # the request running the check went away, not this one
                    return await check()
                raise
        future: asyncio.Future[tuple[Principal, TokenClaims]] = asyncio.get_running_loop().create_future()
        self._in_flight[token] = future
        try:
            result = await check()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody else was waiting
            raise
        else:
            future.set_result(result)
            return result
        finally:
            del self._in_flight[token]

    def get(self, token: str, now: datetime) -> tuple[Principal, TokenClaims] | None:
        checked = self._by_token.get(token)
        if checked is None:
            return None
        if now - checked.at >= self._ttl or now >= checked.claims.expires_at:
            self._by_token.pop(token, None)
            return None
        return checked.principal, checked.claims

    def put(self, token: str, principal: Principal, claims: TokenClaims, now: datetime) -> None:
        if self._ttl <= timedelta(0):
            return
        if len(self._by_token) >= self._max:
            self._by_token.clear()  # rare (10,000 live tokens within the window); correctness never depends on it
        self._by_token[token] = _Checked(principal, claims, now)

    def forget_session(self, session_id: uuid.UUID) -> None:
        for token in [t for t, c in self._by_token.items() if c.principal.session_id == session_id]:
            self._by_token.pop(token, None)

    def forget_user(self, user_id: uuid.UUID) -> None:
        for token in [t for t, c in self._by_token.items() if c.principal.user_id == user_id]:
            self._by_token.pop(token, None)
