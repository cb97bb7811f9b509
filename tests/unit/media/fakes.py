"""In-memory fakes of the media ports: a repository, an object store and an image inspector."""

from __future__ import annotations

import uuid
from typing import Any

from app.domain.media.entities import MediaObject
from app.domain.media.ports import ImageInfo, InvalidImage, ObjectInfo, ObjectNotFound, UploadTarget
from tests.unit.fakes import MemoryUnitOfWork, Table


class _Media(Table):
    async def add(self, media: MediaObject) -> None:
        self.store(media.id, media)

    async def get(self, media_id: uuid.UUID, *, for_update: bool = False) -> MediaObject | None:
        return self.load(media_id)  # type: ignore[no-any-return]

    async def update(self, media: MediaObject) -> None:
        self.store(media.id, media)

    async def delete(self, media_id: uuid.UUID) -> None:
        self.rows.pop(media_id, None)


class MemoryMediaUnitOfWork(MemoryUnitOfWork):
    def _bind(self, tables: dict[str, dict[Any, Any]]) -> None:
        self.media = _Media(tables["media"])


class MemoryStorage:
    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        self.objects[key] = (data, content_type)

    async def get(self, key: str) -> bytes:
        if key not in self.objects:
            raise ObjectNotFound(key)
        return self.objects[key][0]

    async def head(self, key: str) -> ObjectInfo:
        if key not in self.objects:
            raise ObjectNotFound(key)
        data, content_type = self.objects[key]
        return ObjectInfo(size=len(data), content_type=content_type)

    async def delete(self, key: str) -> None:
        self.objects.pop(key, None)

    async def upload_target(self, key: str, *, content_type: str, max_bytes: int, expires_in: int) -> UploadTarget:
        return UploadTarget(method="PUT", url=f"memory://{key}", headers={"Content-Type": content_type})

    async def download_url(self, key: str, *, expires_in: int, filename: str | None = None) -> str:
        return f"memory://{key}"


class TinyImages:
    """Accepts PNG bytes whose 9th byte is not 0xFF (a stand-in for "decodes safely")."""

    async def inspect(self, data: bytes) -> ImageInfo:
        if len(data) > 8 and data[8] == 0xFF:
            raise InvalidImage("bomb")
        return ImageInfo(format="PNG", width=4, height=3)

    async def thumbnail(self, data: bytes, *, max_side: int) -> bytes:
        return b"\x89PNG\r\n\x1a\nthumb"
