"""Creators' payout bank details (stored encrypted): /api/billing/payout-account."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, delete, get, put
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from app.domain.billing.errors import PayoutAccountNotFound
from app.domain.billing.services import BillingService
from app.domain.kernel import Principal
from app.entrypoints.http.problems import problem_responses


class PayoutIn(msgspec.Struct, forbid_unknown_fields=True):
    account_holder_name: Annotated[str, msgspec.Meta(min_length=1, max_length=150, examples=["Utsav Singla"])]
    bank_name: Annotated[str, msgspec.Meta(min_length=1, max_length=150, examples=["HDFC Bank"])]
    ifsc_code: Annotated[str, msgspec.Meta(min_length=11, max_length=11, examples=["HDFC0001234"])]
    account_number: Annotated[str, msgspec.Meta(min_length=6, max_length=24, examples=["50100123456789"])]


class PayoutOut(msgspec.Struct):
    account_holder_name: str
    bank_name: str
    ifsc_code: str
    account_number_masked: Annotated[str, msgspec.Meta(examples=["XXXXXXXXXX6789"])]
    updated_at: datetime | None


@get(
    "/payout-account",
    summary="My payout bank account (masked)",
    responses=problem_responses(404),
)
async def get_payout(request: Request[Principal, Any, Any], billing: NamedDependency[BillingService]) -> PayoutOut:
    account = await billing.payout_account(request.user)
    if account is None:
        raise PayoutAccountNotFound()
    return PayoutOut(
        account.account_holder_name,
        account.bank_name,
        account.ifsc_code,
        account.masked_account_number,
        account.updated_at,
    )


@put(
    "/payout-account",
    summary="Set my payout bank account",
    description="The account number is stored encrypted and only ever shown masked.",
)
async def put_payout(
    data: JSONBody[PayoutIn], request: Request[Principal, Any, Any], billing: NamedDependency[BillingService]
) -> PayoutOut:
    account = await billing.save_payout_account(
        request.user,
        account_holder_name=data.account_holder_name,
        bank_name=data.bank_name,
        ifsc_code=data.ifsc_code,
        account_number=data.account_number,
    )
    return PayoutOut(
        account.account_holder_name,
        account.bank_name,
        account.ifsc_code,
        account.masked_account_number,
        account.updated_at,
    )


@delete(
    "/payout-account",
    summary="Remove my payout bank account",
    status_code=HTTP_204_NO_CONTENT,
)
async def delete_payout(request: Request[Principal, Any, Any], billing: NamedDependency[BillingService]) -> None:
    await billing.delete_payout_account(request.user)


def create_router() -> Router:
    return Router(path="/api/billing", tags=["billing"], route_handlers=[get_payout, put_payout, delete_payout])
