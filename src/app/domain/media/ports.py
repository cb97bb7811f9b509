"""Object storage port (files, images). S3 and local filesystem adapters implement it."""

from __future__ import annotations

from typing import Protocol


class ObjectNotFound(LookupError):
    pass


class ObjectStorage(Protocol):
    async def put(self, key: str, data: bytes, *, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes:
        """Raises ObjectNotFound."""

    async def delete(self, key: str) -> None: ...
