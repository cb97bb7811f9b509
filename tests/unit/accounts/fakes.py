"""In-memory fakes of the accounts ports (the first module to have them; later modules use tests/unit/fakes.py)."""

from __future__ import annotations

import copy
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from app.domain.accounts.entities import (
    AuthSession,
    ExternalIdentity,
    OAuthAuthorization,
    OneTimeToken,
    RefreshTokenRecord,
    TokenPurpose,
    User,
)
from app.domain.accounts.errors import EmailTaken, UsernameTaken
from app.domain.kernel import Page, Role


class MemoryStore:
    """The 'database': committed state, copied into each unit of work."""

    def __init__(self) -> None:
        self.users: dict[uuid.UUID, User] = {}
        self.sessions: dict[uuid.UUID, AuthSession] = {}
        self.refresh: dict[uuid.UUID, RefreshTokenRecord] = {}
        self.one_time: dict[uuid.UUID, OneTimeToken] = {}
        self.identities: dict[tuple[str, str], ExternalIdentity] = {}
        self.oauth: dict[str, OAuthAuthorization] = {}
        self.outbox: list[tuple[str, dict[str, Any]]] = []

    def snapshot(self) -> dict[str, Any]:
        return copy.deepcopy({k: v for k, v in vars(self).items()})

    def restore(self, state: dict[str, Any]) -> None:
        vars(self).update(state)


class _Users:
    def __init__(self, state: dict[str, Any]) -> None:
        self.s = state

    def _clash(self, user: User) -> None:
        for other in self.s["users"].values():
            if other.id == user.id:
                continue
            if other.email.lower() == user.email.lower():
                raise EmailTaken()
            if other.username.lower() == user.username.lower():
                raise UsernameTaken()

    async def add(self, user: User) -> None:
        self._clash(user)
        self.s["users"][user.id] = copy.deepcopy(user)

    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> User | None:
        user = self.s["users"].get(user_id)
        return copy.deepcopy(user) if user else None

    async def get_by_login(self, login: str) -> User | None:
        for user in self.s["users"].values():
            if login.lower() in (user.username.lower(), user.email.lower()):
                return copy.deepcopy(user)
        return None

    async def get_by_email(self, email: str) -> User | None:
        for user in self.s["users"].values():
            if user.email.lower() == email.lower():
                return copy.deepcopy(user)
        return None

    async def username_exists(self, username: str) -> bool:
        return any(u.username.lower() == username.lower() for u in self.s["users"].values())

    async def update(self, user: User) -> None:
        self._clash(user)
        self.s["users"][user.id] = copy.deepcopy(user)

    async def delete(self, user_id: uuid.UUID) -> bool:
        return self.s["users"].pop(user_id, None) is not None

    async def search(
        self, *, query: str | None, role: Role | None, is_active: bool | None, page: int, page_size: int
    ) -> Page[User]:
        items = [
            u
            for u in self.s["users"].values()
            if (not query or query.lower() in f"{u.username} {u.email} {u.first_name} {u.last_name}".lower())
            and (role is None or u.role == role)
            and (is_active is None or u.is_active == is_active)
        ]
        items.sort(key=lambda u: u.created_at or datetime.min.replace(tzinfo=UTC), reverse=True)
        start = (page - 1) * page_size
        return Page(items=items[start : start + page_size], total=len(items), page=page, page_size=page_size)


class _Sessions:
    def __init__(self, state: dict[str, Any]) -> None:
        self.s = state

    async def add(self, session: AuthSession) -> None:
        self.s["sessions"][session.id] = copy.deepcopy(session)

    async def get_with_user(self, session_id: uuid.UUID, user_id: uuid.UUID) -> tuple[AuthSession, User] | None:
        session = self.s["sessions"].get(session_id)
        user = self.s["users"].get(user_id)
        if session is None or user is None or session.user_id != user_id:
            return None
        return copy.deepcopy(session), copy.deepcopy(user)

    async def revoke(self, session_id: uuid.UUID, *, reason: str, now: datetime) -> None:
        session = self.s["sessions"].get(session_id)
        if session and session.revoked_at is None:
            self.s["sessions"][session_id] = replace(session, revoked_at=now, revoked_reason=reason)

    async def revoke_all_for_user(
        self, user_id: uuid.UUID, *, reason: str, now: datetime, keep: uuid.UUID | None = None
    ) -> int:
        count = 0
        for sid, session in list(self.s["sessions"].items()):
            if session.user_id == user_id and session.revoked_at is None and sid != keep:
                self.s["sessions"][sid] = replace(session, revoked_at=now, revoked_reason=reason)
                count += 1
        return count


