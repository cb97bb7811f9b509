"""Local filesystem object storage: the embedded default when no S3 is configured.

Presigned URLs are imitated with encrypted, authenticated, expiring tokens (Fernet)
that the app's own `/api/media/local/{token}` endpoint honours (PUT to upload, GET
to download). Tokens are opaque: they do not reveal the object key they grant.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import mimetypes
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from app.domain.media.ports import ObjectInfo, ObjectNotFound, UploadTarget


class InvalidSignedToken(ValueError):
    pass


class LocalObjectStorage:
    def __init__(self, root: str | Path, *, signing_key: str = "", public_base_url: str = "") -> None:
        self._root = Path(root).resolve()
        key = hashlib.sha256(b"atelier-local-media:" + signing_key.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(key))
        self._base = public_base_url.rstrip("/")

    def _path(self, key: str) -> Path:
        path = (self._root / key).resolve()
        # Keys are untrusted: never let "../" escape the storage root.
        if self._root not in path.parents:
            raise ObjectNotFound(key)
        return path

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        path = self._path(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
            path.with_name(f".{path.name}.type").write_text(content_type)

        await asyncio.to_thread(write)

    async def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, IsADirectoryError) as exc:
            raise ObjectNotFound(key) from exc

    async def head(self, key: str) -> ObjectInfo:
        path = self._path(key)
        try:
            size = (await asyncio.to_thread(path.stat)).st_size
        except FileNotFoundError as exc:
            raise ObjectNotFound(key) from exc
        return ObjectInfo(size=size, content_type=self._content_type(path))

    def _content_type(self, path: Path) -> str:
        marker = path.with_name(f".{path.name}.type")
        if marker.exists():
            return marker.read_text()
        return mimetypes.guess_type(path.name)[0] or "application/octet-stream"

    async def delete(self, key: str) -> None:
        path = self._path(key)
        await asyncio.to_thread(path.unlink, True)
        await asyncio.to_thread(path.with_name(f".{path.name}.type").unlink, True)

    # -- signed URLs ------------------------------------------------------------
    def sign(self, claims: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(claims, separators=(",", ":")).encode()).decode().rstrip("=")

    def verify(self, token: str, *, operation: str) -> dict[str, Any]:
        """Claims of a token we issued for `operation`; InvalidSignedToken for anything else (any text)."""
        if not token.isascii():
            raise InvalidSignedToken("malformed")
        try:
            claims = json.loads(self._fernet.decrypt(token + "=" * (-len(token) % 4)))
        except (InvalidToken, ValueError, TypeError) as exc:
            raise InvalidSignedToken("bad signature") from exc
        if not isinstance(claims, dict) or claims.get("op") != operation:
            raise InvalidSignedToken("wrong operation")
        if claims.get("exp", 0) < time.time():
            raise InvalidSignedToken("expired")
        return claims

    async def upload_target(self, key: str, *, content_type: str, max_bytes: int, expires_in: int) -> UploadTarget:
        expires = int(time.time()) + expires_in
        token = self.sign({"op": "put", "key": key, "ct": content_type, "max": max_bytes, "exp": expires})
        return UploadTarget(
            method="PUT",
            url=f"{self._base}/api/media/local/{token}",
            headers={"Content-Type": content_type},
            expires_at=datetime.fromtimestamp(expires, UTC),
        )

    async def download_url(self, key: str, *, expires_in: int, filename: str | None = None) -> str:
        token = self.sign({"op": "get", "key": key, "fn": filename, "exp": int(time.time()) + expires_in})
        return f"{self._base}/api/media/local/{token}"
