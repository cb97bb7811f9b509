"""Postgres implementation of the accounts storage ports and unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.database import escape_like
from app.adapters.postgres.tables import (
    AuthSessionRow,
    OAuthStateRow,
    OneTimeTokenRow,
    RefreshTokenRow,
    UserIdentityRow,
    UserRow,
)
from app.adapters.postgres.unit_of_work import PgUnitOfWork, driver_of
from app.core.errors import Conflict
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
from app.domain.kernel import Page, Principal, Role

_USER_FIELDS = tuple(f for f in User.__dataclass_fields__)


def _user(row: UserRow) -> User:
    values = {name: getattr(row, name) for name in _USER_FIELDS}
    values["role"] = Role(row.role)
    values["skills"] = list(row.skills or [])
    return User(**values)


def _session(row: AuthSessionRow) -> AuthSession:
    return AuthSession(
        id=row.id,
        user_id=row.user_id,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        revoked_reason=row.revoked_reason,
        user_agent=row.user_agent,
        ip_address=row.ip_address,
    )


def constraint_name(exc: IntegrityError) -> str:
    cause = getattr(exc.orig, "__cause__", None)
    return getattr(cause, "constraint_name", None) or str(exc.orig)


def _raise_user_conflict(exc: IntegrityError) -> None:
    name = constraint_name(exc)
    if "email" in name:
        raise EmailTaken() from exc
    if "username" in name:
        raise UsernameTaken() from exc
    raise Conflict("This change conflicts with existing data.") from exc


class PgUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, user: User) -> None:
        values = {name: getattr(user, name) for name in _USER_FIELDS if getattr(user, name) is not None}
        values["role"] = user.role.value
        row = UserRow(**values)
        self._s.add(row)
        try:
            async with self._s.begin_nested():
                await self._s.flush()
        except IntegrityError as exc:
            _raise_user_conflict(exc)
        user.created_at, user.updated_at = row.created_at, row.updated_at

    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> User | None:
        stmt = select(UserRow).where(UserRow.id == user_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return _user(row) if row else None

    async def get_by_login(self, login: str) -> User | None:
        lowered = login.lower()
        stmt = select(UserRow).where(or_(func.lower(UserRow.username) == lowered, func.lower(UserRow.email) == lowered))
        row = (await self._s.execute(stmt.limit(1))).scalar_one_or_none()
        return _user(row) if row else None

    async def get_by_email(self, email: str) -> User | None:
        stmt = select(UserRow).where(func.lower(UserRow.email) == email.lower())
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return _user(row) if row else None

    async def username_exists(self, username: str) -> bool:
        stmt = select(func.count()).select_from(UserRow).where(func.lower(UserRow.username) == username.lower())
        return bool((await self._s.execute(stmt)).scalar_one())

    async def update(self, user: User) -> None:
        values: dict[str, Any] = {
            name: getattr(user, name) for name in _USER_FIELDS if name not in {"id", "created_at"}
        }
        values["role"] = user.role.value
        values["updated_at"] = user.updated_at or func.now()
        try:
            async with self._s.begin_nested():
                await self._s.execute(update(UserRow).where(UserRow.id == user.id).values(**values))
        except IntegrityError as exc:
            _raise_user_conflict(exc)

    async def delete(self, user_id: uuid.UUID) -> bool:
        result = await self._s.execute(delete(UserRow).where(UserRow.id == user_id))
        return bool(result.rowcount)

    async def search(
        self, *, query: str | None, role: Role | None, is_active: bool | None, page: int, page_size: int
    ) -> Page[User]:
        conditions = []
        if query:
            pattern = f"%{escape_like(query.lower())}%"
            conditions.append(
                or_(
                    func.lower(UserRow.username).like(pattern, escape="\\"),
                    func.lower(UserRow.email).like(pattern, escape="\\"),
                    func.lower(UserRow.first_name + " " + UserRow.last_name).like(pattern, escape="\\"),
                )
            )
        if role is not None:
            conditions.append(UserRow.role == role.value)
        if is_active is not None:
            conditions.append(UserRow.is_active == is_active)
        total = (await self._s.execute(select(func.count()).select_from(UserRow).where(*conditions))).scalar_one()
        rows = (
            await self._s.execute(
                select(UserRow)
                .where(*conditions)
                .order_by(UserRow.created_at.desc(), UserRow.id.desc())
                .offset((page - 1) * page_size)
                .limit(page_size)
            )
        ).scalars()
        return Page(items=[_user(r) for r in rows], total=total, page=page, page_size=page_size)


class PgSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, session: AuthSession) -> None:
        self._s.add(
            AuthSessionRow(
                id=session.id,
                user_id=session.user_id,
                created_at=session.created_at,
                expires_at=session.expires_at,
                user_agent=session.user_agent,
                ip_address=session.ip_address,
            )
        )
        await self._s.flush()

    async def get_with_user(self, session_id: uuid.UUID, user_id: uuid.UUID) -> tuple[AuthSession, User] | None:
        stmt = (
            select(AuthSessionRow, UserRow)
            .join(UserRow, UserRow.id == AuthSessionRow.user_id)
            .where(AuthSessionRow.id == session_id, AuthSessionRow.user_id == user_id)
        )
        row = (await self._s.execute(stmt)).one_or_none()
        return (_session(row[0]), _user(row[1])) if row else None

    async def revoke(self, session_id: uuid.UUID, *, reason: str, now: datetime) -> None:
        await self._s.execute(
            update(AuthSessionRow)
            .where(AuthSessionRow.id == session_id, AuthSessionRow.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason)
        )

    async def revoke_all_for_user(
        self, user_id: uuid.UUID, *, reason: str, now: datetime, keep: uuid.UUID | None = None
    ) -> int:
        stmt = update(AuthSessionRow).where(AuthSessionRow.user_id == user_id, AuthSessionRow.revoked_at.is_(None))
        if keep is not None:
            stmt = stmt.where(AuthSessionRow.id != keep)
        result = await self._s.execute(stmt.values(revoked_at=now, revoked_reason=reason))
        return int(result.rowcount or 0)


class PgRefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, record: RefreshTokenRecord) -> None:
        self._s.add(
            RefreshTokenRow(
                jti=record.jti, session_id=record.session_id, issued_at=record.issued_at, expires_at=record.expires_at
            )
        )
        await self._s.flush()

    async def get_for_update(self, jti: uuid.UUID) -> RefreshTokenRecord | None:
        stmt = select(RefreshTokenRow).where(RefreshTokenRow.jti == jti).with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        if row is None:
            return None
        return RefreshTokenRecord(
            jti=row.jti,
            session_id=row.session_id,
            issued_at=row.issued_at,
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    async def mark_used(self, jti: uuid.UUID, *, now: datetime) -> None:
        await self._s.execute(update(RefreshTokenRow).where(RefreshTokenRow.jti == jti).values(used_at=now))


class PgOneTimeTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, token: OneTimeToken) -> None:
        self._s.add(
            OneTimeTokenRow(
                id=token.id,
                user_id=token.user_id,
                purpose=token.purpose.value,
                token_hash=token.token_hash,
                expires_at=token.expires_at,
            )
        )
        await self._s.flush()

    async def get_by_hash_for_update(self, token_hash: str, purpose: TokenPurpose) -> OneTimeToken | None:
        stmt = (
            select(OneTimeTokenRow)
            .where(OneTimeTokenRow.token_hash == token_hash, OneTimeTokenRow.purpose == purpose.value)
            .with_for_update()
        )
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        if row is None:
            return None
        return OneTimeToken(
            id=row.id,
            user_id=row.user_id,
            purpose=TokenPurpose(row.purpose),
            token_hash=row.token_hash,
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    async def mark_used(self, token_id: uuid.UUID, *, now: datetime) -> None:
        await self._s.execute(update(OneTimeTokenRow).where(OneTimeTokenRow.id == token_id).values(used_at=now))

    async def invalidate_unused(self, user_id: uuid.UUID, purpose: TokenPurpose, *, now: datetime) -> None:
        await self._s.execute(
            update(OneTimeTokenRow)
            .where(
                OneTimeTokenRow.user_id == user_id,
                OneTimeTokenRow.purpose == purpose.value,
                OneTimeTokenRow.used_at.is_(None),
            )
            .values(used_at=now)
        )


class PgIdentityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, provider: str, subject: str) -> ExternalIdentity | None:
        row = await self._s.get(UserIdentityRow, (provider, subject))
        if row is None:
            return None
        return ExternalIdentity(provider=row.provider, subject=row.subject, user_id=row.user_id, email=row.email)

    async def add(self, identity: ExternalIdentity) -> None:
        self._s.add(
            UserIdentityRow(
                provider=identity.provider, subject=identity.subject, user_id=identity.user_id, email=identity.email
            )
        )
        await self._s.flush()


class PgOAuthStateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, authorization: OAuthAuthorization) -> None:
        self._s.add(
            OAuthStateRow(
                state=authorization.state,
                nonce=authorization.nonce,
                code_verifier=authorization.code_verifier,
                expires_at=authorization.expires_at,
            )
        )
        await self._s.flush()

    async def pop(self, state: str) -> OAuthAuthorization | None:
        stmt = delete(OAuthStateRow).where(OAuthStateRow.state == state).returning(OAuthStateRow)
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        # Expired states of abandoned sign-ins are swept on the way.
        await self._s.execute(delete(OAuthStateRow).where(OAuthStateRow.expires_at < func.now()))
        if row is None:
            return None
        return OAuthAuthorization(
            state=row.state, nonce=row.nonce, code_verifier=row.code_verifier, expires_at=row.expires_at
        )


class PgPrincipalDirectory:
    """PrincipalDirectory: one indexed query for any number of sessions."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def live(self, session_ids: Collection[uuid.UUID], *, now: datetime) -> dict[uuid.UUID, Principal]:
        if not session_ids:
            return {}
        # Plain SQL: every batch of canvas ops asks this, inside its own transaction.
        db = await driver_of(self._s)
        rows = await db.fetch(_LIVE_SESSIONS, list(session_ids), now)
        return {
            sid: Principal(
                user_id=uid, session_id=sid, role=_ROLES[role], is_guest=guest, email_verified=verified, username=name
            )
            for sid, uid, role, guest, verified, name in rows
        }


_LIVE_SESSIONS = (
    "SELECT s.id, u.id, u.role, u.is_guest, u.email_verified, u.username "
    "FROM auth_sessions s JOIN users u ON u.id = s.user_id "
    "WHERE s.id = ANY($1::uuid[]) AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.is_active"
)
_ROLES = {r.value: r for r in Role}


class PgAccountsUnitOfWork(PgUnitOfWork):
    def _bind(self, session: AsyncSession) -> None:
        self.users = PgUserRepository(session)
        self.sessions = PgSessionRepository(session)
        self.refresh_tokens = PgRefreshTokenRepository(session)
        self.one_time_tokens = PgOneTimeTokenRepository(session)
        self.identities = PgIdentityRepository(session)
        self.oauth_states = PgOAuthStateRepository(session)
