"""Accounts entities: plain dataclasses, no framework types."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from app.domain.kernel import Role


class TokenPurpose(enum.StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"


PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "bio",
    "location",
    "website",
    "github_url",
    "linkedin_url",
    "twitter_url",
    "phone",
    "goals",
    "skills",
    "avatar_url",
)


@dataclass(slots=True, kw_only=True)
class User:
    id: uuid.UUID
    username: str
    email: str
    first_name: str = ""
    last_name: str = ""
    password_hash: str | None = None
    role: Role = Role.MEMBER
    is_active: bool = True
    is_guest: bool = False
    email_verified: bool = False
    phone: str = ""
    bio: str = ""
    location: str = ""
    website: str = ""
    github_url: str = ""
    linkedin_url: str = ""
    twitter_url: str = ""
    goals: str = ""
    skills: list[str] = field(default_factory=list)
    avatar_url: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_login_at: datetime | None = None

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None


@dataclass(slots=True, kw_only=True)
class AuthSession:
    """A refresh-token family: one sign-in on one device."""

    id: uuid.UUID
    user_id: uuid.UUID
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_reason: str = ""
    user_agent: str = ""
    ip_address: str = ""

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


@dataclass(slots=True, kw_only=True)
class RefreshTokenRecord:
    jti: uuid.UUID
    session_id: uuid.UUID
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(slots=True, kw_only=True)
class OneTimeToken:
    """Email verification / password reset token; only its hash is stored."""

    id: uuid.UUID
    user_id: uuid.UUID
    purpose: TokenPurpose
    token_hash: str
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(slots=True, kw_only=True)
class ExternalIdentity:
    provider: str
    subject: str
    user_id: uuid.UUID
    email: str


@dataclass(slots=True, kw_only=True)
class OAuthAuthorization:
    """Server-side record of an authorization request (state, nonce, PKCE verifier)."""

    state: str
    nonce: str
    code_verifier: str
    expires_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires_in: int
    refresh_expires_in: int
    token_type: str = "Bearer"


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenClaims:
    subject: uuid.UUID
    session_id: uuid.UUID
    jti: uuid.UUID
    token_type: str  # "access" | "refresh"
    issued_at: datetime
    expires_at: datetime
    role: Role | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifiedIdentity:
    """Claims of a validated OIDC id_token."""

    provider: str
    subject: str
    email: str
    email_verified: bool
    given_name: str = ""
    family_name: str = ""
    picture: str = ""
