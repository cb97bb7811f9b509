from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from app.domain.campaigns.entities import Campaign, CampaignFilter, Collaborator, Comment, Invite, SpendEntry
from app.domain.kernel import Page, Role, UnitOfWork
from app.domain.media.ports import UploadedFiles


class CampaignRepository(Protocol):
    async def add(self, campaign: Campaign) -> None: ...

    async def get(self, campaign_id: uuid.UUID, *, for_update: bool = False) -> Campaign | None: ...

    async def update(self, campaign: Campaign) -> None: ...

    async def delete(self, campaign_id: uuid.UUID) -> bool: ...

    async def property_exists(self, property_id: uuid.UUID) -> bool: ...


class CommentRepository(Protocol):
    async def add(self, comment: Comment) -> None: ...

    async def get(self, comment_id: uuid.UUID, *, for_update: bool = False) -> Comment | None: ...

    async def update(self, comment: Comment) -> None: ...

    async def list_for_campaign(
        self, campaign_id: uuid.UUID, *, parent_id: uuid.UUID | None, page: int, page_size: int
    ) -> Page[Comment]:
        """Oldest first; `parent_id=None` lists the thread roots."""


class CollaboratorRepository(Protocol):
    async def list(self, campaign_id: uuid.UUID) -> list[Collaborator]:
        """Oldest first, with usernames."""

    async def put(self, collaborator: Collaborator) -> None:
        """Add, or change the role of, one collaborator."""

    async def remove(self, campaign_id: uuid.UUID, user_id: uuid.UUID) -> bool: ...

    async def count_with_open_invites(self, campaign_id: uuid.UUID, *, now: datetime) -> int: ...


class InviteRepository(Protocol):
    async def add(self, invite: Invite) -> None: ...

    async def get(self, invite_id: uuid.UUID, *, for_update: bool = False) -> Invite | None: ...

    async def by_token_hash(self, token_hash: str) -> Invite | None:
        """Locked for update."""

    async def update(self, invite: Invite) -> None: ...

    async def open_for_campaign(self, campaign_id: uuid.UUID, *, now: datetime) -> list[Invite]:
        """Pending and unexpired, newest first."""

    async def open_for_email(self, email: str, *, now: datetime) -> list[Invite]:
        """Pending and unexpired invitations to this address (any case), newest first, with campaign names."""

    async def stale_for(self, campaign_id: uuid.UUID, email: str, *, now: datetime) -> list[Invite]:
        """Still pending but expired (locked): they are closed before the address is invited again."""


class SpendRepository(Protocol):
    async def add(self, entry: SpendEntry) -> None: ...

    async def get(self, entry_id: uuid.UUID) -> SpendEntry | None: ...

    async def delete(self, entry_id: uuid.UUID) -> bool: ...

    async def list(self, campaign_id: uuid.UUID, *, page: int, page_size: int) -> Page[SpendEntry]:
        """Newest `spent_on` first."""

    async def totals(self, campaign_id: uuid.UUID) -> tuple[int, int]:
        """(sum of amounts, number of entries)."""

    async def announced(self, campaign_id: uuid.UUID) -> set[int]:
        """Thresholds already announced for this campaign."""

    async def mark_announced(self, campaign_id: uuid.UUID, threshold: int) -> None: ...


class UserEmails(Protocol):
    """What this module may read of accounts: for invitations and mentions (read-only)."""

    async def user_id_for_email(self, email: str) -> uuid.UUID | None: ...

    async def email_of(self, user_id: uuid.UUID) -> tuple[str, bool] | None:
        """(email, verified), or None for no such user."""

    async def username_of(self, user_id: uuid.UUID) -> str | None: ...

    async def ids_for_usernames(self, usernames: list[str]) -> list[uuid.UUID]:
        """Active accounts with these usernames (any case)."""

    async def roles_of(self, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Role]:
        """The role of each active account among `user_ids`."""

    async def with_role(self, role: Role) -> list[uuid.UUID]:
        """Active accounts holding `role`."""


class CampaignsUnitOfWork(UnitOfWork, Protocol):
    campaigns: CampaignRepository
    comments: CommentRepository
    collaborators: CollaboratorRepository
    invites: InviteRepository
    user_emails: UserEmails
    uploads: UploadedFiles
    spend: SpendRepository


CampaignsUnitOfWorkFactory = Callable[[], CampaignsUnitOfWork]


class CampaignQueries(Protocol):
    """The read side: the hot list, outside any unit of work."""

    async def search(self, filters: CampaignFilter, *, page: int, page_size: int) -> Page[Campaign]:
        """Newest first. `total` is exact up to TOTAL_CAP matches; beyond it, TOTAL_CAP with `total_exact=False`."""
