"""Campaign collaborators (AdVenture): the owner invites people by email with a role, they accept through
the emailed link or, signed in with that verified address, from their list of invitations; the owner
lists, changes and removes them. What each role may do is `services.can_read/can_edit/can_comment`.

Removing someone, or lowering their role, takes effect at once on REST (every request reads the campaign
with its collaborators) and within the room's re-check interval on an open canvas socket.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

from app.core.clock import Clock
from app.core.ids import new_id, random_token
from app.domain.campaigns.entities import Campaign, Collaborator, CollaboratorRole, Invite, InviteStatus
from app.domain.campaigns.errors import (
    AlreadyCollaborator,
    CollaboratorNotFound,
    InviteClosed,
    InviteEmailUnverified,
    InviteNotFound,
    InvitePending,
    NotCampaignOwner,
    TooManyCollaborators,
)
from app.domain.campaigns.ports import CampaignsUnitOfWork, CampaignsUnitOfWorkFactory
from app.domain.campaigns.services import campaign_for, can_manage
from app.domain.kernel import Principal
from app.domain.notifications.entities import NotificationKind
from app.domain.notifications.ports import EmailMessage, Mailer
from app.domain.notifications.services import notify
from app.domain.outbox import SendCampaignInvite

INVITE_TTL = timedelta(days=7)
MAX_COLLABORATORS = 50  # collaborators and open invitations of one campaign together


def invite_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class CollaboratorService:
    def __init__(
        self,
        *,
        uow: CampaignsUnitOfWorkFactory,
        clock: Clock,
        mailer: Mailer,
        frontend_url: str,
        app_name: str = "Atelier",
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._mailer = mailer
        self._frontend_url = frontend_url.rstrip("/")
        self._app_name = app_name

    async def _managed(
        self, uow: CampaignsUnitOfWork, principal: Principal, campaign_id: uuid.UUID, *, for_update: bool = False
    ) -> Campaign:
        campaign = await campaign_for(uow.campaigns, principal, campaign_id, lock=for_update)
        if not can_manage(principal, campaign):
            raise NotCampaignOwner()
        return campaign

    # -- the owner's side ---------------------------------------------------------
    async def invite(self, principal: Principal, campaign_id: uuid.UUID, email: str, role: CollaboratorRole) -> Invite:
        """`email` must be valid already (the edge checks its syntax). The email goes out from a job."""
        now = self._clock.now()
        async with self._uow() as uow:
            # Locked: two invitations sent at once cannot both pass the limit.
            campaign = await self._managed(uow, principal, campaign_id, for_update=True)
            invitee = await uow.user_emails.user_id_for_email(email)
            if invitee is not None and (invitee == campaign.owner_id or invitee in campaign.collaborators):
                raise AlreadyCollaborator()
            if await uow.collaborators.count_with_open_invites(campaign_id, now=now) >= MAX_COLLABORATORS:
                raise TooManyCollaborators(MAX_COLLABORATORS)
            if any(i.email.lower() == email.lower() for i in await uow.invites.open_for_campaign(campaign_id, now=now)):
                raise InvitePending()
            # An expired invitation still pending in the table would block the unique index: close it.
            for stale in await uow.invites.stale_for(campaign_id, email, now=now):
                stale.status = InviteStatus.REVOKED
                stale.responded_at = now
                await uow.invites.update(stale)
            invite = Invite(
                id=new_id(),
                campaign_id=campaign_id,
                email=email,
                role=role,
                invited_by=principal.user_id,
                expires_at=now + INVITE_TTL,
                created_at=now,
                campaign_name=campaign.name,
            )
            await uow.invites.add(invite)
            uow.outbox.add(SendCampaignInvite(invite_id=invite.id))
            await uow.commit()
        return invite

    async def open_invites(self, principal: Principal, campaign_id: uuid.UUID) -> list[Invite]:
        async with self._uow() as uow:
            await self._managed(uow, principal, campaign_id)
            return await uow.invites.open_for_campaign(campaign_id, now=self._clock.now())

    async def revoke(self, principal: Principal, campaign_id: uuid.UUID, invite_id: uuid.UUID) -> None:
        async with self._uow() as uow:
            await self._managed(uow, principal, campaign_id)
            invite = await uow.invites.get(invite_id, for_update=True)
            if invite is None or invite.campaign_id != campaign_id or invite.status is not InviteStatus.PENDING:
                raise InviteNotFound()
            invite.status, invite.responded_at, invite.token_hash = InviteStatus.REVOKED, self._clock.now(), None
            await uow.invites.update(invite)
            await uow.commit()

    async def collaborators(self, principal: Principal, campaign_id: uuid.UUID) -> list[Collaborator]:
        """Everyone who can read the campaign sees who works on it."""
        async with self._uow() as uow:
            await campaign_for(uow.campaigns, principal, campaign_id)
            return await uow.collaborators.list(campaign_id)

    async def change_role(
        self, principal: Principal, campaign_id: uuid.UUID, user_id: uuid.UUID, role: CollaboratorRole
    ) -> Collaborator:
        now = self._clock.now()
        async with self._uow() as uow:
            campaign = await self._managed(uow, principal, campaign_id, for_update=True)
            if user_id not in campaign.collaborators:
                raise CollaboratorNotFound()
            current = next(c for c in await uow.collaborators.list(campaign_id) if c.user_id == user_id)
            if current.role is not role:
                current.role, current.updated_at = role, now
                await uow.collaborators.put(current)
                notify(
                    uow.outbox,
                    NotificationKind.COLLABORATION_CHANGED,
                    at=now,
                    actor_id=principal.user_id,
                    target_id=campaign_id,
                    recipients=[user_id],
                    data={"campaign": campaign.name, "role": role.value},
                )
            await uow.commit()
            return current

    async def remove(self, principal: Principal, campaign_id: uuid.UUID, user_id: uuid.UUID) -> None:
        """The owner (or staff) removes anyone; a collaborator may leave."""
        now = self._clock.now()
        async with self._uow() as uow:
            campaign = await campaign_for(uow.campaigns, principal, campaign_id, lock=True)
            if user_id != principal.user_id and not can_manage(principal, campaign):
                raise NotCampaignOwner()
            if not await uow.collaborators.remove(campaign_id, user_id):
                raise CollaboratorNotFound()
            if user_id != principal.user_id:
                notify(
                    uow.outbox,
                    NotificationKind.COLLABORATION_CHANGED,
                    at=now,
                    actor_id=principal.user_id,
                    target_id=campaign_id,
                    recipients=[user_id],
                    data={"campaign": campaign.name, "role": "removed"},
                )
            await uow.commit()

    # -- the invitee's side -------------------------------------------------------
    async def _verified_email(self, uow: CampaignsUnitOfWork, principal: Principal) -> str:
        found = await uow.user_emails.email_of(principal.user_id)
        if found is None or not found[1]:
            raise InviteEmailUnverified()
        return found[0]

    async def my_invites(self, principal: Principal) -> list[Invite]:
        async with self._uow() as uow:
            email = await self._verified_email(uow, principal)
            return await uow.invites.open_for_email(email, now=self._clock.now())

    async def accept(
        self, principal: Principal, *, token: str | None = None, invite_id: uuid.UUID | None = None
    ) -> Collaborator:
        """With the emailed token, any signed-in account accepts it (the link is the proof, as with any
        emailed invitation); by id, only an account whose verified email is the invitation's address."""
        now = self._clock.now()
        async with self._uow() as uow:
            invite = await self._answerable(uow, principal, token=token, invite_id=invite_id)
            campaign = await uow.campaigns.get(invite.campaign_id, for_update=True)
            if campaign is None:
                raise InviteNotFound()
            if principal.user_id == campaign.owner_id or principal.user_id in campaign.collaborators:
                raise AlreadyCollaborator()
            invite.status, invite.responded_at = InviteStatus.ACCEPTED, now
            invite.accepted_by, invite.token_hash = principal.user_id, None
            await uow.invites.update(invite)
            collaborator = Collaborator(
                campaign_id=campaign.id,
                user_id=principal.user_id,
                role=invite.role,
                username=principal.username,
                added_by=invite.invited_by,
                created_at=now,
                updated_at=now,
            )
            await uow.collaborators.put(collaborator)
            if invite.invited_by is not None:
                notify(
                    uow.outbox,
                    NotificationKind.COLLABORATOR_JOINED,
                    at=now,
                    actor_id=principal.user_id,
                    target_id=campaign.id,
                    recipients=[invite.invited_by],
                    data={"campaign": campaign.name, "username": principal.username, "role": invite.role.value},
                )
            await uow.commit()
        return collaborator

    async def decline(self, principal: Principal, invite_id: uuid.UUID) -> None:
        async with self._uow() as uow:
            invite = await self._answerable(uow, principal, token=None, invite_id=invite_id)
            invite.status, invite.responded_at, invite.token_hash = InviteStatus.DECLINED, self._clock.now(), None
            await uow.invites.update(invite)
            await uow.commit()

    async def _answerable(
        self, uow: CampaignsUnitOfWork, principal: Principal, *, token: str | None, invite_id: uuid.UUID | None
    ) -> Invite:
        if token is not None:
            invite = await uow.invites.by_token_hash(invite_token_hash(token))
            if invite is None:
                raise InviteNotFound()
        else:
            assert invite_id is not None
            email = await self._verified_email(uow, principal)
            invite = await uow.invites.get(invite_id, for_update=True)
            if invite is None or invite.email.lower() != email.lower():
                raise InviteNotFound()
        if not invite.is_open(self._clock.now()):
            raise InviteClosed()
        return invite

    # -- job ----------------------------------------------------------------------
    async def send_invite_email(self, invite_id: uuid.UUID) -> bool:
        """A fresh token per email; only its hash is kept. False when there is nothing to send."""
        token = random_token()
        async with self._uow() as uow:
            invite = await uow.invites.get(invite_id, for_update=True)
            if invite is None or not invite.is_open(self._clock.now()):
                return False
            campaign = await uow.campaigns.get(invite.campaign_id)
            inviter = await uow.user_emails.username_of(invite.invited_by) if invite.invited_by else None
            invite.token_hash = invite_token_hash(token)
            await uow.invites.update(invite)
            await uow.commit()
        name = campaign.name if campaign else "a campaign"
        link = f"{self._frontend_url}/campaign-invites/accept?token={token}"
        await self._mailer.send(
            EmailMessage(
                to=invite.email,
                subject=f"{inviter or 'Someone'} invited you to “{name}” on {self._app_name}",
                text=(
                    f"{inviter or 'Someone'} invited you to work on the campaign “{name}” as {invite.role.value}.\n\n"
                    f"Accept by opening this link (sign in or create an account first):\n{link}\n\n"
                    f"Or, signed in, send this code to POST /api/campaign-invites/accept: {token}\n\n"
                    f"The invitation expires on {invite.expires_at:%Y-%m-%d %H:%M} UTC."
                ),
            )
        )
        return True
