"""Ports the accounts services need; adapters implement them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Protocol

from app.domain.accounts.entities import (
    AuthSession,
    ExternalIdentity,
    OAuthAuthorization,
    OneTimeToken,
    RefreshTokenRecord,
    TokenClaims,
    TokenPurpose,
    User,
    VerifiedIdentity,
)
from app.domain.kernel import Page, Principal, Role, UnitOfWork


class UserRepository(Protocol):
    async def add(self, user: User) -> None:
        """Insert; raises EmailTaken/UsernameTaken on a uniqueness clash."""

    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> User | None: ...

    async def get_by_login(self, login: str) -> User | None:
        """Find by username or email, both case-insensitively."""

    async def get_by_email(self, email: str) -> User | None: ...

    async def username_exists(self, username: str) -> bool: ...

    async def update(self, user: User) -> None:
        """Persist all fields; raises EmailTaken/UsernameTaken on a clash."""

    async def delete(self, user_id: uuid.UUID) -> bool: ...

    async def search(
        self, *, query: str | None, role: Role | None, is_active: bool | None, page: int, page_size: int
    ) -> Page[User]: ...


class SessionRepository(Protocol):
    async def add(self, session: AuthSession) -> None: ...

    async def get_with_user(self, session_id: uuid.UUID, user_id: uuid.UUID) -> tuple[AuthSession, User] | None:
        """One round trip: what access-token authentication needs."""

    async def revoke(self, session_id: uuid.UUID, *, reason: str, now: datetime) -> None: ...

    async def revoke_all_for_user(
        self, user_id: uuid.UUID, *, reason: str, now: datetime, keep: uuid.UUID | None = None
    ) -> int: ...


class RefreshTokenRepository(Protocol):
    async def add(self, record: RefreshTokenRecord) -> None: ...

    async def get_for_update(self, jti: uuid.UUID) -> RefreshTokenRecord | None:
        """Locks the row so two concurrent refreshes with one token serialise."""

    async def mark_used(self, jti: uuid.UUID, *, now: datetime) -> None: ...


class OneTimeTokenRepository(Protocol):
    async def add(self, token: OneTimeToken) -> None: ...

    async def get_by_hash_for_update(self, token_hash: str, purpose: TokenPurpose) -> OneTimeToken | None: ...

    async def mark_used(self, token_id: uuid.UUID, *, now: datetime) -> None: ...

    async def invalidate_unused(self, user_id: uuid.UUID, purpose: TokenPurpose, *, now: datetime) -> None: ...


class IdentityRepository(Protocol):
    async def get(self, provider: str, subject: str) -> ExternalIdentity | None: ...

    async def add(self, identity: ExternalIdentity) -> None: ...


class OAuthStateRepository(Protocol):
    async def add(self, authorization: OAuthAuthorization) -> None: ...

    async def pop(self, state: str) -> OAuthAuthorization | None:
        """Delete and return: a state can be redeemed once."""


class AccountsUnitOfWork(UnitOfWork, Protocol):
    users: UserRepository
    sessions: SessionRepository
    refresh_tokens: RefreshTokenRepository
    one_time_tokens: OneTimeTokenRepository
    identities: IdentityRepository
    oauth_states: OAuthStateRepository

    async def __aexit__(self, *exc_info: object) -> None:
        """Rolls back whatever was not committed."""


AccountsUnitOfWorkFactory = Callable[[], AccountsUnitOfWork]


class PrincipalDirectory(Protocol):
    """Who the holders of these sessions are *now*: only live sessions of active users are returned,
    with their current role. Long-lived connections (websockets) re-check through it."""

    async def live(self, session_ids: Collection[uuid.UUID], *, now: datetime) -> dict[uuid.UUID, Principal]: ...


class PasswordHasher(Protocol):
    """Deliberately slow (argon2id): implementations run off the event loop, hence async."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class TokenCodec(Protocol):
    """Signs and validates JWTs (iss/aud/exp/iat/jti)."""

    def encode(self, claims: TokenClaims) -> str: ...

    def decode(self, token: str, *, expected_type: str) -> TokenClaims:
        """Raises InvalidToken for anything expired, tampered or malformed."""


class IdentityProvider(Protocol):
    """An OpenID Connect provider (Google)."""

    name: str

    async def authorization_url(self, *, state: str, nonce: str, code_verifier: str) -> str: ...

    async def complete_authorization(self, *, code: str, code_verifier: str, nonce: str) -> VerifiedIdentity:
        """Exchange the code and validate the id_token; raises OAuthFailed."""

    async def verify_id_token(self, id_token: str, *, nonce: str | None) -> VerifiedIdentity:
        """Validate signature (JWKS), iss, aud, exp and nonce; raises OAuthFailed."""
