"""In-memory fakes of the campaigns ports."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime
from typing import Any

from app.domain.campaigns.entities import (
    Campaign,
    CampaignFilter,
    Collaborator,
    Comment,
    Invite,
    InviteStatus,
    SpendEntry,
)
from app.domain.kernel import Page, Role
from tests.unit.fakes import MemoryDatabase, MemoryUnitOfWork, Table, page_of


class _Campaigns(Table):
    def __init__(self, rows: dict[Any, Any], properties: dict[Any, Any], collaborators: dict[Any, Any]) -> None:
        super().__init__(rows)
        self._properties = properties
        self._collaborators = collaborators

    async def add(self, campaign: Campaign) -> None:
        self.store(campaign.id, dataclasses.replace(campaign, collaborators={}))

    async def get(self, campaign_id: uuid.UUID, *, for_update: bool = False) -> Campaign | None:
        campaign: Campaign | None = self.load(campaign_id)
        if campaign is not None:  # loaded with its collaborators, as the Postgres adapter does
            campaign.collaborators = {
                user_id: c.role for (cid, user_id), c in self._collaborators.items() if cid == campaign_id
            }
        return campaign

    async def update(self, campaign: Campaign) -> None:
        self.store(campaign.id, dataclasses.replace(campaign, collaborators={}))

    async def delete(self, campaign_id: uuid.UUID) -> bool:
        return self.rows.pop(campaign_id, None) is not None

    async def property_exists(self, property_id: uuid.UUID) -> bool:
        return property_id in self._properties


class _Comments(Table):
    async def add(self, comment: Comment) -> None:
        self.store(comment.id, comment)
        if comment.parent_id is not None:
            self.rows[comment.parent_id].reply_count += 1

    async def get(self, comment_id: uuid.UUID, *, for_update: bool = False) -> Comment | None:
        return self.load(comment_id)  # type: ignore[no-any-return]

    async def update(self, comment: Comment) -> None:
        self.store(comment.id, comment)

    async def list_for_campaign(
        self, campaign_id: uuid.UUID, *, parent_id: uuid.UUID | None, page: int, page_size: int
    ) -> Page[Comment]:
        found = [c for c in self.all() if c.campaign_id == campaign_id and c.parent_id == parent_id]
        return page_of(sorted(found, key=lambda c: c.created_at), page, page_size)


class _Collaborators(Table):
    def __init__(self, rows: dict[Any, Any], invites: dict[Any, Any], users: dict[Any, Any]) -> None:
        super().__init__(rows)
        self._invites, self._users = invites, users

    async def list(self, campaign_id: uuid.UUID) -> list[Collaborator]:
        found = [c for c in self.all() if c.campaign_id == campaign_id]
        for c in found:
            c.username = self._users[c.user_id].username if c.user_id in self._users else ""
        return sorted(found, key=lambda c: (c.created_at, c.user_id))

    async def put(self, collaborator: Collaborator) -> None:
        key = (collaborator.campaign_id, collaborator.user_id)
        kept = self.rows.get(key)
        created = kept.created_at if kept is not None else collaborator.created_at
        self.store(key, dataclasses.replace(collaborator, created_at=created))

    async def remove(self, campaign_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        return self.rows.pop((campaign_id, user_id), None) is not None

    async def count_with_open_invites(self, campaign_id: uuid.UUID, *, now: datetime) -> int:
        open_invites = [i for i in self._invites.values() if i.campaign_id == campaign_id and i.is_open(now)]
        return len([k for k in self.rows if k[0] == campaign_id]) + len(open_invites)


class _Invites(Table):
    def __init__(self, rows: dict[Any, Any], campaigns: dict[Any, Any]) -> None:
        super().__init__(rows)
        self._campaigns = campaigns

    def _named(self, invites: list[Invite]) -> list[Invite]:
        for i in invites:
            i.campaign_name = self._campaigns[i.campaign_id].name if i.campaign_id in self._campaigns else ""
        return sorted(invites, key=lambda i: i.created_at or datetime.min, reverse=True)

    async def add(self, invite: Invite) -> None:
        pending = [i for i in self.rows.values() if i.status is InviteStatus.PENDING]
        if any(i.campaign_id == invite.campaign_id and i.email.lower() == invite.email.lower() for i in pending):
            raise AssertionError("the unique index on pending invitations would refuse this")
        self.store(invite.id, invite)

    async def get(self, invite_id: uuid.UUID, *, for_update: bool = False) -> Invite | None:
        return self.load(invite_id)  # type: ignore[no-any-return]

    async def by_token_hash(self, token_hash: str) -> Invite | None:
        return next((i for i in self.all() if i.token_hash == token_hash), None)

    async def update(self, invite: Invite) -> None:
        self.store(invite.id, invite)

    async def open_for_campaign(self, campaign_id: uuid.UUID, *, now: datetime) -> list[Invite]:
        return self._named([i for i in self.all() if i.campaign_id == campaign_id and i.is_open(now)])

    async def open_for_email(self, email: str, *, now: datetime) -> list[Invite]:
        return self._named([i for i in self.all() if i.email.lower() == email.lower() and i.is_open(now)])

    async def stale_for(self, campaign_id: uuid.UUID, email: str, *, now: datetime) -> list[Invite]:
        return [
            i
            for i in self.all()
            if i.campaign_id == campaign_id
            and i.email.lower() == email.lower()
            and i.status is InviteStatus.PENDING
            and not i.is_open(now)
        ]


@dataclasses.dataclass
class Account:
    """What the campaigns module may know of an account (the `users` table of these fakes)."""

    username: str
    email: str
    verified: bool = True
    role: Role = Role.MEMBER


class _UserEmails:
    def __init__(self, users: dict[Any, Any]) -> None:
        self._users = users

    async def user_id_for_email(self, email: str) -> uuid.UUID | None:
        return next((uid for uid, a in self._users.items() if a.email.lower() == email.lower()), None)

    async def email_of(self, user_id: uuid.UUID) -> tuple[str, bool] | None:
        account = self._users.get(user_id)
        return (account.email, account.verified) if account else None

    async def username_of(self, user_id: uuid.UUID) -> str | None:
        account = self._users.get(user_id)
        return account.username if account else None

    async def ids_for_usernames(self, usernames: list[str]) -> list[uuid.UUID]:
        wanted = {u.lower() for u in usernames}
        return [uid for uid, a in self._users.items() if a.username.lower() in wanted]

    async def roles_of(self, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Role]:
        return {uid: self._users[uid].role for uid in user_ids if uid in self._users}

    async def with_role(self, role: Role) -> list[uuid.UUID]:
        return [uid for uid, a in self._users.items() if a.role is role]


class _Uploads:
    """`uploads` table of these fakes: media id -> (owner, is_public) of finished uploads."""

    def __init__(self, rows: dict[Any, Any]) -> None:
        self._rows = rows

    async def owner_of(self, media_id: uuid.UUID) -> tuple[uuid.UUID, bool] | None:
        found: tuple[uuid.UUID, bool] | None = self._rows.get(media_id)
        return found


class _Spend(Table):
    def __init__(self, rows: dict[Any, Any], announced: dict[Any, Any]) -> None:
        super().__init__(rows)
        self._announced = announced

    async def add(self, entry: SpendEntry) -> None:
        self.store(entry.id, entry)

    async def get(self, entry_id: uuid.UUID) -> SpendEntry | None:
        return self.load(entry_id)  # type: ignore[no-any-return]

    async def delete(self, entry_id: uuid.UUID) -> bool:
        return self.rows.pop(entry_id, None) is not None

    async def list(self, campaign_id: uuid.UUID, *, page: int, page_size: int) -> Page[SpendEntry]:
        found = [e for e in self.all() if e.campaign_id == campaign_id]
        return page_of(sorted(found, key=lambda e: e.spent_on, reverse=True), page, page_size)

    async def totals(self, campaign_id: uuid.UUID) -> tuple[int, int]:
        found = [e.amount_minor for e in self.rows.values() if e.campaign_id == campaign_id]
        return sum(found), len(found)

    async def announced(self, campaign_id: uuid.UUID) -> set[int]:
        return {t for (cid, t) in self._announced if cid == campaign_id}

    async def mark_announced(self, campaign_id: uuid.UUID, threshold: int) -> None:
        self._announced[(campaign_id, threshold)] = True


class MemoryCampaignsUnitOfWork(MemoryUnitOfWork):
    def _bind(self, tables: dict[str, dict[Any, Any]]) -> None:
        self.campaigns = _Campaigns(tables["campaigns"], tables["properties"], tables["collaborators"])
        self.comments = _Comments(tables["comments"])
        self.collaborators = _Collaborators(tables["collaborators"], tables["invites"], tables["users"])
        self.invites = _Invites(tables["invites"], tables["campaigns"])
        self.user_emails = _UserEmails(tables["users"])
        self.uploads = _Uploads(tables["uploads"])
        self.spend = _Spend(tables["spend"], tables["budget_alerts"])


class MemoryCampaignQueries:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def search(self, filters: CampaignFilter, *, page: int, page_size: int) -> Page[Campaign]:
        found = [
            c
            for c in Table(self._db.tables["campaigns"]).all()
            if (filters.owner_id is None or c.owner_id == filters.owner_id)
            and (
                filters.visible_to is None
                or c.owner_id == filters.visible_to
                or (c.id, filters.visible_to) in self._db.tables["collaborators"]
            )
            and (filters.status is None or c.status is filters.status)
            and (not filters.query or filters.query.lower() in c.name.lower())
        ]
        return page_of(sorted(found, key=lambda c: c.created_at, reverse=True), page, page_size)


def campaigns_database() -> MemoryDatabase:
    return MemoryDatabase(
        "campaigns", "comments", "properties", "collaborators", "invites", "users", "uploads", "spend", "budget_alerts"
    )