class _Refresh:
    def __init__(self, state: dict[str, Any]) -> None:
        self.s = state

    async def add(self, record: RefreshTokenRecord) -> None:
        self.s["refresh"][record.jti] = copy.deepcopy(record)

    async def get_for_update(self, jti: uuid.UUID) -> RefreshTokenRecord | None:
        record = self.s["refresh"].get(jti)
        return copy.deepcopy(record) if record else None

    async def mark_used(self, jti: uuid.UUID, *, now: datetime) -> None:
        self.s["refresh"][jti] = replace(self.s["refresh"][jti], used_at=now)


class _OneTime:
    def __init__(self, state: dict[str, Any]) -> None:
        self.s = state

    async def add(self, token: OneTimeToken) -> None:
        self.s["one_time"][token.id] = copy.deepcopy(token)

    async def get_by_hash_for_update(self, token_hash: str, purpose: TokenPurpose) -> OneTimeToken | None:
        for token in self.s["one_time"].values():
            if token.token_hash == token_hash and token.purpose == purpose:
                return copy.deepcopy(token)
        return None

    async def mark_used(self, token_id: uuid.UUID, *, now: datetime) -> None:
        self.s["one_time"][token_id] = replace(self.s["one_time"][token_id], used_at=now)

    async def invalidate_unused(self, user_id: uuid.UUID, purpose: TokenPurpose, *, now: datetime) -> None:
        for tid, token in list(self.s["one_time"].items()):
            if token.user_id == user_id and token.purpose == purpose and token.used_at is None:
                self.s["one_time"][tid] = replace(token, used_at=now)


class _Identities:
    def __init__(self, state: dict[str, Any]) -> None:
        self.s = state

    async def get(self, provider: str, subject: str) -> ExternalIdentity | None:
        return self.s["identities"].get((provider, subject))

    async def add(self, identity: ExternalIdentity) -> None:
        self.s["identities"][(identity.provider, identity.subject)] = identity


class _OAuth:
    def __init__(self, state: dict[str, Any]) -> None:
        self.s = state

    async def add(self, authorization: OAuthAuthorization) -> None:
        self.s["oauth"][authorization.state] = authorization

    async def pop(self, state: str) -> OAuthAuthorization | None:
        return self.s["oauth"].pop(state, None)


class _Outbox:
    def __init__(self, state: dict[str, Any]) -> None:
        self.s = state

    def add(self, message: Any) -> None:
        self.s["outbox"].append(message)


class MemoryUnitOfWork:
    """Works on a copy of the store; commit publishes it, leaving without commit discards it."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def __aenter__(self) -> MemoryUnitOfWork:
        self._state = self._store.snapshot()
        self.users = _Users(self._state)
        self.sessions = _Sessions(self._state)
        self.refresh_tokens = _Refresh(self._state)
        self.one_time_tokens = _OneTime(self._state)
        self.identities = _Identities(self._state)
        self.oauth_states = _OAuth(self._state)
        self.outbox = _Outbox(self._state)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._state = {}

    async def commit(self) -> None:
        self._store.restore(copy.deepcopy(self._state))


class PlainHasher:
    """Reversible 'hash' so unit tests skip argon2's deliberate slowness."""

    async def hash(self, password: str) -> str:
        return "plain$" + password

    async def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "plain$" + password

    def needs_rehash(self, password_hash: str) -> bool:
        return False
