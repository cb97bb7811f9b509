"""Registration, guests, profiles and user administration (AccountService)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from app.core.clock import Clock
from app.core.errors import FieldError, ValidationFailed
from app.core.ids import new_id
from app.domain.accounts.entities import PROFILE_FIELDS, TokenPair, User
from app.domain.accounts.errors import (
    EmailTaken,
    NotAGuest,
    SelfDeletion,
    SelfDemotion,
    UserNotFound,
)
from app.domain.accounts.passwords import _require_strong, _validate_username
from app.domain.accounts.ports import (
    AccountsUnitOfWorkFactory,
    PasswordHasher,
)
from app.domain.accounts.services import AuthService, ClientInfo, Registration, _get_user, normalize_email
from app.domain.kernel import Page, Principal, Role
from app.domain.outbox import SendVerificationEmail


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
        self._auth.forget_user(user.id)
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
        self._auth.forget_user(user.id)
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
        self._auth.forget_user(user.id)  # role, standing or name may have changed
        return user

    async def delete_user(self, actor: Principal, user_id: uuid.UUID) -> None:
        if user_id == actor.user_id:
            raise SelfDeletion("Admins cannot delete themselves.")
        async with self._uow() as uow:
            if not await uow.users.delete(user_id):
                raise UserNotFound("User not found.")
            await uow.commit()
        self._auth.forget_user(user_id)


_ADMIN_FIELDS = ("role", "is_active", "email_verified", "username", "email")


def unique_skills(skills: list[str]) -> list[str]:
    """Skills are one per name whatever the case: the first spelling given is kept, blanks are dropped."""
    seen: set[str] = set()
    kept: list[str] = []
    for skill in (s.strip() for s in skills):
        if skill and skill.casefold() not in seen:
            seen.add(skill.casefold())
            kept.append(skill)
    return kept
