"""CRE Studio budgets that track spend: /api/campaigns/{id}/budget and /api/campaigns/{id}/spend."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from app.domain.campaigns.budgets import MAX_SPEND_MINOR, BudgetService
from app.domain.campaigns.entities import BudgetPeriod, BudgetSummary, SpendEntry
from app.domain.kernel import Principal
from app.entrypoints.http.dto import Page, PagingParams
from app.entrypoints.http.problems import problem_responses

TAGS = ["campaign budgets"]


class BudgetSummaryOut(msgspec.Struct):
    amount_minor: Annotated[int, msgspec.Meta(description="Per `period`, in minor units")]
    currency: str
    period: BudgetPeriod
    starts_on: date | None
    ends_on: date | None
    monthly_equivalent_minor: Annotated[int, msgspec.Meta(description="The amount per average month")]
    planned_total_minor: Annotated[
        int, msgspec.Meta(description="For the whole flight (amount × periods it spans); one period without dates")
    ]
    spent_minor: int
    remaining_minor: Annotated[int, msgspec.Meta(description="Negative when overspent")]
    percent_spent: float
    entries: int


class SpendIn(msgspec.Struct, forbid_unknown_fields=True):
    amount_minor: Annotated[int, msgspec.Meta(ge=1, le=MAX_SPEND_MINOR, examples=[125000])]
    spent_on: Annotated[date, msgspec.Meta(description="Defaults to today (UTC)")] | None = None
    note: Annotated[str, msgspec.Meta(max_length=500, examples=["LinkedIn sponsored posts, week 2"])] = ""


class SpendOut(msgspec.Struct):
    id: uuid.UUID
    campaign_id: uuid.UUID
    amount_minor: int
    spent_on: date
    note: str
    created_by: uuid.UUID | None
    created_at: datetime | None


class SpendPageOut(Page[SpendOut]):
    pass


def summary_out(summary: BudgetSummary) -> BudgetSummaryOut:
    budget = summary.budget
    return BudgetSummaryOut(
        amount_minor=budget.amount_minor,
        currency=budget.currency,
        period=budget.period,
        starts_on=budget.starts_on,
        ends_on=budget.ends_on,
        monthly_equivalent_minor=budget.monthly_equivalent_minor,
        planned_total_minor=budget.planned_total_minor,
        spent_minor=summary.spent_minor,
        remaining_minor=summary.remaining_minor,
        percent_spent=summary.percent_spent,
        entries=summary.entries,
    )


def spend_out(entry: SpendEntry) -> SpendOut:
    return msgspec.convert(entry, SpendOut, from_attributes=True)


@get(
    "/{campaign_id:uuid}/budget",
    summary="Budget and spend to date",
    description="Readers of the campaign. 409 `budget-not-set` when the campaign has no budget.",
    responses=problem_responses(409),
)
async def budget_summary(
    campaign_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], budgets: NamedDependency[BudgetService]
) -> BudgetSummaryOut:
    return summary_out(await budgets.summary(request.user, campaign_id))


@post(
    "/{campaign_id:uuid}/spend",
    summary="Record spend against the budget",
    description="Editors of the campaign. When spend passes 80 % and then 100 % of the planned total, the owner "
    "and the managers are notified (in-app and email), once per threshold.",
    responses=problem_responses(409),
)
async def record_spend(
    campaign_id: FromPath[uuid.UUID],
    data: JSONBody[SpendIn],
    request: Request[Principal, Any, Any],
    budgets: NamedDependency[BudgetService],
) -> SpendOut:
    entry = await budgets.record(
        request.user, campaign_id, amount_minor=data.amount_minor, spent_on=data.spent_on, note=data.note
    )
    return spend_out(entry)


@get(
    "/{campaign_id:uuid}/spend",
    summary="Spend entries",
    description="Newest `spent_on` first. Readers of the campaign.",
)
async def list_spend(
    campaign_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    budgets: NamedDependency[BudgetService],
    paging: PagingParams,
) -> SpendPageOut:
    result = await budgets.entries(request.user, campaign_id, page=paging.page, page_size=paging.page_size)
    return SpendPageOut([spend_out(e) for e in result.items], result.total, result.page, result.page_size)


@delete(
    "/{campaign_id:uuid}/spend/{entry_id:uuid}",
    summary="Delete a spend entry",
    description="Editors of the campaign. Thresholds already announced are not announced again.",
    status_code=HTTP_204_NO_CONTENT,
)
async def delete_spend(
    campaign_id: FromPath[uuid.UUID],
    entry_id: FromPath[uuid.UUID],
    request: Request[Principal, Any, Any],
    budgets: NamedDependency[BudgetService],
) -> None:
    await budgets.remove(request.user, campaign_id, entry_id)


def campaign_router() -> Router:
    """Mounted under /api/campaigns."""
    return Router(path="/", tags=TAGS, route_handlers=[budget_summary, record_spend, list_spend, delete_spend])
