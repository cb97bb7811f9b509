"""Accounts use cases: registration, sign-in, token rotation, email flows,
profiles, guest accounts, administration and external sign-in."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from app.core.clock import Clock
from app.core.errors import FieldError, ValidationFailed
from app.core.ids import new_id, random_token
from app.domain.accounts.entities import (
    PROFILE_FIELDS,
    AuthSession,
    ExternalIdentity,
    OAuthAuthorization,
    OneTimeToken,
    Page,
    Principal,
    RefreshTokenRecord,
    Role,
    TokenClaims,
    TokenPair,
    TokenPurpose,
    User,
    VerifiedIdentity,
)
from app.domain.accounts.errors import (
    AccountInactive,
    EmailTaken,
    InvalidCredentials,
    InvalidOneTimeToken,
    InvalidToken,
    InvalidUsername,
    NotAGuest,
    OauthEmailUnverified,
    OauthInvalidState,
    PasswordMismatch,
    SelfDeletion,
    SelfDemotion,
    TokenReuseDetected,
    UserNotFound,
    WeakPassword,
    WrongPassword,
)
from app.domain.accounts.ports import (
    AccountsUnitOfWork,
    AccountsUnitOfWorkFactory,
    IdentityProvider,
    PasswordHasher,
    TokenCodec,
)
from app.domain.notifications.ports import EmailMessage, Mailer
from app.domain.outbox import SendPasswordResetEmail, SendVerificationEmail

# Outbox task names: the job entrypoint maps each to a service method.

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,30}$")
PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128
_COMMON_PASSWORDS = frozenset(
    {
        "password123",
        "password1234",
        "qwerty12345",
        "1234567890",
        "letmein123",
        "welcome123",
        "iloveyou123",
        "administrator",
        "passw0rd123",
        "changeme123",
        "qwertyuiop",
        "1q2w3e4r5t",
    }
)


def password_problems(password: str, *, username: str = "", email: str = "") -> list[str]:
    """The strong-password rule: every way `password` falls short (empty = strong)."""
    problems: list[str] = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"must be at least {PASSWORD_MIN_LENGTH} characters")
    if len(password) > PASSWORD_MAX_LENGTH:
        problems.append(f"must be at most {PASSWORD_MAX_LENGTH} characters")
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if classes < 3:
        problems.append("must mix at least three of: lowercase, uppercase, digits, symbols")
    lowered = password.lower()
    if lowered in _COMMON_PASSWORDS:
        problems.append("is too common")
    for personal in (username.lower(), email.split("@")[0].lower()):
        if len(personal) >= 3 and personal in lowered:
            problems.append("must not contain your username or email")
            break
    return problems


def _require_strong(password: str, confirm: str, *, field: str, username: str, email: str) -> None:
    if password != confirm:
        raise PasswordMismatch("The passwords do not match.", errors=[FieldError(f"{field}_confirm", "does not match")])
    problems = password_problems(password, username=username, email=email)
    if problems:
        raise WeakPassword(
            "The password is too weak: " + "; ".join(problems) + ".",
            errors=[FieldError(field, p) for p in problems],
        )


def normalize_email(email: str) -> str:
    """Emails are stored as given but compared case-insensitively; trim only."""
    return email.strip()


def hash_one_time_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class TokenPolicy:
    access_ttl: timedelta
    refresh_ttl: timedelta
    email_token_ttl: timedelta
    password_reset_ttl: timedelta
    frontend_url: str
    app_name: str = "Atelier"


@dataclass(frozen=True, slots=True)
class Registration:
    username: str
    email: str
    password: str
    password_confirm: str
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True, slots=True)
class ClientInfo:
    user_agent: str = ""
    ip_address: str = ""


class AuthService:
    """Credentials, token pairs, sessions and the email-token flows."""

    def __init__(
        self,
        *,
        uow: AccountsUnitOfWorkFactory,
        hasher: PasswordHasher,
        tokens: TokenCodec,
        mailer: Mailer,
        clock: Clock,
        policy: TokenPolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._tokens = tokens
        self._mailer = mailer
        self._clock = clock
        self._policy = policy
        # Verified against when the user is unknown, so both paths cost one hash (made on first use).
        self._dummy_hash: str | None = None

    # -- sessions and tokens -------------------------------------------------
    async def open_session(self, uow: AccountsUnitOfWork, user: User, client: ClientInfo) -> TokenPair:
        """Start a refresh-token family for `user` inside the caller's unit of work."""
        now = self._clock.now()
        session = AuthSession(
            id=new_id(),
            user_id=user.id,
            created_at=now,
            expires_at=now + self._policy.refresh_ttl,
            user_agent=client.user_agent[:300],
            ip_address=client.ip_address[:64],
        )
        await uow.sessions.add(session)
        return await self._issue_pair(uow, user, session.id, now)

    async def _issue_pair(self, uow: AccountsUnitOfWork, user: User, session_id: uuid.UUID, now: datetime) -> TokenPair:
        refresh_jti = new_id()
        await uow.refresh_tokens.add(
            RefreshTokenRecord(
                jti=refresh_jti, session_id=session_id, issued_at=now, expires_at=now + self._policy.refresh_ttl
            )
        )
        access = TokenClaims(
            subject=user.id,
            session_id=session_id,
            jti=new_id(),
            token_type="access",
            issued_at=now,
            expires_at=now + self._policy.access_ttl,
            role=user.role,
        )
        refresh = TokenClaims(
            subject=user.id,
            session_id=session_id,
            jti=refresh_jti,
            token_type="refresh",
            issued_at=now,
            expires_at=now + self._policy.refresh_ttl,
        )
        return TokenPair(
            access_token=self._tokens.encode(access),
            refresh_token=self._tokens.encode(refresh),
            access_expires_in=int(self._policy.access_ttl.total_seconds()),
            refresh_expires_in=int(self._policy.refresh_ttl.total_seconds()),
        )

    async def login(self, login: str, password: str, client: ClientInfo) -> TokenPair:
        async with self._uow() as uow:
            user = await uow.users.get_by_login(login.strip())
            if user is None or user.password_hash is None:
                self._dummy_hash = self._dummy_hash or await self._hasher.hash(random_token(16))
                await self._hasher.verify(self._dummy_hash, password)
                raise InvalidCredentials()
            if not await self._hasher.verify(user.password_hash, password):
                raise InvalidCredentials()
            if not user.is_active:
                raise AccountInactive()
            now = self._clock.now()
            if self._hasher.needs_rehash(user.password_hash):
                user.password_hash = await self._hasher.hash(password)
            user.last_login_at = now
            await uow.users.update(user)
            pair = await self.open_session(uow, user, client)
            await uow.commit()
            return pair

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Rotate: the presented token is spent; presenting a spent one revokes its family."""
        claims = self._tokens.decode(refresh_token, expected_type="refresh")
        async with self._uow() as uow:
            record = await uow.refresh_tokens.get_for_update(claims.jti)
            if record is None or record.session_id != claims.session_id:
                raise InvalidToken("Unknown refresh token.")
            now = self._clock.now()
            if record.used_at is not None:
                await uow.sessions.revoke(record.session_id, reason="refresh-token-reuse", now=now)
                await uow.commit()
                raise TokenReuseDetected()
            found = await uow.sessions.get_with_user(claims.session_id, claims.subject)
            if found is None:
                raise InvalidToken("Unknown session.")
            session, user = found
            if not session.is_live(now):
                raise InvalidToken("This session has ended. Sign in again.")
            if not user.is_active:
                raise AccountInactive()
            await uow.refresh_tokens.mark_used(record.jti, now=now)
            pair = await self._issue_pair(uow, user, session.id, now)
            await uow.commit()
            return pair

    async def logout(self, principal: Principal) -> None:
        async with self._uow() as uow:
            await uow.sessions.revoke(principal.session_id, reason="logout", now=self._clock.now())
            await uow.commit()

    async def authenticate(self, token: str, *, expected_type: str = "access") -> tuple[Principal, TokenClaims]:
        """Validate a token and that its session and user are still live."""
        claims = self._tokens.decode(token, expected_type=expected_type)
        async with self._uow() as uow:
            found = await uow.sessions.get_with_user(claims.session_id, claims.subject)
        if found is None:
            raise InvalidToken("Unknown session.")
        session, user = found
        if not session.is_live(self._clock.now()):
            raise InvalidToken("This session has ended. Sign in again.")
        if not user.is_active:
            raise AccountInactive()
        principal = Principal(
            user_id=user.id,
            session_id=session.id,
            role=user.role,
            is_guest=user.is_guest,
            email_verified=user.email_verified,
            username=user.username,
        )
        return principal, claims

    # -- passwords -----------------------------------------------------------
    async def change_password(self, principal: Principal, old: str, new: str, confirm: str) -> None:
        async with self._uow() as uow:
            user = await _get_user(uow, principal.user_id, for_update=True)
            if user.password_hash is None or not await self._hasher.verify(user.password_hash, old):
                raise WrongPassword(
                    "The current password is incorrect.", errors=[FieldError("old_password", "is incorrect")]
                )
            _require_strong(new, confirm, field="new_password", username=user.username, email=user.email)
            user.password_hash = await self._hasher.hash(new)
            await uow.users.update(user)
            # Other devices must sign in again; this one stays.
            await uow.sessions.revoke_all_for_user(
                user.id, reason="password-changed", now=self._clock.now(), keep=principal.session_id
            )
            await uow.commit()

    async def request_password_reset(self, email: str) -> None:
        """Always succeeds from the caller's view: existence is never revealed."""
        async with self._uow() as uow:
            user = await uow.users.get_by_email(normalize_email(email))
            if user is None or not user.is_active or user.is_guest:
                return
            uow.outbox.add(SendPasswordResetEmail(user.id))
            await uow.commit()

    async def confirm_password_reset(self, raw_token: str, new: str, confirm: str) -> None:
        async with self._uow() as uow:
            token = await self._redeem(uow, raw_token, TokenPurpose.RESET_PASSWORD)
            user = await _get_user(uow, token.user_id, for_update=True)
            _require_strong(new, confirm, field="new_password", username=user.username, email=user.email)
            user.password_hash = await self._hasher.hash(new)
            # Whoever could read the mailbox proved ownership of the address.
            user.email_verified = True
            await uow.users.update(user)
            await uow.sessions.revoke_all_for_user(user.id, reason="password-reset", now=self._clock.now())
            await uow.commit()

    # -- email verification --------------------------------------------------
    async def request_email_verification(self, principal: Principal) -> None:
        async with self._uow() as uow:
            user = await _get_user(uow, principal.user_id)
            if user.email_verified:
                return
            uow.outbox.add(SendVerificationEmail(user.id))
            await uow.commit()

    async def confirm_email(self, raw_token: str) -> None:
        async with self._uow() as uow:
            token = await self._redeem(uow, raw_token, TokenPurpose.VERIFY_EMAIL)
            user = await _get_user(uow, token.user_id, for_update=True)
            user.email_verified = True
            await uow.users.update(user)
            await uow.commit()

    async def _redeem(self, uow: AccountsUnitOfWork, raw_token: str, purpose: TokenPurpose) -> OneTimeToken:
        token = await uow.one_time_tokens.get_by_hash_for_update(hash_one_time_token(raw_token), purpose)
        now = self._clock.now()
        if token is None or token.used_at is not None or token.expires_at <= now:
            raise InvalidOneTimeToken()
        await uow.one_time_tokens.mark_used(token.id, now=now)
        return token

    # -- job handlers (run by the worker from the outbox) ----------------------
    async def send_verification_email(self, user_id: uuid.UUID) -> bool:
        raw = await self._issue_one_time(user_id, TokenPurpose.VERIFY_EMAIL, self._policy.email_token_ttl)
        if raw is None:
            return False
        user, token = raw
        link = f"{self._policy.frontend_url.rstrip('/')}/verify-email?token={token}"
        await self._mailer.send(
            EmailMessage(
                to=user.email,
                subject=f"Confirm your email for {self._policy.app_name}",
                text=(
                    f"Hi {user.first_name or user.username},\n\n"
                    f"Confirm your email address by opening this link:\n{link}\n\n"
                    f"Or send this code to POST /api/auth/email/verify: {token}\n\n"
                    f"The link expires in {int(self._policy.email_token_ttl.total_seconds() // 3600)} hours."
                ),
            )
        )
        return True

    async def send_password_reset_email(self, user_id: uuid.UUID) -> bool:
        raw = await self._issue_one_time(user_id, TokenPurpose.RESET_PASSWORD, self._policy.password_reset_ttl)
        if raw is None:
            return False
        user, token = raw
        link = f"{self._policy.frontend_url.rstrip('/')}/reset-password?token={token}"
        await self._mailer.send(
            EmailMessage(
                to=user.email,
                subject=f"Reset your {self._policy.app_name} password",
                text=(
                    f"Hi {user.first_name or user.username},\n\n"
                    f"Someone asked to reset your password. If it was you, open:\n{link}\n\n"
                    f"Or send this code to POST /api/auth/password/reset/confirm: {token}\n\n"
                    f"The link expires in {int(self._policy.password_reset_ttl.total_seconds() // 60)} minutes. "
                    "If you did not ask, ignore this email."
                ),
            )
        )
        return True

    async def _issue_one_time(
        self, user_id: uuid.UUID, purpose: TokenPurpose, ttl: timedelta
    ) -> tuple[User, str] | None:
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None or not user.is_active:
                return None
            if purpose is TokenPurpose.VERIFY_EMAIL and user.email_verified:
                return None
            now = self._clock.now()
            # A new link supersedes older unused ones (also when a job is retried).
            await uow.one_time_tokens.invalidate_unused(user.id, purpose, now=now)
            raw = random_token(32)
            await uow.one_time_tokens.add(
                OneTimeToken(
                    id=new_id(),
                    user_id=user.id,
                    purpose=purpose,
                    token_hash=hash_one_time_token(raw),
                    expires_at=now + ttl,
                )
            )
            await uow.commit()
            return user, raw


