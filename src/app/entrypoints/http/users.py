"""Accounts of signed-in users: my profile and upgrade, and user administration: /api/users/me*, /api/admin/users*."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from app.domain.accounts.entities import User
from app.domain.accounts.users import AccountService
from app.domain.kernel import Page, Principal, Role
from app.entrypoints.http.accounts import (
    EmailStr,
    Name,
    RegisterIn,
    Url,
    Username,
    UserOut,
    checked_email,
    registration_of,
    user_out,
)
from app.entrypoints.http.dto import Page as PageOut
from app.entrypoints.http.dto import PagingParams, present_fields
from app.entrypoints.http.problems import problem_responses
from app.entrypoints.http.security import requires_role


class ProfilePatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Only the fields present are changed."""

    first_name: Name | msgspec.UnsetType = msgspec.UNSET
    last_name: Name | msgspec.UnsetType = msgspec.UNSET
    bio: Annotated[str, msgspec.Meta(max_length=500, examples=["Poet of science."])] | msgspec.UnsetType = msgspec.UNSET
    location: Annotated[str, msgspec.Meta(max_length=100, examples=["London"])] | msgspec.UnsetType = msgspec.UNSET
    website: Url | msgspec.UnsetType = msgspec.UNSET
    github_url: Url | msgspec.UnsetType = msgspec.UNSET
    linkedin_url: Url | msgspec.UnsetType = msgspec.UNSET
    twitter_url: Url | msgspec.UnsetType = msgspec.UNSET
    # DiceyTech spec: phone up to 20 characters, goals up to 200.
    phone: Annotated[str, msgspec.Meta(max_length=20, pattern=r"^(\+?[0-9 ()-]{6,20})?$")] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    goals: Annotated[str, msgspec.Meta(max_length=200)] | msgspec.UnsetType = msgspec.UNSET
    skills: (
        Annotated[
            list[Annotated[str, msgspec.Meta(min_length=1, max_length=50)]],
            msgspec.Meta(max_length=50, examples=[["python", "sql"]]),
        ]
        | msgspec.UnsetType
    ) = msgspec.UNSET
    avatar_url: Annotated[str, msgspec.Meta(max_length=500, pattern=r"^(https?://\S+)?$")] | msgspec.UnsetType = (
        msgspec.UNSET
    )


class AdminUserPatch(ProfilePatch, forbid_unknown_fields=True, omit_defaults=True):
    username: Username | msgspec.UnsetType = msgspec.UNSET
    email: EmailStr | msgspec.UnsetType = msgspec.UNSET
    role: Role | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET
    email_verified: bool | msgspec.UnsetType = msgspec.UNSET


class UserPageOut(PageOut[UserOut]):
    pass


# -- /api/users/me ----------------------------------------------------------------
@get(
    "/me",
    summary="My profile",
)
async def get_me(request: Request[Principal, Any, Any], accounts: NamedDependency[AccountService]) -> UserOut:
    return user_out(await accounts.get_user(request.user.user_id))


@patch(
    "/me",
    summary="Update my profile",
    description="Only the fields sent are changed.",
)
async def patch_me(
    data: JSONBody[ProfilePatch], request: Request[Principal, Any, Any], accounts: NamedDependency[AccountService]
) -> UserOut:
    user = await accounts.update_profile(request.user, present_fields(data))
    return user_out(user)


@post(
    "/me/upgrade",
    summary="Upgrade my guest account",
    description="Gives a guest account a username and password (same id, purchases kept).",
    status_code=HTTP_200_OK,
    responses=problem_responses(409),
)
async def upgrade_me(
    data: JSONBody[RegisterIn], request: Request[Principal, Any, Any], accounts: NamedDependency[AccountService]
) -> UserOut:
    user = await accounts.upgrade_guest(request.user, registration_of(data))
    return user_out(user)


# -- /api/admin/users -------------------------------------------------------------
STAFF = requires_role(Role.ADMIN, Role.MANAGER)
ADMIN = requires_role(Role.ADMIN)


@get(
    "/",
    summary="List users",
    description="Newest first. Filter by role/active state; `q` searches username, email and name. "
    "Admins and managers.",
    guards=[STAFF],
)
async def list_users(
    paging: PagingParams,
    accounts: NamedDependency[AccountService],
    q: Annotated[str | None, QueryParameter(max_length=100, description="Search text")] = None,
    role: FromQuery[Role | None] = None,
    is_active: FromQuery[bool | None] = None,
) -> UserPageOut:
    result: Page[User] = await accounts.list_users(
        query=q, role=role, is_active=is_active, page=paging.page, page_size=paging.page_size
    )
    return UserPageOut(
        items=[user_out(u) for u in result.items], total=result.total, page=result.page, page_size=result.page_size
    )


@get(
    "/{user_id:uuid}",
    summary="Get a user",
    guards=[STAFF],
)
async def admin_get_user(user_id: FromPath[uuid.UUID], accounts: NamedDependency[AccountService]) -> UserOut:
    return user_out(await accounts.get_user(user_id))


@patch(
    "/{user_id:uuid}",
    summary="Update a user",
    description="Profile fields plus role, is_active, email_verified, username and email. Admins only. "
    "Disabling a user signs out all its sessions.",
    guards=[ADMIN],
    responses=problem_responses(409),
)
async def admin_patch_user(
    user_id: FromPath[uuid.UUID],
    data: JSONBody[AdminUserPatch],
    request: Request[Principal, Any, Any],
    accounts: NamedDependency[AccountService],
) -> UserOut:
    changes = present_fields(data)
    if "email" in changes:
        changes["email"] = checked_email(changes["email"])
    return user_out(await accounts.admin_update(request.user, user_id, changes))


@delete(
    "/{user_id:uuid}",
    summary="Delete a user",
    guards=[ADMIN],
)
async def admin_delete_user(
    user_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], accounts: NamedDependency[AccountService]
) -> None:
    await accounts.delete_user(request.user, user_id)


def create_router() -> Router:
    users = Router(path="/api/users", tags=["users"], route_handlers=[get_me, patch_me, upgrade_me])
    admin = Router(
        path="/api/admin/users",
        tags=["admin: users"],
        route_handlers=[list_users, admin_get_user, admin_patch_user, admin_delete_user],
    )
    return Router(path="/", route_handlers=[users, admin])
