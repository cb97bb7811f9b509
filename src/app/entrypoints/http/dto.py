"""Edge pieces every controller shares: PATCH bodies' sent fields, one page of results, one paging dependency."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

import msgspec
from litestar.di import NamedDependency
from litestar.params import QueryParameter

T = TypeVar("T")


def present_fields(patch: msgspec.Struct) -> dict[str, Any]:
    """The fields a PATCH body actually sent (UNSET ones are left out; explicit nulls stay)."""
    return {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}


class Page(msgspec.Struct, Generic[T]):
    """One page of a list. Each list names its own subclass (`class CampaignPageOut(Page[CampaignOut])`),
    so the OpenAPI schema keeps a readable name per list."""

    items: list[T]
    total: int
    page: int
    page_size: int


class Paging(msgspec.Struct, frozen=True):
    page: int
    page_size: int


# What a paged handler declares: `paging: PagingParams` (the app provides the `paging` dependency below).
PagingParams = NamedDependency[Paging]


async def paging(
    page: Annotated[int, QueryParameter(ge=1, le=100_000, description="1-based page number")] = 1,
    page_size: Annotated[int, QueryParameter(ge=1, le=100, description="Items per page (default 20, max 100)")] = 20,
) -> Paging:
    """The `page`/`page_size` query parameters of every paged list (the app provides it as `paging`)."""
    return Paging(page, page_size)
