"""Object storage and image inspection ports. S3 and local filesystem adapters implement storage."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from app.domain.kernel import UnitOfWork
from app.domain.media.entities import MediaObject


class ObjectNotFound(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    size: int
    content_type: str


@dataclass(frozen=True, slots=True)
class UploadTarget:
    """Where and how the client uploads the bytes itself (never through our API process)."""

    method: str  # "POST" (form fields + file) or "PUT" (raw body)
    url: str
    fields: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    expires_at: datetime | None = None


class ObjectStorage(Protocol):
    async def put(self, key: str, data: bytes, *, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes:
        """Raises ObjectNotFound."""

    async def head(self, key: str) -> ObjectInfo:
        """Raises ObjectNotFound."""

    async def delete(self, key: str) -> None: ...

    async def upload_target(self, key: str, *, content_type: str, max_bytes: int, expires_in: int) -> UploadTarget:
        """A presigned upload that only accepts this content type and at most `max_bytes`."""

    async def download_url(self, key: str, *, expires_in: int, filename: str | None = None) -> str:
        """A presigned, expiring URL to read the object."""


@dataclass(frozen=True, slots=True)
class ImageInfo:
    format: str  # "PNG", "JPEG", "WEBP", "GIF"
    width: int
    height: int


class InvalidImage(ValueError):
    pass


class ImageProcessor(Protocol):
    async def inspect(self, data: bytes) -> ImageInfo:
        """Open safely (pixel limits, full decode); raises InvalidImage."""

    async def thumbnail(self, data: bytes, *, max_side: int) -> bytes:
        """A PNG no larger than max_side on either side."""


class MediaRepository(Protocol):
    async def add(self, media: MediaObject) -> None: ...

    async def get(self, media_id: uuid.UUID, *, for_update: bool = False) -> MediaObject | None: ...

    async def update(self, media: MediaObject) -> None: ...

    async def delete(self, media_id: uuid.UUID) -> None: ...


class MediaUnitOfWork(UnitOfWork, Protocol):
    media: MediaRepository


class UploadedFiles(Protocol):
    """What another module may know about uploads (for attaching them): who owns a file, and whether it is public."""

    async def owner_of(self, media_id: uuid.UUID) -> tuple[uuid.UUID, bool] | None:
        """(owner, is_public) of a ready upload, or None."""
