"""Uploaded files: images, resumes, attachments. Private unless asked otherwise."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime


class MediaStatus(enum.StrEnum):
    PENDING = "pending"  # upload URL issued, bytes not yet confirmed
    READY = "ready"
    REJECTED = "rejected"


class Visibility(enum.StrEnum):
    PRIVATE = "private"
    PUBLIC = "public"


# Declared type -> the magic-number sniffed kind that must match it.
ALLOWED_TYPES: dict[str, str] = {
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/webp": "webp",
    "image/gif": "gif",
    "application/pdf": "pdf",
}
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})


def sniff(data: bytes) -> str | None:
    """The file kind from its first bytes (never trust the client's content type)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data.startswith(b"%PDF-"):
        return "pdf"
    return None


@dataclass(slots=True, kw_only=True)
class MediaObject:
    id: uuid.UUID
    owner_id: uuid.UUID
    key: str
    filename: str
    content_type: str
    declared_size: int
    visibility: Visibility = Visibility.PRIVATE
    status: MediaStatus = MediaStatus.PENDING
    size: int | None = None
    width: int | None = None
    height: int | None = None
    thumbnail_key: str | None = None
    rejection_reason: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)
