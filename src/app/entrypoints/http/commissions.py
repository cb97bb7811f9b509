"""Oasis commissions: creator offers, requests, the status workflow, deletable checks (payment is a billing order)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from app.domain.creators.entities import (
    Commission,
    CommissionOffer,
    CommissionStatus,
)
from app.domain.creators.services import CreatorService
from app.domain.kernel import Principal
from app.entrypoints.http.problems import problem_responses

COMMISSION_TAGS = ["commissions"]


class OfferIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200, examples=["Portrait sketch"])]
    price_minor: Annotated[int, msgspec.Meta(ge=100, le=10**9)]
    currency: Annotated[str, msgspec.Meta(pattern=r"^(INR|USD)$")] = "INR"
    description: Annotated[str, msgspec.Meta(max_length=5000)] = ""


class OfferOut(msgspec.Struct):
    id: uuid.UUID
    creator_id: uuid.UUID
    title: str
    description: str
    price_minor: int
    currency: str


class OfferListOut(msgspec.Struct):
    items: list[OfferOut]


class CommissionIn(msgspec.Struct, forbid_unknown_fields=True):
    offer_id: uuid.UUID
    description: Annotated[str, msgspec.Meta(max_length=5000)] = ""
    contact_details: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class CommissionStatusIn(msgspec.Struct, forbid_unknown_fields=True):
    status: CommissionStatus


class CommissionOut(msgspec.Struct):
    id: uuid.UUID
    offer_id: uuid.UUID
    creator_id: uuid.UUID
    buyer_id: uuid.UUID
    description: str
    contact_details: str
    price_minor: int
    currency: str
    status: CommissionStatus
    paid: bool
    deletable: bool
    created_at: datetime | None


class CommissionListOut(msgspec.Struct):
    items: list[CommissionOut]


class DeletableOut(msgspec.Struct):
    deletable: bool


def offer_out(o: CommissionOffer) -> OfferOut:
    return msgspec.convert(o, OfferOut, from_attributes=True)


def commission_out(c: Commission) -> CommissionOut:
    return msgspec.convert(c, CommissionOut, from_attributes=True)


@post(
    "/commissions/offers",
    summary="Offer commissions",
)
async def create_offer(
    data: JSONBody[OfferIn], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> OfferOut:
    return offer_out(
        await creators.create_offer(
            request.user,
            title=data.title,
            description=data.description,
            price_minor=data.price_minor,
            currency=data.currency,
        )
    )


@get(
    "/creators/{creator_id:uuid}/commission-offers",
    summary="A creator's commission offers",
)
async def list_offers(creator_id: FromPath[uuid.UUID], creators: NamedDependency[CreatorService]) -> OfferListOut:
    return OfferListOut([offer_out(o) for o in await creators.offers(creator_id)])


@post(
    "/commissions",
    summary="Request a commission",
    description="Starts as `ordered`; pay it with POST /api/billing/orders (kind commission, reference = its id).",
    responses=problem_responses(404),
)
async def request_commission(
    data: JSONBody[CommissionIn], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> CommissionOut:
    return commission_out(
        await creators.request_commission(
            request.user, offer_id=data.offer_id, description=data.description, contact_details=data.contact_details
        )
    )


@get(
    "/commissions",
    summary="My commissions",
    description="`as_creator=true` for the ones you make.",
)
async def my_commissions(
    request: Request[Principal, Any, Any],
    creators: NamedDependency[CreatorService],
    as_creator: Annotated[bool, QueryParameter()] = False,
) -> CommissionListOut:
    return CommissionListOut(
        [commission_out(c) for c in await creators.my_commissions(request.user, as_creator=as_creator)]
    )


@post(
    "/commissions/{commission_id:uuid}/status",
    summary="Move a commission along",
    description="Creator: ordered → in_progress → delivered, or cancelled before delivery. "
    "Buyer: cancel while ordered.",
    status_code=HTTP_200_OK,
)
async def move_commission(
    commission_id: FromPath[uuid.UUID],
    data: JSONBody[CommissionStatusIn],
    request: Request[Principal, Any, Any],
    creators: NamedDependency[CreatorService],
) -> CommissionOut:
    return commission_out(await creators.move_commission(request.user, commission_id, data.status))


@get(
    "/commissions/{commission_id:uuid}/deletable",
    summary="Can this commission be deleted?",
)
async def commission_deletable(
    commission_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> DeletableOut:
    return DeletableOut((await creators.commission(request.user, commission_id)).deletable)


@delete(
    "/commissions/{commission_id:uuid}",
    summary="Delete my commission request",
    status_code=HTTP_204_NO_CONTENT,
)
async def delete_commission(
    commission_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], creators: NamedDependency[CreatorService]
) -> None:
    await creators.delete_commission(request.user, commission_id)


def create_router() -> Router:
    return Router(
        path="/api",
        tags=COMMISSION_TAGS,
        route_handlers=[
            create_offer,
            list_offers,
            request_commission,
            my_commissions,
            move_commission,
            commission_deletable,
            delete_commission,
        ],
    )
