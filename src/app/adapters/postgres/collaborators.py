"""Postgres implementation of the campaign collaborator, invitation and invitee-account ports."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.postgres.tables import CampaignCollaboratorRow, CampaignInviteRow, CampaignRow, UserRow
from app.domain.campaigns.entities import Collaborator, CollaboratorRole, Invite, InviteStatus
from app.domain.kernel import Role

_PENDING = InviteStatus.PENDING.value


class PgCollaboratorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def list(self, campaign_id: uuid.UUID) -> list[Collaborator]:
        rows = await self._s.execute(
            select(CampaignCollaboratorRow, UserRow.username)
            .join(UserRow, UserRow.id == CampaignCollaboratorRow.user_id)
            .where(CampaignCollaboratorRow.campaign_id == campaign_id)
            .order_by(CampaignCollaboratorRow.created_at, CampaignCollaboratorRow.user_id)
        )
        return [
            Collaborator(
                campaign_id=row.campaign_id,
                user_id=row.user_id,
                role=CollaboratorRole(row.role),
                username=username,
                added_by=row.added_by,
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
            for row, username in rows
        ]

    async def put(self, collaborator: Collaborator) -> None:
        values = {
            "campaign_id": collaborator.campaign_id,
            "user_id": collaborator.user_id,
            "role": collaborator.role.value,
            "added_by": collaborator.added_by,
            "updated_at": collaborator.updated_at or func.now(),
        }
        if collaborator.created_at is not None:
            values["created_at"] = collaborator.created_at
        statement = insert(CampaignCollaboratorRow).values(**values)
        await self._s.execute(
            statement.on_conflict_do_update(
                index_elements=["campaign_id", "user_id"],
                set_={"role": statement.excluded.role, "updated_at": statement.excluded.updated_at},
            )
        )

    async def remove(self, campaign_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        result = await self._s.execute(
            delete(CampaignCollaboratorRow).where(
                CampaignCollaboratorRow.campaign_id == campaign_id, CampaignCollaboratorRow.user_id == user_id
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def count_with_open_invites(self, campaign_id: uuid.UUID, *, now: datetime) -> int:
        members = (
            select(func.count())
            .select_from(CampaignCollaboratorRow)
            .where(CampaignCollaboratorRow.campaign_id == campaign_id)
            .scalar_subquery()
        )
        invites = (
            select(func.count())
            .select_from(CampaignInviteRow)
            .where(
                CampaignInviteRow.campaign_id == campaign_id,
                CampaignInviteRow.status == _PENDING,
                CampaignInviteRow.expires_at > now,
            )
            .scalar_subquery()
        )
        return int((await self._s.execute(select(members + invites))).scalar_one())


def _invite(row: CampaignInviteRow, campaign_name: str = "") -> Invite:
    return Invite(
        id=row.id,
        campaign_id=row.campaign_id,
        email=row.email,
        role=CollaboratorRole(row.role),
        invited_by=row.invited_by,
        expires_at=row.expires_at,
        status=InviteStatus(row.status),
        token_hash=row.token_hash,
        accepted_by=row.accepted_by,
        created_at=row.created_at,
        responded_at=row.responded_at,
        campaign_name=campaign_name,
    )


class PgInviteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, invite: Invite) -> None:
        self._s.add(
            CampaignInviteRow(
                id=invite.id,
                campaign_id=invite.campaign_id,
                email=invite.email,
                role=invite.role.value,
                status=invite.status.value,
                invited_by=invite.invited_by,
                token_hash=invite.token_hash,
                created_at=invite.created_at,
                expires_at=invite.expires_at,
            )
        )
        await self._s.flush()

    async def get(self, invite_id: uuid.UUID, *, for_update: bool = False) -> Invite | None:
        stmt = select(CampaignInviteRow).where(CampaignInviteRow.id == invite_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return _invite(row) if row else None

    async def by_token_hash(self, token_hash: str) -> Invite | None:
        stmt = select(CampaignInviteRow).where(CampaignInviteRow.token_hash == token_hash).with_for_update()
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return _invite(row) if row else None

    async def update(self, invite: Invite) -> None:
        await self._s.execute(
            update(CampaignInviteRow)
            .where(CampaignInviteRow.id == invite.id)
            .values(
                role=invite.role.value,
                status=invite.status.value,
                token_hash=invite.token_hash,
                accepted_by=invite.accepted_by,
                responded_at=invite.responded_at,
            )
        )

    async def open_for_campaign(self, campaign_id: uuid.UUID, *, now: datetime) -> list[Invite]:
        rows = await self._s.execute(
            select(CampaignInviteRow, CampaignRow.name)
            .join(CampaignRow, CampaignRow.id == CampaignInviteRow.campaign_id)
            .where(
                CampaignInviteRow.campaign_id == campaign_id,
                CampaignInviteRow.status == _PENDING,
                CampaignInviteRow.expires_at > now,
            )
            .order_by(CampaignInviteRow.created_at.desc(), CampaignInviteRow.id.desc())
        )
        return [_invite(row, name) for row, name in rows]

    async def open_for_email(self, email: str, *, now: datetime) -> list[Invite]:
        rows = await self._s.execute(
            select(CampaignInviteRow, CampaignRow.name)
            .join(CampaignRow, CampaignRow.id == CampaignInviteRow.campaign_id)
            .where(
                func.lower(CampaignInviteRow.email) == email.lower(),
                CampaignInviteRow.status == _PENDING,
                CampaignInviteRow.expires_at > now,
            )
            .order_by(CampaignInviteRow.created_at.desc(), CampaignInviteRow.id.desc())
            .limit(200)
        )
        return [_invite(row, name) for row, name in rows]

    async def stale_for(self, campaign_id: uuid.UUID, email: str, *, now: datetime) -> list[Invite]:
        rows = await self._s.execute(
            select(CampaignInviteRow)
            .where(
                CampaignInviteRow.campaign_id == campaign_id,
                func.lower(CampaignInviteRow.email) == email.lower(),
                CampaignInviteRow.status == _PENDING,
                CampaignInviteRow.expires_at <= now,
            )
            .with_for_update()
        )
        return [_invite(row) for row in rows.scalars()]


class PgUserEmails:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def user_id_for_email(self, email: str) -> uuid.UUID | None:
        stmt = select(UserRow.id).where(func.lower(UserRow.email) == email.lower())
        return (await self._s.execute(stmt)).scalar_one_or_none()

    async def email_of(self, user_id: uuid.UUID) -> tuple[str, bool] | None:
        row = (
            await self._s.execute(select(UserRow.email, UserRow.email_verified).where(UserRow.id == user_id))
        ).first()
        return (row[0], row[1]) if row else None

    async def ids_for_usernames(self, usernames: list[str]) -> list[uuid.UUID]:
        stmt = select(UserRow.id).where(
            func.lower(UserRow.username).in_([u.lower() for u in usernames]), UserRow.is_active.is_(True)
        )
        return list((await self._s.execute(stmt)).scalars())

    async def roles_of(self, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Role]:
        stmt = select(UserRow.id, UserRow.role).where(UserRow.id.in_(user_ids), UserRow.is_active.is_(True))
        return {user_id: Role(role) for user_id, role in await self._s.execute(stmt)}

    async def with_role(self, role: Role) -> list[uuid.UUID]:
        stmt = select(UserRow.id).where(UserRow.role == role.value, UserRow.is_active.is_(True)).limit(500)
        return list((await self._s.execute(stmt)).scalars())

    async def username_of(self, user_id: uuid.UUID) -> str | None:
        return (await self._s.execute(select(UserRow.username).where(UserRow.id == user_id))).scalar_one_or_none()
