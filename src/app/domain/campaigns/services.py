"""Campaign use cases and who may do what.

Access: the owner and admins/managers may change a campaign; viewers may read
every campaign (and comment) but change none, not even one they own; members see
their own and those they collaborate on, with the collaborator's role (editor,
commenter, viewer; `collaborators.py`). A campaign the caller may not read is
reported as not found.
"""

from __future__ import annotations

import builtins  # a method named `list` shadows the builtin in this class's annotations
import dataclasses
import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.core.clock import Clock
from app.core.errors import FieldError, ValidationFailed
from app.core.ids import new_id
from app.domain.campaigns.entities import (
    NAME_MAX_LENGTH,
    AiStatus,
    Budget,
    BudgetPeriod,
    Campaign,
    CampaignFilter,
    CampaignStatus,
    CollaboratorRole,
    Comment,
)
from app.domain.campaigns.errors import (
    AttachmentNotAllowed,
    AttachmentNotFound,
    CampaignNotFound,
    CampaignReadOnly,
    CommentingNotAllowed,
    CommentNotFound,
    NotCampaignOwner,
    NotCommentAuthor,
)
from app.domain.campaigns.ports import (
    CampaignQueries,
    CampaignRepository,
    CampaignsUnitOfWork,
    CampaignsUnitOfWorkFactory,
)
from app.domain.kernel import Page, Principal, Role
from app.domain.notifications.entities import NotificationKind
from app.domain.notifications.services import notify, notify_comment
from app.domain.properties.errors import PropertyNotFound

STAFF = frozenset({Role.ADMIN, Role.MANAGER})
READERS = STAFF | {Role.VIEWER}
CURRENCIES = frozenset({"INR", "USD", "EUR", "GBP", "AUD", "CAD", "SGD", "AED", "JPY"})


def can_read(principal: Principal, campaign: Campaign) -> bool:
    return readable_by(principal.user_id, principal.role, campaign)


def readable_by(user_id: uuid.UUID, role: Role, campaign: Campaign) -> bool:
    return campaign.owner_id == user_id or role in READERS or user_id in campaign.collaborators


# "@ada_l" in a comment mentions the account of that username (usernames: 3-30 of A-Z a-z 0-9 _ . -); a
# trailing dot ends the sentence, not the name.
MENTION_RE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_.-]{3,30})(?<!\.)")
MAX_MENTIONS = 20


def can_edit(principal: Principal, campaign: Campaign) -> bool:
    if principal.role is Role.VIEWER:  # a read-only role, whoever owns what
        return False
    return (
        campaign.owner_id == principal.user_id
        or principal.role in STAFF
        or campaign.collaborators.get(principal.user_id) is CollaboratorRole.EDITOR
    )


def can_comment(principal: Principal, campaign: Campaign) -> bool:
    """Readers comment (the viewer role too, as CRE Studio's reviewers do), except collaborators invited as viewers."""
    if campaign.owner_id == principal.user_id or principal.role in READERS:
        return True
    return campaign.collaborators.get(principal.user_id) in (CollaboratorRole.EDITOR, CollaboratorRole.COMMENTER)


def can_manage(principal: Principal, campaign: Campaign) -> bool:
    """Delete the campaign and manage its collaborators: the owner and staff, never a collaborator."""
    if principal.role is Role.VIEWER:
        return False
    return campaign.owner_id == principal.user_id or principal.role in STAFF


def require_not_viewer(principal: Principal) -> None:
    if principal.role is Role.VIEWER:
        raise CampaignReadOnly()


async def campaign_for(
    campaigns: CampaignRepository,
    principal: Principal,
    campaign_id: uuid.UUID,
    *,
    edit: bool = False,
    lock: bool = False,
) -> Campaign:
    """The campaign as `principal` may use it: 404 when it may not read it (no existence leak), 403
    `role-required` when `edit` and it may only read. `lock` holds the row for the transaction. Every module
    that works on a campaign (budgets, ad assets, collaborators, ...) starts here."""
    campaign = await campaigns.get(campaign_id, for_update=lock)
    if campaign is None or not can_read(principal, campaign):
        raise CampaignNotFound()
    if edit and not can_edit(principal, campaign):
        raise CampaignReadOnly()
    return campaign


