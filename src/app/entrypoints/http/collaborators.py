"""Campaign collaborators and invitations: `/api/campaigns/{id}/collaborators|invites` for the owner's side,
`/api/campaign-invites` for the invitee's."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from app.domain.campaigns.collaborators import INVITE_TTL, MAX_COLLABORATORS, CollaboratorService
from app.domain.campaigns.entities import Collaborator, CollaboratorRole, Invite, InviteStatus
from app.domain.kernel import Principal
from app.entrypoints.http.accounts import EmailStr, checked_email
from app.entrypoints.http.problems import problem_responses

TAGS = ["campaign collaborators"]
ROLE_HELP = (
    "`editor`: edit the campaign, its canvas and generations, and comment; `commenter`: read and comment; "
    "`viewer`: read only. Deleting the campaign and managing collaborators stay with the owner (and staff)."
)


class InviteIn(msgspec.Struct, forbid_unknown_fields=True):
    email: EmailStr
    role: Annotated[CollaboratorRole, msgspec.Meta(description=ROLE_HELP)] = CollaboratorRole.EDITOR


class InviteOut(msgspec.Struct):
    id: uuid.UUID
    campaign_id: uuid.UUID
    campaign_name: str
    email: str
    role: CollaboratorRole
    status: InviteStatus
    invited_by: uuid.UUID | None
    created_at: datetime | None
    expires_at: datetime


class AcceptIn(msgspec.Struct, forbid_unknown_fields=True):
    token: Annotated[
        str,
        msgspec.Meta(
            min_length=16, max_length=200, description="The code from the invitation email (its link carries it)."
        ),
    ]


class CollaboratorOut(msgspec.Struct):
    campaign_id: uuid.UUID
    user_id: uuid.UUID
    username: str
    role: CollaboratorRole
    added_by: uuid.UUID | None
    created_at: datetime | None
    updated_at: datetime | None


class RoleIn(msgspec.Struct, forbid_unknown_fields=True):
    role: Annotated[CollaboratorRole, msgspec.Meta(description=ROLE_HELP)]


def invite_out(invite: Invite) -> InviteOut:
    return msgspec.convert(invite, InviteOut, from_attributes=True)


def collaborator_out(collaborator: Collaborator) -> CollaboratorOut:
    return msgspec.convert(collaborator, CollaboratorOut, from_attributes=True)


# -- the owner's side --------------------------------------------------------------
@post(
    "/{campaign_id:uuid}/invites",
    summary="Invite someone to a campaign",
    description=f"Emails an invitation link to `email` (valid {INVITE_TTL.days} days). {ROLE_HELP} "
    f"At most {MAX_COLLABORATORS} collaborators and open invitations per campaign. Owner and staff only.",
    status_code=HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def invite(
    campaign_id: FromPath[uuid.UUID],
    data: JSONBody[InviteIn],
    request: Request[Principal, Any, Any],
    collaborators: NamedDependency[CollaboratorService],
) -> InviteOut:
    email = checked_email(data.email)
    return invite_out(await collaborators.invite(request.user, campaign_id, email, data.role))


@get(
    "/{campaign_id:uuid}/invites",
    summary="Open invitations of a campaign",
    description="Pending, unexpired invitations, newest first. Owner and staff only.",
)
async def list_invites(
    campaign_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    collaborators: NamedDependency[CollaboratorService],
) -> list[InviteOut]:
    return [invite_out(i) for i in await collaborators.open_invites(request.user, campaign_id)]


@delete(
    "/{campaign_id:uuid}/invites/{invite_id:uuid}",
    summary="Revoke an invitation",
    description="Its link stops working at once. Owner and staff only.",
    status_code=HTTP_204_NO_CONTENT,
)
async def revoke_invite(
    campaign_id: FromPath[uuid.UUID],
    invite_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    collaborators: NamedDependency[CollaboratorService],
) -> None:
    await collaborators.revoke(request.user, campaign_id, invite_id)


@get(
    "/{campaign_id:uuid}/collaborators",
    summary="Collaborators of a campaign",
    description="Everyone who can read the campaign sees who works on it, oldest first.",
)
async def list_collaborators(
    campaign_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    collaborators: NamedDependency[CollaboratorService],
) -> list[CollaboratorOut]:
    return [collaborator_out(c) for c in await collaborators.collaborators(request.user, campaign_id)]


@patch(
    "/{campaign_id:uuid}/collaborators/{user_id:uuid}",
    summary="Change a collaborator's role",
    description=f"{ROLE_HELP} Takes effect at once, on open canvas sockets too. Owner and staff only.",
)
async def change_role(
    campaign_id: FromPath[uuid.UUID],
    user_id: FromPath[uuid.UUID],
    data: JSONBody[RoleIn],
    request: Request[Principal, Any, Any],
    collaborators: NamedDependency[CollaboratorService],
) -> CollaboratorOut:
    return collaborator_out(await collaborators.change_role(request.user, campaign_id, user_id, data.role))


@delete(
    "/{campaign_id:uuid}/collaborators/{user_id:uuid}",
    summary="Remove a collaborator (or leave)",
    description="The owner and staff remove anyone; a collaborator may remove themselves. "
    "Their open canvas sockets close (4403 `access-lost`).",
    status_code=HTTP_204_NO_CONTENT,
)
async def remove_collaborator(
    campaign_id: FromPath[uuid.UUID],
    user_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    collaborators: NamedDependency[CollaboratorService],
) -> None:
    await collaborators.remove(request.user, campaign_id, user_id)


# -- the invitee's side ------------------------------------------------------------
@get(
    "/",
    summary="My open invitations",
    description="Invitations addressed to my email address; it must be verified.",
)
async def my_invites(
    request: Request[Principal, Any, Any], collaborators: NamedDependency[CollaboratorService]
) -> list[InviteOut]:
    return [invite_out(i) for i in await collaborators.my_invites(request.user)]


@post(
    "/accept",
    summary="Accept an invitation with its emailed code",
    description="The signed-in account joins the campaign with the invitation's role. The code works once: "
    "an unknown or used code is 404 `invite-not-found`, an expired or revoked invitation 410 `invite-closed`.",
    status_code=HTTP_201_CREATED,
    responses=problem_responses(404, 409, 410),
)
async def accept_with_token(
    data: JSONBody[AcceptIn],
    request: Request[Principal, Any, Any],
    collaborators: NamedDependency[CollaboratorService],
) -> CollaboratorOut:
    return collaborator_out(await collaborators.accept(request.user, token=data.token))


@post(
    "/{invite_id:uuid}/accept",
    summary="Accept one of my invitations",
    description="For invitations addressed to my verified email address.",
    status_code=HTTP_201_CREATED,
    responses=problem_responses(409, 410),
)
async def accept_by_id(
    invite_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    collaborators: NamedDependency[CollaboratorService],
) -> CollaboratorOut:
    return collaborator_out(await collaborators.accept(request.user, invite_id=invite_id))


@post(
    "/{invite_id:uuid}/decline",
    summary="Decline one of my invitations",
    status_code=HTTP_204_NO_CONTENT,
    responses=problem_responses(410),
)
async def decline(
    invite_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    collaborators: NamedDependency[CollaboratorService],
) -> None:
    await collaborators.decline(request.user, invite_id)


def campaign_router() -> Router:
    """Mounted under /api/campaigns."""
    return Router(
        path="/",
        tags=TAGS,
        route_handlers=[invite, list_invites, revoke_invite, list_collaborators, change_role, remove_collaborator],
    )


def create_router() -> Router:
    return Router(
        path="/api/campaign-invites", tags=TAGS, route_handlers=[my_invites, accept_with_token, accept_by_id, decline]
    )
