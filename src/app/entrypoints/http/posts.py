"""Oasis posts: tier-gated posts, likes, comments, media, the feed and search: /api/posts*, /api/feed, /api/search."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from app.core.errors import FieldError, ValidationFailed
from app.domain.creators.entities import (
    FeedCursor,
    FeedPage,
    Post,
    PostComment,
    PostVisibility,
)
from app.domain.creators.errors import PostLocked
from app.domain.creators.services import CreatorService, NewPost
from app.domain.kernel import Principal
from app.domain.media.errors import MediaNotFound
from app.domain.media.services import MediaService
from app.entrypoints.http.creators import ProfileOut, profile_out
from app.entrypoints.http.dto import present_fields
from app.entrypoints.http.media import MediaOut, media_out

POST_TAGS = ["posts & feed"]
Cursor = Annotated[str | None, QueryParameter(max_length=200, description="`next_cursor` of the previous page")]
Limit = Annotated[int, QueryParameter(ge=1, le=50)]


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


class SearchOut(msgspec.Struct):
    creators: list[ProfileOut]
    posts: list[PostOut]


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
        return FeedCursor(created_at=datetime.fromisoformat(created), post_id=uuid.UUID(post_id))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            "The cursor is not valid.", errors=[FieldError("cursor", "not a cursor from this API")]
        ) from exc


def page_out(page: FeedPage) -> PostPageOut:
    return PostPageOut([post_out(p) for p in page.items], encode_cursor(page.next_cursor))


@get(
    "/creators/{creator_id:uuid}/posts",
    summary="A creator's posts",
    description="Newest first, cursor-paginated; tier-only posts are locked previews unless you subscribe.",
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
    "/posts",
    summary="Publish a post",
    description="`visibility: tiers` limits it to subscribers of `tier_ids` (your tiers).",
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
    "/posts/{post_id:uuid}",
    summary="A post",
    description="Locked (no body, no media) unless public, yours, or you subscribe to one of its tiers.",
)
async def get_post(
    post_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> PostOut:
    return post_out(await creators.get_post(request.user, post_id))


@patch(
    "/posts/{post_id:uuid}",
    summary="Edit my post",
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
    "/posts/{post_id:uuid}/remove-tiers",
    summary="Remove tiers from my post",
    status_code=HTTP_200_OK,
)
async def remove_tiers(
    post_id: FromPath[uuid.UUID],
    data: JSONBody[TiersIn],
    request: Request[Principal, Any, Any],
    creators: NamedDependency[CreatorService],
) -> PostOut:
    return post_out(await creators.remove_tiers(request.user, post_id, data.tier_ids))


@delete(
    "/posts/{post_id:uuid}",
    summary="Delete my post",
    status_code=HTTP_204_NO_CONTENT,
)
async def delete_post(
    post_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> None:
    await creators.delete_post(request.user, post_id)


@post(
    "/posts/{post_id:uuid}/like",
    summary="Like a post",
    status_code=HTTP_200_OK,
)
async def like(
    post_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> PostOut:
    return post_out(await creators.like(request.user, post_id, True))


@delete(
    "/posts/{post_id:uuid}/like",
    summary="Unlike a post",
    status_code=HTTP_204_NO_CONTENT,
)
async def unlike(
    post_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> None:
    await creators.like(request.user, post_id, False)


@get(
    "/feed",
    summary="My feed",
    description="Posts of creators I follow, newest first; `next_cursor` pages stay stable while new posts arrive.",
)
async def feed(
    request: Request[Principal, Any, Any],
    creators: NamedDependency[CreatorService],
    cursor: Cursor = None,
    limit: Limit = 20,
) -> PostPageOut:
    return page_out(await creators.feed(request.user, before=decode_cursor(cursor), limit=limit))


@get(
    "/search",
    summary="Search creators and posts",
    description="Post bodies are searched only where you may read them.",
)
async def search(
    request: Request[Principal, Any, Any],
    creators_service: NamedDependency[CreatorService],
    q: Annotated[str, QueryParameter(min_length=1, max_length=100)],
) -> SearchOut:
    creators, posts = await creators_service.search(request.user, q)
    return SearchOut([profile_out(c) for c in creators], [post_out(p) for p in posts])


class PostCommentIn(msgspec.Struct, forbid_unknown_fields=True):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]
    parent_id: uuid.UUID | None = None


class PostCommentOut(msgspec.Struct):
    id: uuid.UUID
    post_id: uuid.UUID
    author_id: uuid.UUID
    parent_id: uuid.UUID | None
    body: str
    created_at: datetime | None


class PostCommentListOut(msgspec.Struct):
    items: list[PostCommentOut]


def post_comment_out(c: PostComment) -> PostCommentOut:
    return msgspec.convert(c, PostCommentOut, from_attributes=True)


@post(
    "/posts/{post_id:uuid}/comments",
    summary="Comment on a post",
    description="Replies via `parent_id`. Locked posts cannot be discussed.",
)
async def add_post_comment(
    post_id: FromPath[uuid.UUID],
    data: JSONBody[PostCommentIn],
    request: Request[Principal, Any, Any],
    creators: NamedDependency[CreatorService],
) -> PostCommentOut:
    return post_comment_out(await creators.add_comment(request.user, post_id, data.body, data.parent_id))


@get(
    "/posts/{post_id:uuid}/comments",
    summary="A post's comments",
    description="Oldest first, with `parent_id` for threads.",
)
async def list_post_comments(
    post_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> PostCommentListOut:
    return PostCommentListOut([post_comment_out(c) for c in await creators.comments(request.user, post_id)])


@get(
    "/posts/{post_id:uuid}/media/{media_id:uuid}",
    summary="A post's attachment",
    description="Signed download URL for a file attached to a post you can read (subscribers see tier-only media).",
)
async def post_media(
    post_id: FromPath[uuid.UUID],
    media_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    creators: NamedDependency[CreatorService],
    media_service: NamedDependency[MediaService],
) -> MediaOut:
    # The post decides who may see its files; the file itself stays private to its owner otherwise.
    post = await creators.get_post(request.user, post_id)
    if post.locked:
        raise PostLocked("Subscribe to a tier of this post to see its files.")
    if media_id not in post.media_ids:
        raise MediaNotFound()
    media, url, thumb = await media_service.get_shared_by(post.creator_id, media_id)
    return media_out(media, url, thumb)


def create_router() -> Router:
    return Router(
        path="/api",
        tags=POST_TAGS,
        route_handlers=[
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
            add_post_comment,
            list_post_comments,
            post_media,
        ],
    )
