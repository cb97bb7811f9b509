"""Campaigns and threaded comments: /api/campaigns*."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from app.domain.campaigns.entities import AiStatus, BudgetPeriod, Campaign, CampaignFilter, CampaignStatus, Comment
from app.domain.campaigns.services import CampaignService, NewCampaign, validate_budget
from app.domain.generation.entities import CopyPart
from app.domain.kernel import Principal
from app.domain.media.services import MediaService
from app.domain.properties.services import PropertyMarketing
from app.entrypoints.http import ad_assets, budgets, canvas, collaborators
from app.entrypoints.http.dto import Page, PagingParams, present_fields
from app.entrypoints.http.generations import GenerationOut, generation_out
from app.entrypoints.http.media import MediaOut, media_out
from app.entrypoints.http.problems import problem_responses

TAGS = ["campaigns"]
COMMENT_TAGS = ["campaign comments"]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, examples=["Spring launch: Riverside Offices"])]
Description = Annotated[str, msgspec.Meta(max_length=10_000, examples=["Lease-up campaign for floors 3-5."])]


class BudgetIn(msgspec.Struct, forbid_unknown_fields=True):
    amount_minor: Annotated[
        int, msgspec.Meta(ge=0, le=10**13, description="Integer minor units (cents, paise)", examples=[250000])
    ]
    currency: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z]{3}$", examples=["USD"])]
    period: BudgetPeriod
    starts_on: Annotated[date, msgspec.Meta(description="First day of the flight (with `ends_on`)")] | None = None
    ends_on: Annotated[date, msgspec.Meta(description="Last day of the flight, inclusive")] | None = None


class BudgetOut(msgspec.Struct, omit_defaults=True):  # a budget without flight dates reads as before
    amount_minor: int
    currency: str
    period: BudgetPeriod
    starts_on: date | None = None
    ends_on: date | None = None


class CampaignIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    description: Description = ""
    property_id: uuid.UUID | None = None
    budget: BudgetIn | None = None
    status: CampaignStatus = CampaignStatus.DRAFT


class CampaignPatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType = msgspec.UNSET
    property_id: uuid.UUID | None | msgspec.UnsetType = msgspec.UNSET
    budget: BudgetIn | None | msgspec.UnsetType = msgspec.UNSET
    status: CampaignStatus | msgspec.UnsetType = msgspec.UNSET


class CampaignOut(msgspec.Struct):
    id: uuid.UUID
    owner_id: uuid.UUID
    name: str
    description: str
    property_id: uuid.UUID | None
    budget: BudgetOut | None
    status: CampaignStatus
    ai_status: AiStatus
    created_at: datetime | None
    updated_at: datetime | None


class CampaignPageOut(Page[CampaignOut]):
    total_exact: Annotated[
        bool,
        msgspec.Meta(
            description="False when more campaigns match than are counted (1,000): `total` is then a lower bound."
        ),
    ] = True


class CommentIn(msgspec.Struct, forbid_unknown_fields=True):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=10_000, examples=["Can we try a darker headline?"])]
    parent_id: uuid.UUID | None = None
    mentions: Annotated[list[uuid.UUID], msgspec.Meta(max_length=20)] = msgspec.field(default_factory=list)
    attachment_ids: Annotated[
        list[uuid.UUID],
        msgspec.Meta(max_length=10, description="Your own private uploads (/api/media, `visibility: private`)."),
    ] = msgspec.field(default_factory=list)


class CommentPatch(msgspec.Struct, forbid_unknown_fields=True):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=10_000)]


class CommentOut(msgspec.Struct):
    id: uuid.UUID
    campaign_id: uuid.UUID
    author_id: uuid.UUID
    parent_id: uuid.UUID | None
    body: str
    mentions: list[uuid.UUID]
    attachment_ids: list[uuid.UUID]
    is_deleted: bool
    edited: bool
    reply_count: int
    created_at: datetime | None
    updated_at: datetime | None


class CommentPageOut(Page[CommentOut]):
    pass


def campaign_out(c: Campaign) -> CampaignOut:
    return msgspec.convert(c, CampaignOut, from_attributes=True)


def comment_out(c: Comment) -> CommentOut:
    return msgspec.convert(c, CommentOut, from_attributes=True)


def _budget(data: BudgetIn | None) -> Any:
    return (
        validate_budget(data.amount_minor, data.currency, data.period, data.starts_on, data.ends_on) if data else None
    )


@post(
    "/",
    summary="Create a campaign",
    description="With a `property_id`, the campaign's AI copy starts at once (`ai_status: pending`; it stays "
    "`idle` when the AI quota or credits do not allow a run: `POST .../process-ai-content` then says why).",
    responses=problem_responses(404),
)
async def create_campaign(
    data: JSONBody[CampaignIn],
    request: Request[Principal, Any, Any],
    campaigns: NamedDependency[CampaignService],
    property_marketing: NamedDependency[PropertyMarketing],
) -> CampaignOut:
    new = NewCampaign(
        name=data.name,
        description=data.description,
        property_id=data.property_id,
        budget=_budget(data.budget),
        status=data.status,
    )
    if new.property_id is None:  # the hot path: no property, no AI run
        return campaign_out(await campaigns.create(request.user, new))
    return campaign_out(await property_marketing.create_campaign(request.user, new))


class ProcessAiIn(msgspec.Struct, forbid_unknown_fields=True):
    only: Annotated[
        CopyPart | None,
        msgspec.Meta(description="Regenerate only the headlines or only the descriptions; the other part is kept."),
    ] = None


@post(
    "/{campaign_id:uuid}/process-ai-content",
    summary="(Re)run the campaign's AI copy",
    description="Headlines and descriptions for responsive search ads, from the campaign's property (or its own "
    "description). 409 `ai-run-in-progress` while a run is pending or running. Editors; counts against the AI "
    "quota and credits like any generation.",
    status_code=HTTP_202_ACCEPTED,
    responses=problem_responses(402, 409, 429),
)
async def process_ai_content(
    campaign_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    property_marketing: NamedDependency[PropertyMarketing],
    data: JSONBody[ProcessAiIn | None] = None,
) -> GenerationOut:
    generation = await property_marketing.process_ai_content(
        request.user, campaign_id, only=data.only if data else None
    )
    return generation_out(generation)


@get(
    "/",
    summary="List campaigns",
    description="Newest first. Members see their own campaigns; viewers, managers and admins see all "
    "(filter with `owner_id`). `q` searches name and description.",
)
async def list_campaigns(
    request: Request[Principal, Any, Any],
    campaigns: NamedDependency[CampaignService],
    paging: PagingParams,
    q: Annotated[str | None, QueryParameter(max_length=200, description="Search text")] = None,
    status: FromQuery[CampaignStatus | None] = None,
    ai_status: FromQuery[AiStatus | None] = None,
    property_id: FromQuery[uuid.UUID | None] = None,
    owner_id: FromQuery[uuid.UUID | None] = None,
) -> CampaignPageOut:
    result = await campaigns.list(
        request.user,
        CampaignFilter(query=q, status=status, ai_status=ai_status, property_id=property_id, owner_id=owner_id),
        page=paging.page,
        page_size=paging.page_size,
    )
    return CampaignPageOut(
        items=[campaign_out(c) for c in result.items],
        total=result.total,
        page=paging.page,
        page_size=paging.page_size,
        total_exact=result.total_exact,
    )


@get(
    "/{campaign_id:uuid}",
    summary="Get a campaign",
)
async def get_campaign(
    campaign_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], campaigns: NamedDependency[CampaignService]
) -> CampaignOut:
    return campaign_out(await campaigns.get(request.user, campaign_id))


@patch(
    "/{campaign_id:uuid}",
    summary="Update a campaign",
    description="Only the fields sent change; `budget: null` removes the budget. Owner, managers and admins.",
)
async def patch_campaign(
    campaign_id: FromPath[uuid.UUID],
    data: JSONBody[CampaignPatch],
    request: Request[Principal, Any, Any],
    campaigns: NamedDependency[CampaignService],
) -> CampaignOut:
    changes = present_fields(data)
    if "budget" in changes:
        changes["budget"] = _budget(changes["budget"])
    return campaign_out(await campaigns.update(request.user, campaign_id, changes))


@delete(
    "/{campaign_id:uuid}",
    summary="Delete a campaign",
    description="Deletes the campaign with its comments and canvas history.",
)
async def delete_campaign(
    campaign_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], campaigns: NamedDependency[CampaignService]
) -> None:
    await campaigns.delete(request.user, campaign_id)


@post(
    "/{campaign_id:uuid}/comments",
    summary="Comment on a campaign",
    description="Anyone who can see the campaign may comment; give `parent_id` to reply.",
)
async def add_comment(
    campaign_id: FromPath[uuid.UUID],
    data: JSONBody[CommentIn],
    request: Request[Principal, Any, Any],
    campaigns: NamedDependency[CampaignService],
) -> CommentOut:
    comment = await campaigns.add_comment(
        request.user,
        campaign_id,
        data.body,
        parent_id=data.parent_id,
        mentions=data.mentions,
        attachment_ids=data.attachment_ids,
    )
    return comment_out(comment)


@get(
    "/{campaign_id:uuid}/comments",
    summary="List comments",
    description="Oldest first. Without `parent_id`: thread roots (each with `reply_count`); "
    "with it: that comment's replies.",
)
async def list_comments(
    campaign_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    campaigns: NamedDependency[CampaignService],
    paging: PagingParams,
    parent_id: FromQuery[uuid.UUID | None] = None,
) -> CommentPageOut:
    result = await campaigns.list_comments(
        request.user, campaign_id, parent_id=parent_id, page=paging.page, page_size=paging.page_size
    )
    return CommentPageOut(
        items=[comment_out(c) for c in result.items], total=result.total, page=paging.page, page_size=paging.page_size
    )


@patch(
    "/{campaign_id:uuid}/comments/{comment_id:uuid}",
    summary="Edit my comment",
)
async def edit_comment(
    campaign_id: FromPath[uuid.UUID],
    comment_id: FromPath[uuid.UUID],
    data: JSONBody[CommentPatch],
    request: Request[Principal, Any, Any],
    campaigns: NamedDependency[CampaignService],
) -> CommentOut:
    return comment_out(await campaigns.edit_comment(request.user, campaign_id, comment_id, data.body))


@delete(
    "/{campaign_id:uuid}/comments/{comment_id:uuid}",
    summary="Delete my comment",
    description="The text is removed; replies stay in the thread. Authors, managers and admins.",
    status_code=HTTP_204_NO_CONTENT,
)
async def delete_comment(
    campaign_id: FromPath[uuid.UUID],
    comment_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    campaigns: NamedDependency[CampaignService],
) -> None:
    await campaigns.delete_comment(request.user, campaign_id, comment_id)


@get(
    "/{campaign_id:uuid}/comments/{comment_id:uuid}/attachments/{media_id:uuid}",
    summary="A comment's attachment (signed URL)",
    description="Readers of the campaign get a short-lived signed download; nobody else learns it exists.",
)
async def comment_attachment(
    campaign_id: FromPath[uuid.UUID],
    comment_id: FromPath[uuid.UUID],
    media_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    campaigns: NamedDependency[CampaignService],
    media_service: NamedDependency[MediaService],
) -> MediaOut:
    comment = await campaigns.attachment(request.user, campaign_id, comment_id, media_id)
    media, url, thumb = await media_service.get_shared_by(comment.author_id, media_id)
    return media_out(media, url, thumb)


def create_router() -> Router:
    campaigns = Router(
        path="/",
        tags=TAGS,
        route_handlers=[
            create_campaign,
            list_campaigns,
            get_campaign,
            patch_campaign,
            delete_campaign,
            process_ai_content,
        ],
    )
    comments = Router(
        path="/",
        tags=COMMENT_TAGS,
        route_handlers=[add_comment, list_comments, edit_comment, delete_comment, comment_attachment],
    )
    return Router(
        path="/api/campaigns",
        route_handlers=[
            campaigns,
            comments,
            collaborators.campaign_router(),
            budgets.campaign_router(),
            ad_assets.campaign_router(),
            canvas.create_router(),
        ],
    )