async def _require_property(uow: CampaignsUnitOfWork, property_id: uuid.UUID | None) -> None:
    """A campaign may name only a property that exists (deleting it later sets the reference to null)."""
    if property_id is not None and not await uow.campaigns.property_exists(property_id):
        raise PropertyNotFound("No property with this id.")


def validate_budget(
    amount_minor: int,
    currency: str,
    period: BudgetPeriod,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Budget:
    errors = []
    if amount_minor < 0:
        errors.append(FieldError("budget.amount_minor", "must not be negative"))
    if currency.upper() not in CURRENCIES:
        errors.append(FieldError("budget.currency", f"must be one of {', '.join(sorted(CURRENCIES))}"))
    if (starts_on is None) != (ends_on is None):
        errors.append(
            FieldError("budget.ends_on" if ends_on is None else "budget.starts_on", "give both dates or none")
        )
    elif starts_on is not None and ends_on is not None and ends_on < starts_on:
        errors.append(FieldError("budget.ends_on", "must not be before starts_on"))
    if errors:
        raise ValidationFailed("The budget is not valid.", errors=errors)
    return Budget(
        amount_minor=amount_minor, currency=currency.upper(), period=period, starts_on=starts_on, ends_on=ends_on
    )


@dataclass(frozen=True, slots=True)
class NewCampaign:
    name: str
    description: str = ""
    property_id: uuid.UUID | None = None
    budget: Budget | None = None
    status: CampaignStatus = CampaignStatus.DRAFT


_EDITABLE = {"name", "description", "property_id", "budget", "status", "ai_status"}


async def _attachable(
    uow: CampaignsUnitOfWork, author: Principal, media_ids: builtins.list[uuid.UUID]
) -> builtins.list[uuid.UUID]:
    """Attachments are the author's own finished, private uploads: a public file would be readable by anyone."""
    media_ids = list(dict.fromkeys(media_ids))
    errors = []
    for media_id in media_ids:
        found = await uow.uploads.owner_of(media_id)
        if found is None or found[0] != author.user_id:
            errors.append(FieldError("attachment_ids", f"{media_id}: not a finished upload of yours"))
        elif found[1]:
            errors.append(FieldError("attachment_ids", f"{media_id}: a public file; attach private uploads"))
    if errors:
        raise AttachmentNotAllowed("Attach your own private uploads.", errors=errors)
    return media_ids


class CampaignService:
    def __init__(self, *, uow: CampaignsUnitOfWorkFactory, queries: CampaignQueries, clock: Clock) -> None:
        self._uow = uow
        self._queries = queries
        self._clock = clock

    async def create(self, principal: Principal, data: NewCampaign) -> Campaign:
        require_not_viewer(principal)
        now = self._clock.now()
        campaign = Campaign(
            id=new_id(),
            owner_id=principal.user_id,
            name=data.name.strip(),
            description=data.description,
            property_id=data.property_id,
            budget=data.budget,
            status=data.status,
            created_at=now,
            updated_at=now,
        )
        if not campaign.name:
            raise ValidationFailed("A campaign needs a name.", errors=[FieldError("name", "must not be blank")])
        if len(campaign.name) > NAME_MAX_LENGTH:
            raise ValidationFailed(
                "The campaign name is too long.",
                errors=[FieldError("name", f"must be at most {NAME_MAX_LENGTH} characters")],
            )
        async with self._uow() as uow:
            await _require_property(uow, campaign.property_id)
            await uow.campaigns.add(campaign)
            await uow.commit()
        return campaign

    async def readable(
        self, uow: CampaignsUnitOfWork, principal: Principal, campaign_id: uuid.UUID, *, for_update: bool = False
    ) -> Campaign:
        return await campaign_for(uow.campaigns, principal, campaign_id, lock=for_update)

    async def editable(self, uow: CampaignsUnitOfWork, principal: Principal, campaign_id: uuid.UUID) -> Campaign:
        return await campaign_for(uow.campaigns, principal, campaign_id, edit=True, lock=True)

    async def get(self, principal: Principal, campaign_id: uuid.UUID) -> Campaign:
        async with self._uow() as uow:
            return await self.readable(uow, principal, campaign_id)

    async def list(self, principal: Principal, filters: CampaignFilter, *, page: int, page_size: int) -> Page[Campaign]:
        if principal.role not in READERS:
            # Members only ever list their own campaigns and those they collaborate on, whatever they ask for
            # (an `owner_id` filter is ignored, as it always was for them).
            filters = dataclasses.replace(filters, owner_id=None, visible_to=principal.user_id)
        return await self._queries.search(filters, page=page, page_size=page_size)

    async def update(self, principal: Principal, campaign_id: uuid.UUID, changes: dict[str, Any]) -> Campaign:
        unknown = set(changes) - _EDITABLE
        if unknown:
            raise ValidationFailed(
                "These fields cannot be changed.", errors=[FieldError(f, "not editable") for f in sorted(unknown)]
            )
        if "name" in changes:
            changes["name"] = changes["name"].strip()
            if not changes["name"]:
                raise ValidationFailed("A campaign needs a name.", errors=[FieldError("name", "must not be blank")])
        async with self._uow() as uow:
            campaign = await self.editable(uow, principal, campaign_id)
            if changes.get("property_id") is not None:
                await _require_property(uow, changes["property_id"])
            for name, value in changes.items():
                setattr(campaign, name, value)
            campaign.updated_at = self._clock.now()
            await uow.campaigns.update(campaign)
            if principal.user_id != campaign.owner_id:
                notify(
                    uow.outbox,
                    NotificationKind.CAMPAIGN_UPDATE,
                    at=self._clock.now(),
                    actor_id=principal.user_id,
                    target_id=campaign.id,
                    recipients=[campaign.owner_id],
                    data={"campaign": campaign.name, "changed": ", ".join(sorted(changes))},
                )
            await uow.commit()
            return campaign

    async def set_ai_status(self, campaign_id: uuid.UUID, status: AiStatus) -> None:
        """For jobs: no principal, the job acts for the system."""
        async with self._uow() as uow:
            campaign = await uow.campaigns.get(campaign_id, for_update=True)
            if campaign is None:
                return
            campaign.ai_status = status
            campaign.updated_at = self._clock.now()
            await uow.campaigns.update(campaign)
            await uow.commit()

    async def delete(self, principal: Principal, campaign_id: uuid.UUID) -> None:
        async with self._uow() as uow:
            campaign = await self.editable(uow, principal, campaign_id)
            if not can_manage(principal, campaign):
                raise NotCampaignOwner()
            await uow.campaigns.delete(campaign_id)
            await uow.commit()

    # -- comments ------------------------------------------------------------
    async def add_comment(
        self,
        principal: Principal,
        campaign_id: uuid.UUID,
        body: str,
        *,
        parent_id: uuid.UUID | None = None,
        mentions: builtins.list[uuid.UUID] | None = None,
        attachment_ids: builtins.list[uuid.UUID] | None = None,
    ) -> Comment:
        body = body.strip()
        if not body:
            raise ValidationFailed("A comment needs text.", errors=[FieldError("body", "must not be blank")])
        async with self._uow() as uow:
            campaign = await self.readable(uow, principal, campaign_id)
            if not can_comment(principal, campaign):
                raise CommentingNotAllowed()
            parent = None
            if parent_id is not None:
                parent = await uow.comments.get(parent_id)
                if parent is None or parent.campaign_id != campaign_id:
                    raise ValidationFailed(
                        "The comment you reply to is not on this campaign.",
                        errors=[FieldError("parent_id", "no such comment on this campaign")],
                    )
            now = self._clock.now()
            comment = Comment(
                id=new_id(),
                campaign_id=campaign_id,
                author_id=principal.user_id,
                body=body,
                parent_id=parent_id,
                mentions=await self._mentioned(uow, campaign, principal, body, mentions or []),
                attachment_ids=await _attachable(uow, principal, attachment_ids or []),
                created_at=now,
                updated_at=now,
            )
            await uow.comments.add(comment)
            data = {"campaign": campaign.name, "excerpt": body[:140]}
            notify_comment(
                uow.outbox,
                at=now,
                author_id=principal.user_id,
                comment_id=comment.id,
                owner_id=campaign.owner_id,
                replied_to=parent.author_id if parent is not None else None,
                mentioned=comment.mentions,
                data=data,
            )
            await uow.commit()
            return comment

    async def _mentioned(
        self,
        uow: CampaignsUnitOfWork,
        campaign: Campaign,
        author: Principal,
        body: str,
        explicit: builtins.list[uuid.UUID],
    ) -> builtins.list[uuid.UUID]:
        """Who a comment mentions, by `@username` in its text or by id: only accounts that can read the
        campaign (telling anyone else would show them the comment), never the author, at most MAX_MENTIONS."""
        names = list(dict.fromkeys(m.lower() for m in MENTION_RE.findall(body)))[:MAX_MENTIONS]
        by_name = await uow.user_emails.ids_for_usernames(names) if names else []
        wanted = [u for u in dict.fromkeys([*explicit, *by_name]) if u != author.user_id][:MAX_MENTIONS]
        roles = await uow.user_emails.roles_of(wanted) if wanted else {}
        return [u for u in wanted if u in roles and readable_by(u, roles[u], campaign)]

    async def list_comments(
        self, principal: Principal, campaign_id: uuid.UUID, *, parent_id: uuid.UUID | None, page: int, page_size: int
    ) -> Page[Comment]:
        async with self._uow() as uow:
            await self.readable(uow, principal, campaign_id)
            return await uow.comments.list_for_campaign(
                campaign_id, parent_id=parent_id, page=page, page_size=page_size
            )

    async def attachment(
        self, principal: Principal, campaign_id: uuid.UUID, comment_id: uuid.UUID, media_id: uuid.UUID
    ) -> Comment:
        """The comment holding `media_id`, for a reader of the campaign (the caller then signs the download)."""
        async with self._uow() as uow:
            await self.readable(uow, principal, campaign_id)
            comment = await uow.comments.get(comment_id)
        if comment is None or comment.campaign_id != campaign_id or media_id not in comment.attachment_ids:
            raise AttachmentNotFound()
        return comment

    async def _own_comment(
        self,
        uow: CampaignsUnitOfWork,
        principal: Principal,
        campaign_id: uuid.UUID,
        comment_id: uuid.UUID,
        *,
        allow_staff: bool,
    ) -> tuple[Campaign, Comment]:
        campaign = await self.readable(uow, principal, campaign_id)
        comment = await uow.comments.get(comment_id, for_update=True)
        if comment is None or comment.campaign_id != campaign_id or comment.is_deleted:
            raise CommentNotFound()
        if comment.author_id != principal.user_id and not (allow_staff and principal.role in STAFF):
            raise NotCommentAuthor()
        return campaign, comment

    async def edit_comment(
        self, principal: Principal, campaign_id: uuid.UUID, comment_id: uuid.UUID, body: str
    ) -> Comment:
        body = body.strip()
        if not body:
            raise ValidationFailed("A comment needs text.", errors=[FieldError("body", "must not be blank")])
        async with self._uow() as uow:
            campaign, comment = await self._own_comment(uow, principal, campaign_id, comment_id, allow_staff=False)
            before = set(comment.mentions)
            comment.body = body
            comment.mentions = await self._mentioned(uow, campaign, principal, body, comment.mentions)
            comment.edited = True
            comment.updated_at = self._clock.now()
            await uow.comments.update(comment)
            added = [u for u in comment.mentions if u not in before]
            if added:  # only people newly mentioned hear of the edit
                notify(
                    uow.outbox,
                    NotificationKind.MENTION,
                    at=comment.updated_at,
                    actor_id=principal.user_id,
                    target_id=comment.id,
                    recipients=added,
                    data={"campaign": campaign.name, "excerpt": body[:140]},
                )
            await uow.commit()
            return comment

    async def delete_comment(self, principal: Principal, campaign_id: uuid.UUID, comment_id: uuid.UUID) -> None:
        """Soft delete: the text goes, the thread (and its replies) stays."""
        async with self._uow() as uow:
            _, comment = await self._own_comment(uow, principal, campaign_id, comment_id, allow_staff=True)
            comment.body = ""
            comment.mentions = []
            comment.attachment_ids = []
            comment.is_deleted = True
            comment.updated_at = self._clock.now()
            await uow.comments.update(comment)
            await uow.commit()