def unique_skills(skills: list[str]) -> list[str]:
    """Skills are one per name whatever the case: the first spelling given is kept, blanks are dropped."""
    seen: set[str] = set()
    kept: list[str] = []
    for skill in (s.strip() for s in skills):
        if skill and skill.casefold() not in seen:
            seen.add(skill.casefold())
            kept.append(skill)
    return kept


async def _get_user(uow: AccountsUnitOfWork, user_id: uuid.UUID, *, for_update: bool = False) -> User:
    user = await uow.users.get(user_id, for_update=for_update)
    if user is None:
        raise UserNotFound("User not found.")
    return user


_ADMIN_FIELDS = ("role", "is_active", "email_verified", "username", "email")


class AccountService:
    """Registration, guests, profiles and user administration."""

    def __init__(
        self, *, uow: AccountsUnitOfWorkFactory, hasher: PasswordHasher, auth: AuthService, clock: Clock
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._auth = auth
        self._clock = clock

    async def register(self, data: Registration) -> User:
        email = normalize_email(data.email)
        _validate_username(data.username)
        _require_strong(data.password, data.password_confirm, field="password", username=data.username, email=email)
        async with self._uow() as uow:
            now = self._clock.now()
            user = User(
                id=new_id(),
                username=data.username,
                email=email,
                first_name=data.first_name.strip(),
                last_name=data.last_name.strip(),
                password_hash=await self._hasher.hash(data.password),
                created_at=now,
                updated_at=now,
            )
            await uow.users.add(user)
            uow.outbox.add(SendVerificationEmail(user.id))
            await uow.commit()
            return user

    async def create_admin(self, *, username: str, email: str, password: str) -> User:
        """CLI bootstrap: an active, verified admin (password rule still applies)."""
        _validate_username(username)
        _require_strong(password, password, field="password", username=username, email=email)
        async with self._uow() as uow:
            now = self._clock.now()
            user = User(
                id=new_id(),
                username=username,
                email=normalize_email(email),
                password_hash=await self._hasher.hash(password),
                role=Role.ADMIN,
                email_verified=True,
                created_at=now,
                updated_at=now,
            )
            await uow.users.add(user)
            await uow.commit()
            return user

    async def create_guest(self, *, email: str | None, phone: str | None, client: ClientInfo) -> tuple[User, TokenPair]:
        """Oasis "ghost" checkout account: contact details only, no password."""
        email = normalize_email(email or "")
        phone = (phone or "").strip()
        if not email and not phone:
            raise ValidationFailed(
                "Give an email or a phone number.",
                errors=[FieldError("email", "email or phone is required")],
            )
        async with self._uow() as uow:
            now = self._clock.now()
            guest_id = new_id()
            user = User(
                id=guest_id,
                username=f"guest-{guest_id.hex[:12]}",
                # Phone-only guests get a non-deliverable placeholder so email stays unique and non-null.
                email=email or f"{guest_id.hex}@guest.invalid",
                phone=phone,
                is_guest=True,
                created_at=now,
                updated_at=now,
            )
            await uow.users.add(user)
            pair = await self._auth.open_session(uow, user, client)
            await uow.commit()
            return user, pair

    async def guest_for_checkout(
        self, *, email: str | None, phone: str | None, client: ClientInfo
    ) -> tuple[User, TokenPair | None]:
        """Oasis ghost checkout: a new guest (signed in at once), or the existing guest with this
        email (linked, but not signed in: an email alone must not open someone's account)."""
        if email:
            async with self._uow() as uow:
                existing = await uow.users.get_by_email(normalize_email(email))
            if existing is not None:
                if not existing.is_guest:
                    raise EmailTaken()
                return existing, None
        return await self.create_guest(email=email, phone=phone, client=client)

    async def upgrade_guest(self, principal: Principal, data: Registration) -> User:
        """Turn the calling guest into a full account, keeping its id (and purchases)."""
        if not principal.is_guest:
            raise NotAGuest("This account is already a full account.")
        email = normalize_email(data.email)
        _validate_username(data.username)
        _require_strong(data.password, data.password_confirm, field="password", username=data.username, email=email)
        async with self._uow() as uow:
            user = await _get_user(uow, principal.user_id, for_update=True)
            if user.email.lower() != email.lower():
                user.email_verified = False
            user.username = data.username
            user.email = email
            user.first_name = data.first_name.strip() or user.first_name
            user.last_name = data.last_name.strip() or user.last_name
            user.password_hash = await self._hasher.hash(data.password)
            user.is_guest = False
            user.updated_at = self._clock.now()
            await uow.users.update(user)
            if not user.email_verified:
                uow.outbox.add(SendVerificationEmail(user.id))
            await uow.commit()
            return user

    async def get_user(self, user_id: uuid.UUID) -> User:
        async with self._uow() as uow:
            return await _get_user(uow, user_id)

    async def update_profile(self, principal: Principal, changes: dict[str, Any]) -> User:
        unknown = set(changes) - set(PROFILE_FIELDS)
        if unknown:
            raise ValidationFailed(
                "These fields cannot be changed here.",
                errors=[FieldError(name, "not editable") for name in sorted(unknown)],
            )
        if "skills" in changes:
            changes["skills"] = unique_skills(changes["skills"])
        async with self._uow() as uow:
            user = await _get_user(uow, principal.user_id, for_update=True)
            for name, value in changes.items():
                setattr(user, name, value)
            user.updated_at = self._clock.now()
            await uow.users.update(user)
            await uow.commit()
            return user

    async def list_users(
        self, *, query: str | None, role: Role | None, is_active: bool | None, page: int, page_size: int
    ) -> Page[User]:
        async with self._uow() as uow:
            return await uow.users.search(query=query, role=role, is_active=is_active, page=page, page_size=page_size)

    async def admin_update(self, actor: Principal, user_id: uuid.UUID, changes: dict[str, Any]) -> User:
        allowed = set(PROFILE_FIELDS) | set(_ADMIN_FIELDS)
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationFailed(
                "These fields cannot be changed.",
                errors=[FieldError(name, "not editable") for name in sorted(unknown)],
            )
        if user_id == actor.user_id and (
            changes.get("role", Role.ADMIN) != Role.ADMIN or changes.get("is_active", True) is False
        ):
            raise SelfDemotion("Admins cannot demote or disable themselves.")
        if "username" in changes:
            _validate_username(changes["username"])
        if "email" in changes:
            changes["email"] = normalize_email(changes["email"])
        async with self._uow() as uow:
            user = await _get_user(uow, user_id, for_update=True)
            disabling = changes.get("is_active") is False and user.is_active
            user = replace(user, **changes, updated_at=self._clock.now())
            await uow.users.update(user)
            if disabling:
                await uow.sessions.revoke_all_for_user(user.id, reason="disabled", now=self._clock.now())
            await uow.commit()
            return user

    async def delete_user(self, actor: Principal, user_id: uuid.UUID) -> None:
        if user_id == actor.user_id:
            raise SelfDeletion("Admins cannot delete themselves.")
        async with self._uow() as uow:
            if not await uow.users.delete(user_id):
                raise UserNotFound("User not found.")
            await uow.commit()


def _validate_username(username: str) -> None:
    if not USERNAME_RE.fullmatch(username):
        raise InvalidUsername(
            "Usernames are 3-30 letters, digits, '.', '_' or '-'.",
            errors=[FieldError("username", "3-30 letters, digits, '.', '_' or '-'")],
        )


class ExternalSignIn:
    """Sign-in through an OpenID Connect provider (authorization code + PKCE, or id_token)."""

    STATE_TTL = timedelta(minutes=10)

    def __init__(
        self, *, uow: AccountsUnitOfWorkFactory, provider: IdentityProvider, auth: AuthService, clock: Clock
    ) -> None:
        self._uow = uow
        self._provider = provider
        self._auth = auth
        self._clock = clock

    async def start(self) -> str:
        """Record state/nonce/PKCE verifier server-side and return the provider URL."""
        authorization = OAuthAuthorization(
            state=random_token(24),
            nonce=random_token(24),
            code_verifier=random_token(48),
            expires_at=self._clock.now() + self.STATE_TTL,
        )
        async with self._uow() as uow:
            await uow.oauth_states.add(authorization)
            await uow.commit()
        return await self._provider.authorization_url(
            state=authorization.state, nonce=authorization.nonce, code_verifier=authorization.code_verifier
        )

    async def complete(self, *, state: str, code: str, client: ClientInfo) -> TokenPair:
        async with self._uow() as uow:
            authorization = await uow.oauth_states.pop(state)
            await uow.commit()
        if authorization is None or authorization.expires_at <= self._clock.now():
            raise OauthInvalidState("Unknown or expired sign-in state. Start again.")
        identity = await self._provider.complete_authorization(
            code=code, code_verifier=authorization.code_verifier, nonce=authorization.nonce
        )
        return await self._sign_in(identity, client)

    async def with_id_token(self, *, id_token: str, nonce: str | None, client: ClientInfo) -> TokenPair:
        identity = await self._provider.verify_id_token(id_token, nonce=nonce)
        return await self._sign_in(identity, client)

    async def _sign_in(self, identity: VerifiedIdentity, client: ClientInfo) -> TokenPair:
        async with self._uow() as uow:
            link = await uow.identities.get(identity.provider, identity.subject)
            if link is not None:
                user = await _get_user(uow, link.user_id, for_update=True)
            else:
                if not identity.email_verified:
                    # Linking on an unverified address would let anyone claim that account.
                    raise OauthEmailUnverified("The provider has not verified this email address.")
                existing = await uow.users.get_by_email(identity.email)
                if existing is None:
                    user = await self._create_user(uow, identity)
                else:
                    user = await _get_user(uow, existing.id, for_update=True)
                await uow.identities.add(
                    ExternalIdentity(
                        provider=identity.provider, subject=identity.subject, user_id=user.id, email=identity.email
                    )
                )
            if not user.is_active:
                raise AccountInactive()
            now = self._clock.now()
            if identity.email_verified and user.email.lower() == identity.email.lower():
                user.email_verified = True
            user.is_guest = False  # the provider vouched for the address: a full account now
            user.last_login_at = now
            await uow.users.update(user)
            pair = await self._auth.open_session(uow, user, client)
            await uow.commit()
            return pair

    async def _create_user(self, uow: AccountsUnitOfWork, identity: VerifiedIdentity) -> User:
        base = re.sub(r"[^A-Za-z0-9_.-]", "", identity.email.split("@")[0])[:20] or "user"
        base = base if len(base) >= 3 else f"{base}-user"
        username = base
        while await uow.users.username_exists(username):
            username = f"{base}-{random_token(3).lower().replace('_', '').replace('-', '')[:4]}"
        now = self._clock.now()
        user = User(
            id=new_id(),
            username=username,
            email=identity.email,
            first_name=identity.given_name,
            last_name=identity.family_name,
            avatar_url=identity.picture,
            email_verified=True,
            created_at=now,
            updated_at=now,
        )
        await uow.users.add(user)
        return user


__all__ = [
    "AccountService",
    "AuthService",
    "ClientInfo",
    "ExternalSignIn",
    "Registration",
    "TokenPolicy",
    "password_problems",
]
