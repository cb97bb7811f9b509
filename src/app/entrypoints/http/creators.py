"""Oasis creators: /api/creators*, /api/posts*, /api/feed, /api/search."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from app.core.errors import FieldError, ValidationFailed
from app.domain.accounts.entities import Principal
from app.domain.creators.entities import (
    CreatorProfile,
    FeedCursor,
    FeedPage,
    Post,
    PostComment,
    PostVisibility,
)
from app.domain.creators.errors import PostLocked
from app.domain.creators.services import CreatorService, NewPost
from app.domain.media.errors import MediaNotFound
from app.entrypoints.http.dto import present_fields
from app.entrypoints.http.media import MediaOut, media_out
from app.entrypoints.http.problems import problem_responses
from app.entrypoints.http.security import BEARER_SECURITY

TAGS = ["creators"]
POST_TAGS = ["posts & feed"]
Cursor = Annotated[str | None, QueryParameter(max_length=200, description="`next_cursor` of the previous page")]
Limit = Annotated[int, QueryParameter(ge=1, le=50)]


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


class PostIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=300, examples=["Sketchbook #12"])]
    body: Annotated[str, msgspec.Meta(max_length=50_000)] = ""
    visibility: PostVisibility = PostVisibility.PUBLIC
    tier_ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=20)] = msgspec.field(default_factory=list)
    media_ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=20)] = msgspec.field(default_factory=list)


class PostPatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | msgspec.UnsetType = msgspec.UNSET
    body: Annotated[str, msgspec.Meta(max_length=50_000)] | msgspec.UnsetType = msgspec.UNSET
    visibility: PostVisibility | msgspec.UnsetType = msgspec.UNSET
    tier_ids: list[uuid.UUID] | msgspec.UnsetType = msgspec.UNSET


class TiersIn(msgspec.Struct, forbid_unknown_fields=True):
    tier_ids: Annotated[list[uuid.UUID], msgspec.Meta(min_length=1, max_length=20)]


class PostOut(msgspec.Struct):
    id: uuid.UUID
    creator_id: uuid.UUID
    title: str
    body: Annotated[str | None, msgspec.Meta(description="null when locked: subscribe to one of `tier_ids`")]
    locked: bool
    visibility: PostVisibility
    tier_ids: list[uuid.UUID]
    media_ids: list[uuid.UUID]
    like_count: int
    liked: bool
    created_at: datetime | None


class PostPageOut(msgspec.Struct):
    items: list[PostOut]
    next_cursor: str | None


class FollowOut(msgspec.Struct):
    following: bool


class SearchOut(msgspec.Struct):
    creators: list[ProfileOut]
    posts: list[PostOut]


def profile_out(p: CreatorProfile) -> ProfileOut:
    return ProfileOut(p.user_id, p.display_name, p.bio, p.category, p.avatar_url, p.follower_count)


def post_out(p: Post) -> PostOut:
    return PostOut(
        p.id,
        p.creator_id,
        p.title,
        p.body,
        p.locked,
        p.visibility,
        p.tier_ids,
        p.media_ids,
        p.like_count,
        p.liked_by_viewer,
        p.created_at,
    )


def encode_cursor(cursor: FeedCursor | None) -> str | None:
    if cursor is None:
        return None
    return base64.urlsafe_b64encode(f"{cursor.created_at.isoformat()}|{cursor.post_id}".encode()).decode().rstrip("=")


def decode_cursor(raw: str | None) -> FeedCursor | None:
    if not raw:
        return None
    try:
        created, _, post_id = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode().partition("|")
        return FeedCursor(datetime.fromisoformat(created), uuid.UUID(post_id))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            "The cursor is not valid.", errors=[FieldError("cursor", "not a cursor from this API")]
        ) from exc


def page_out(page: FeedPage) -> PostPageOut:
    return PostPageOut([post_out(p) for p in page.items], encode_cursor(page.next_cursor))


@put(
    "/api/creators/me",
    summary="Create or update my creator profile",
    tags=TAGS,
    security=BEARER_SECURITY,
    status_code=HTTP_200_OK,
    responses=problem_responses(400, 401, 422),
)
async def put_profile(
    data: JSONBody[ProfileIn], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> ProfileOut:
    profile = await creators.save_profile(
        request.user, display_name=data.display_name, bio=data.bio, category=data.category, avatar_url=data.avatar_url
    )
    return profile_out(profile)


@get(
    "/api/creators/{creator_id:uuid}",
    summary="A creator's profile",
    tags=TAGS,
    security=BEARER_SECURITY,
    responses=problem_responses(401, 404),
)
async def get_profile(creator_id: FromPath[uuid.UUID], creators: NamedDependency[CreatorService]) -> ProfileOut:
    return profile_out(await creators.profile(creator_id))


@get(
    "/api/creators/{creator_id:uuid}/follow",
    summary="Do I follow this creator?",
    tags=TAGS,
    security=BEARER_SECURITY,
    responses=problem_responses(401),
)
async def is_following(
    creator_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> FollowOut:
    return FollowOut(await creators.is_following(request.user, creator_id))


@post(
    "/api/creators/{creator_id:uuid}/follow",
    summary="Follow a creator",
    tags=TAGS,
    security=BEARER_SECURITY,
    status_code=HTTP_200_OK,
    responses=problem_responses(401, 404, 422),
)
async def follow(
    creator_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> FollowOut:
    return FollowOut(await creators.follow(request.user, creator_id, True))


@delete(
    "/api/creators/{creator_id:uuid}/follow",
    summary="Unfollow a creator",
    tags=TAGS,
    security=BEARER_SECURITY,
    status_code=HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404),
)
async def unfollow(
    creator_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> None:
    await creators.follow(request.user, creator_id, False)


@get(
    "/api/creators/{creator_id:uuid}/posts",
    summary="A creator's posts",
    description="Newest first, cursor-paginated; tier-only posts are locked previews unless you subscribe.",
    tags=POST_TAGS,
    security=BEARER_SECURITY,
    responses=problem_responses(400, 401, 422),
)
async def creator_posts(
    creator_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    creators: NamedDependency[CreatorService],
    cursor: Cursor = None,
    limit: Limit = 20,
) -> PostPageOut:
    return page_out(await creators.creator_posts(request.user, creator_id, before=decode_cursor(cursor), limit=limit))


@post(
    "/api/posts",
    summary="Publish a post",
    description="`visibility: tiers` limits it to subscribers of `tier_ids` (your tiers).",
    tags=POST_TAGS,
    security=BEARER_SECURITY,
    responses=problem_responses(400, 401, 403, 422),
)
async def create_post(
    data: JSONBody[PostIn], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> PostOut:
    new = NewPost(
        title=data.title,
        body=data.body,
        visibility=data.visibility,
        tier_ids=tuple(data.tier_ids),
        media_ids=tuple(data.media_ids),
    )
    return post_out(await creators.create_post(request.user, new))


@get(
    "/api/posts/{post_id:uuid}",
    summary="A post",
    description="Locked (no body, no media) unless public, yours, or you subscribe to one of its tiers.",
    tags=POST_TAGS,
    security=BEARER_SECURITY,
    responses=problem_responses(401, 404),
)
async def get_post(
    post_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> PostOut:
    return post_out(await creators.get_post(request.user, post_id))


@patch(
    "/api/posts/{post_id:uuid}",
    summary="Edit my post",
    tags=POST_TAGS,
    security=BEARER_SECURITY,
    responses=problem_responses(400, 401, 404, 422),
)
async def patch_post(
    post_id: FromPath[uuid.UUID],
    data: JSONBody[PostPatch],
    request: Request[Principal, Any, Any],
    creators: NamedDependency[CreatorService],
) -> PostOut:
    changes = present_fields(data)
    return post_out(await creators.update_post(request.user, post_id, changes))


@post(
    "/api/posts/{post_id:uuid}/remove-tiers",
    summary="Remove tiers from my post",
    tags=POST_TAGS,
    security=BEARER_SECURITY,
    status_code=HTTP_200_OK,
    responses=problem_responses(400, 401, 404, 422),
)
async def remove_tiers(
    post_id: FromPath[uuid.UUID],
    data: JSONBody[TiersIn],
    request: Request[Principal, Any, Any],
    creators: NamedDependency[CreatorService],
) -> PostOut:
    return post_out(await creators.remove_tiers(request.user, post_id, data.tier_ids))


@delete(
    "/api/posts/{post_id:uuid}",
    summary="Delete my post",
    tags=POST_TAGS,
    security=BEARER_SECURITY,
    status_code=HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404),
)
async def delete_post(
    post_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> None:
    await creators.delete_post(request.user, post_id)


@post(
    "/api/posts/{post_id:uuid}/like",
    summary="Like a post",
    tags=POST_TAGS,
    security=BEARER_SECURITY,
    status_code=HTTP_200_OK,
    responses=problem_responses(401, 403, 404),
)
async def like(
    post_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> PostOut:
    return post_out(await creators.like(request.user, post_id, True))


@delete(
    "/api/posts/{post_id:uuid}/like",
    summary="Unlike a post",
    tags=POST_TAGS,
    security=BEARER_SECURITY,
    status_code=HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
)
async def unlike(
    post_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> None:
    await creators.like(request.user, post_id, False)


@get(
    "/api/feed",
    summary="My feed",
    description="Posts of creators I follow, newest first; `next_cursor` pages stay stable while new posts arrive.",
    tags=POST_TAGS,
    security=BEARER_SECURITY,
    responses=problem_responses(400, 401, 422),
)
async def feed(
    request: Request[Principal, Any, Any],
    creators: NamedDependency[CreatorService],
    cursor: Cursor = None,
    limit: Limit = 20,
) -> PostPageOut:
    return page_out(await creators.feed(request.user, before=decode_cursor(cursor), limit=limit))


@get(
    "/api/search",
    summary="Search creators and posts",
    description="Post bodies are searched only where you may read them.",
    tags=POST_TAGS,
    security=BEARER_SECURITY,
    responses=problem_responses(400, 401, 422),
)
async def search(
    request: Request[Principal, Any, Any],
    creators_service: NamedDependency[CreatorService],
    q: Annotated[str, QueryParameter(min_length=1, max_length=100)],
) -> SearchOut:
    creators, posts = await creators_service.search(request.user, q)
    return SearchOut([profile_out(c) for c in creators], [post_out(p) for p in posts])


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
    "/api/creators/me/stats",
    summary="My creator dashboard",
    description="Subscribers per tier, revenue by month (UTC), tips, followers, posts.",
    tags=TAGS,
    security=BEARER_SECURITY,
    responses=problem_responses(401, 403),
)
async def creator_stats(
    request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> CreatorStatsOut:
    return msgspec.convert(await creators.creator_stats(request.user), CreatorStatsOut)


@get(
    "/api/users/me/stats",
    summary="My dashboard",
    description="Follows, live subscriptions, likes and money spent.",
    tags=["users"],
    security=BEARER_SECURITY,
    responses=problem_responses(401),
)
async def user_stats(request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]) -> UserStatsOut:
    return msgspec.convert(await creators.user_stats(request.user), UserStatsOut)


class CommentIn(msgspec.Struct, forbid_unknown_fields=True):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]
    parent_id: uuid.UUID | None = None


class CommentOut(msgspec.Struct):
    id: uuid.UUID
    post_id: uuid.UUID
    author_id: uuid.UUID
    parent_id: uuid.UUID | None
    body: str
    created_at: datetime | None


class CommentListOut(msgspec.Struct):
    items: list[CommentOut]


def comment_out(c: PostComment) -> CommentOut:
    return CommentOut(c.id, c.post_id, c.author_id, c.parent_id, c.body, c.created_at)


@post(
    "/api/posts/{post_id:uuid}/comments",
    summary="Comment on a post",
    description="Replies via `parent_id`. Locked posts cannot be discussed.",
    tags=POST_TAGS,
    security=BEARER_SECURITY,
    responses=problem_responses(400, 401, 403, 404, 422),
)
async def add_post_comment(
    post_id: FromPath[uuid.UUID],
    data: JSONBody[CommentIn],
    request: Request[Principal, Any, Any],
    creators: NamedDependency[CreatorService],
) -> CommentOut:
    return comment_out(await creators.add_comment(request.user, post_id, data.body, data.parent_id))


@get(
    "/api/posts/{post_id:uuid}/comments",
    summary="A post's comments",
    description="Oldest first, with `parent_id` for threads.",
    tags=POST_TAGS,
    security=BEARER_SECURITY,
    responses=problem_responses(401, 403, 404),
)
async def list_post_comments(
    post_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> CommentListOut:
    return CommentListOut([comment_out(c) for c in await creators.comments(request.user, post_id)])


@get(
    "/api/posts/{post_id:uuid}/media/{media_id:uuid}",
    summary="A post's attachment",
    description="Signed download URL for a file attached to a post you can read (subscribers see tier-only media).",
    tags=POST_TAGS,
    security=BEARER_SECURITY,
    responses=problem_responses(401, 403, 404),
)
async def post_media(
    post_id: FromPath[uuid.UUID],
    media_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    state: State,
    creators: NamedDependency[CreatorService],
) -> MediaOut:
    # The post decides who may see its files; the file itself stays private to its owner otherwise.
    post = await creators.get_post(request.user, post_id)
    if post.locked:
        raise PostLocked("Subscribe to a tier of this post to see its files.")
    if media_id not in post.media_ids:
        raise MediaNotFound()
    media, url, thumb = await state.services.media.get_shared_by(post.creator_id, media_id)
    return media_out(media, url, thumb)


def create_router() -> Router:
    return Router(
        path="/",
        route_handlers=[
            put_profile,
            get_profile,
            is_following,
            follow,
            unfollow,
            creator_posts,
            create_post,
            get_post,
            patch_post,
            remove_tiers,
            delete_post,
            like,
            unlike,
            feed,
            search,
            creator_stats,
            user_stats,
            add_post_comment,
            list_post_comments,
            post_media,
        ],
    )
