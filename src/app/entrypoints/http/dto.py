"""Helpers shared by the HTTP DTOs."""

from __future__ import annotations

from typing import Any

import msgspec


def present_fields(patch: msgspec.Struct) -> dict[str, Any]:
    """The fields a PATCH body actually sent (UNSET ones are left out; explicit nulls stay)."""
    return {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
