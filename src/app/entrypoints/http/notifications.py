"""In-app notifications: /api/notifications."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from app.domain.kernel import Principal
from app.domain.notifications.entities import Notification, NotificationKind
from app.domain.notifications.services import NotificationService
from app.entrypoints.http.dto import Page, PagingParams
from app.entrypoints.http.problems import problem_responses

TAGS = ["notifications"]


class NotificationOut(msgspec.Struct):
    id: uuid.UUID
    kind: NotificationKind
    actor_id: uuid.UUID | None
    target_id: uuid.UUID | None
    data: dict[str, Any]
    read: bool
    created_at: datetime | None


class NotificationPageOut(Page[NotificationOut]):
    unread_count: int


class ReadIn(msgspec.Struct, forbid_unknown_fields=True):
    ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=200, description="Omit to mark everything read")] | None = (
        None
    )


class ReadOut(msgspec.Struct):
    updated: int
    unread_count: int


def notification_out(n: Notification) -> NotificationOut:
    return NotificationOut(n.id, n.kind, n.actor_id, n.target_id, n.data, n.read_at is not None, n.created_at)


@get(
    "/",
    summary="My notifications",
    description="Newest first, with the unread count.",
)
async def list_notifications(
    request: Request[Principal, Any, Any],
    notifications: NamedDependency[NotificationService],
    paging: PagingParams,
    unread_only: Annotated[bool, QueryParameter()] = False,
) -> NotificationPageOut:
    result, unread = await notifications.list(
        request.user, unread_only=unread_only, page=paging.page, page_size=paging.page_size
    )
    items = [notification_out(n) for n in result.items]
    return NotificationPageOut(items, result.total, result.page, result.page_size, unread_count=unread)


@post(
    "/read",
    summary="Mark notifications read",
    status_code=HTTP_200_OK,
    responses=problem_responses(404),
)
async def mark_read(
    data: JSONBody[ReadIn], request: Request[Principal, Any, Any], notifications: NamedDependency[NotificationService]
) -> ReadOut:
    updated = await notifications.mark_read(request.user, data.ids)
    _, unread = await notifications.list(request.user, unread_only=True, page=1, page_size=1)
    return ReadOut(updated, unread)


def create_router() -> Router:
    return Router(path="/api/notifications", tags=TAGS, route_handlers=[list_notifications, mark_read])
