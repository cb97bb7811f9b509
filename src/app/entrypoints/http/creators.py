"""Oasis creators: profiles, follows and stats: /api/creators*, /api/users/me/stats."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from app.domain.creators.entities import (
    CreatorProfile,
)
from app.domain.creators.services import CreatorService
from app.domain.kernel import Principal

TAGS = ["creators"]


class ProfileIn(msgspec.Struct, forbid_unknown_fields=True):
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, examples=["Utsav Draws"])]
    bio: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    category: Annotated[str, msgspec.Meta(max_length=50, examples=["illustration"])] = ""
    avatar_url: Annotated[str, msgspec.Meta(max_length=500, pattern=r"^(https?://\S+)?$")] = ""


class ProfileOut(msgspec.Struct):
    user_id: uuid.UUID
    display_name: str
    bio: str
    category: str
    avatar_url: str
    follower_count: int


class FollowOut(msgspec.Struct):
    following: bool


def profile_out(p: CreatorProfile) -> ProfileOut:
    return msgspec.convert(p, ProfileOut, from_attributes=True)


@put(
    "/creators/me",
    summary="Create or update my creator profile",
    status_code=HTTP_200_OK,
)
async def put_profile(
    data: JSONBody[ProfileIn], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> ProfileOut:
    profile = await creators.save_profile(
        request.user, display_name=data.display_name, bio=data.bio, category=data.category, avatar_url=data.avatar_url
    )
    return profile_out(profile)


@get(
    "/creators/{creator_id:uuid}",
    summary="A creator's profile",
)
async def get_profile(creator_id: FromPath[uuid.UUID], creators: NamedDependency[CreatorService]) -> ProfileOut:
    return profile_out(await creators.profile(creator_id))


@get(
    "/creators/{creator_id:uuid}/follow",
    summary="Do I follow this creator?",
)
async def is_following(
    creator_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> FollowOut:
    return FollowOut(await creators.is_following(request.user, creator_id))


@post(
    "/creators/{creator_id:uuid}/follow",
    summary="Follow a creator",
    status_code=HTTP_200_OK,
)
async def follow(
    creator_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> FollowOut:
    return FollowOut(await creators.follow(request.user, creator_id, True))


@delete(
    "/creators/{creator_id:uuid}/follow",
    summary="Unfollow a creator",
    status_code=HTTP_204_NO_CONTENT,
)
async def unfollow(
    creator_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> None:
    await creators.follow(request.user, creator_id, False)


class TierStat(msgspec.Struct):
    tier_id: uuid.UUID
    name: str
    subscribers: int


class MonthRevenue(msgspec.Struct):
    month: Annotated[str, msgspec.Meta(examples=["2026-11"])]
    currency: str
    amount_minor: int
    payments: int


class TipStat(msgspec.Struct):
    currency: str
    count: int
    amount_minor: int


class CreatorStatsOut(msgspec.Struct):
    subscribers_per_tier: list[TierStat]
    revenue_by_month: list[MonthRevenue]
    tips: list[TipStat]
    followers: int
    posts: int


class Spent(msgspec.Struct):
    currency: str
    amount_minor: int


class UserStatsOut(msgspec.Struct):
    following: int
    active_subscriptions: int
    likes_given: int
    spent: list[Spent]


@get(
    "/creators/me/stats",
    summary="My creator dashboard",
    description="Subscribers per tier, revenue by month (UTC), tips, followers, posts.",
)
async def creator_stats(
    request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> CreatorStatsOut:
    return msgspec.convert(await creators.creator_stats(request.user), CreatorStatsOut)


@get(
    "/users/me/stats",
    summary="My dashboard",
    description="Follows, live subscriptions, likes and money spent.",
)
async def user_stats(request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]) -> UserStatsOut:
    return msgspec.convert(await creators.user_stats(request.user), UserStatsOut)


def create_router() -> Router:
    profiles = Router(
        path="/", tags=TAGS, route_handlers=[put_profile, get_profile, is_following, follow, unfollow, creator_stats]
    )
    members = Router(path="/", tags=["users"], route_handlers=[user_stats])
    return Router(path="/api", route_handlers=[profiles, members])
