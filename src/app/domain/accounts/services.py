"""Sign-in and sessions (AuthService): password sign-in, token rotation and reuse detection, sign-out,
email verification and password reset flows. Registration and administration are in `users.py`,
external sign-in in `sign_in.py`, the password rules in `passwords.py`."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.core.clock import Clock
from app.core.errors import FieldError
from app.core.ids import new_id, random_token
from app.domain.accounts.entities import (
    AuthSession,
    OneTimeToken,
    RefreshTokenRecord,
    TokenClaims,
    TokenPair,
    TokenPurpose,
    User,
)
from app.domain.accounts.errors import (
    AccountInactive,
    InvalidCredentials,
    InvalidOneTimeToken,
    InvalidToken,
    TokenReuseDetected,
    UserNotFound,
    WrongPassword,
)
from app.domain.accounts.passwords import _require_strong
from app.domain.accounts.ports import (
    AccountsUnitOfWork,
    AccountsUnitOfWorkFactory,
    PasswordHasher,
    TokenCodec,
)
from app.domain.accounts.recent import RecentPrincipals
from app.domain.kernel import Principal
from app.domain.notifications.ports import EmailMessage, Mailer
from app.domain.outbox import SendPasswordResetEmail, SendVerificationEmail

# Outbox task names: the job entrypoint maps each to a service method.


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
    # How long a verified access token's principal is trusted before its session is read again.
    recheck_after: timedelta = timedelta(seconds=0.5)


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
        self._recent = RecentPrincipals(recheck_after=policy.recheck_after)
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
                self._recent.forget_session(record.session_id)
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
        self._recent.forget_session(principal.session_id)

    async def authenticate(self, token: str, *, expected_type: str = "access") -> tuple[Principal, TokenClaims]:
        """Validate a token and that its session and user are still live (access tokens: as of at most
        `policy.recheck_after` ago in this process)."""
        now = self._clock.now()
        if expected_type != "access":
            return await self._check(token, expected_type, now)
        if (recent := self._recent.get(token, now)) is not None:
            return recent
        # Concurrent requests with the same token share one check instead of all reading the session.
        return await self._recent.single_flight(token, lambda: self._check(token, expected_type, now))

    async def _check(self, token: str, expected_type: str, now: datetime) -> tuple[Principal, TokenClaims]:
        claims = self._tokens.decode(token, expected_type=expected_type)
        async with self._uow() as uow:
            found = await uow.sessions.get_with_user(claims.session_id, claims.subject)
        if found is None:
            raise InvalidToken("Unknown session.")
        session, user = found
        if not session.is_live(now):
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
        if expected_type == "access":
            self._recent.put(token, principal, claims, now)
        return principal, claims

    def forget_user(self, user_id: uuid.UUID) -> None:
        """The user's sessions, role or standing changed: the next request re-reads them."""
        self._recent.forget_user(user_id)

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
        self.forget_user(principal.user_id)

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
        self.forget_user(user.id)

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
        self.forget_user(user.id)

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


async def _get_user(uow: AccountsUnitOfWork, user_id: uuid.UUID, *, for_update: bool = False) -> User:
    user = await uow.users.get(user_id, for_update=for_update)
    if user is None:
        raise UserNotFound("User not found.")
    return user


__all__ = ["AuthService", "ClientInfo", "Registration", "TokenPolicy"]
