from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from app.domain.accounts.ports import PrincipalDirectory
from app.domain.campaigns.ports import CampaignRepository
from app.domain.canvas.entities import CanvasDocument, CanvasEdit, NamedVersion
from app.domain.kernel import Page, UnitOfWork


class CanvasRepository(Protocol):
    async def get_document(self, campaign_id: uuid.UUID, *, for_update: bool = False) -> CanvasDocument | None: ...

    async def locked_version(self, campaign_id: uuid.UUID) -> int | None:
        """Lock the document's row for this transaction and return its version (None: no document yet)."""

    async def ensure_document(self, campaign_id: uuid.UUID) -> None:
        """Create the empty document if missing (idempotent, race-safe)."""

    async def save_document(self, document: CanvasDocument) -> None: ...

    async def add_edits(self, edits: list[CanvasEdit]) -> None:
        """Insert edit records (one statement for the batch)."""

    async def edits_after(self, campaign_id: uuid.UUID, version: int, *, limit: int) -> list[CanvasEdit]:
        """Oldest first."""

    async def edits_up_to(self, campaign_id: uuid.UUID, version: int) -> list[CanvasEdit]: ...

    async def history(self, campaign_id: uuid.UUID, *, page: int, page_size: int) -> Page[CanvasEdit]:
        """Newest first."""

    async def name_version(self, named: NamedVersion) -> None:
        """Name a version, or rename it (one name per version)."""

    async def named_versions(self, campaign_id: uuid.UUID) -> list[NamedVersion]:
        """Newest version first."""

    async def unname_version(self, campaign_id: uuid.UUID, version: int) -> bool: ...


class GenerationTimes(Protocol):
    async def requested_at(self, campaign_id: uuid.UUID) -> dict[str, datetime]:
        """When each of the campaign's generations was requested, by the first 12 hex digits of its id."""


class CanvasUnitOfWork(UnitOfWork, Protocol):
    campaigns: CampaignRepository
    canvas: CanvasRepository
    principals: PrincipalDirectory
    generation_times: GenerationTimes


CanvasUnitOfWorkFactory = Callable[[], CanvasUnitOfWork]


class EventPublisher(Protocol):
    """Fans a message out to every process subscribed to `channel` (best effort, after commit)."""

    async def publish(self, channel: str, message: dict[str, Any]) -> None: ...


def room_channel(campaign_id: uuid.UUID) -> str:
    return f"canvas:{campaign_id}"


class CanvasRenderer(Protocol):
    def image_keys(self, state: dict[str, Any]) -> set[str]:
        """Object keys of every image the document shows."""

    async def render(
        self, state: dict[str, Any], images: dict[str, bytes], *, scale: float = 1.0, watermark: str | None = None
    ) -> bytes:
        """PNG bytes of the document; missing images render as placeholders."""
