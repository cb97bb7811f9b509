"""Uploads: issue a presigned target, confirm and validate, thumbnails as a job, signed downloads."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from app.core.clock import Clock
from app.core.errors import FieldError, ValidationFailed
from app.core.filenames import display_filename
from app.core.ids import new_id
from app.domain.kernel import Principal
from app.domain.media.entities import ALLOWED_TYPES, IMAGE_TYPES, MediaObject, MediaStatus, Visibility, sniff
from app.domain.media.errors import MediaNotFound, MediaRejected, UploadMissing
from app.domain.media.ports import (
    ImageProcessor,
    InvalidImage,
    MediaUnitOfWork,
    ObjectNotFound,
    ObjectStorage,
    UploadTarget,
)
from app.domain.outbox import MakeThumbnail

THUMBNAIL_SIDE = 320


@dataclass(frozen=True, slots=True)
class MediaPolicy:
    max_bytes: int = 20 * 1024 * 1024
    upload_expires_in: int = 15 * 60
    download_expires_in: int = 15 * 60


@dataclass(frozen=True, slots=True)
class PendingUpload:
    media: MediaObject
    target: UploadTarget


def upload_key(media_id: uuid.UUID) -> str:
    """Where the client's bytes land; they are served only after `complete` copied them to a fresh key."""
    return f"uploads/{media_id}"


def served_key() -> str:
    # Opaque: names neither the owner nor the file, and a late re-upload cannot reach it.
    return f"media/{new_id().hex}/original"


class MediaService:
    def __init__(
        self,
        *,
        uow: Callable[[], MediaUnitOfWork],
        storage: ObjectStorage,
        images: ImageProcessor,
        clock: Clock,
        policy: MediaPolicy,
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._images = images
        self._clock = clock
        self._policy = policy

    async def start_upload(
        self, principal: Principal, *, filename: str, content_type: str, size: int, visibility: Visibility
    ) -> PendingUpload:
        errors = []
        if content_type not in ALLOWED_TYPES:
            errors.append(FieldError("content_type", f"must be one of {', '.join(sorted(ALLOWED_TYPES))}"))
        if not 0 < size <= self._policy.max_bytes:
            errors.append(FieldError("size", f"must be between 1 and {self._policy.max_bytes} bytes"))
        if errors:
            raise ValidationFailed("This file cannot be uploaded.", errors=errors)
        media_id = new_id()
        now = self._clock.now()
        media = MediaObject(
            id=media_id,
            owner_id=principal.user_id,
            key=upload_key(media_id),
            filename=display_filename(filename),
            content_type=content_type,
            declared_size=size,
            visibility=visibility,
            created_at=now,
            updated_at=now,
        )
        target = await self._storage.upload_target(
            media.key, content_type=content_type, max_bytes=size, expires_in=self._policy.upload_expires_in
        )
        async with self._uow() as uow:
            await uow.media.add(media)
            await uow.commit()
        return PendingUpload(media, target)

    async def _owned(
        self, uow: MediaUnitOfWork, principal: Principal, media_id: uuid.UUID, *, for_update: bool = False
    ) -> MediaObject:
        media = await uow.media.get(media_id, for_update=for_update)
        if media is None or media.owner_id != principal.user_id:
            raise MediaNotFound()
        return media

    async def complete(self, principal: Principal, media_id: uuid.UUID) -> MediaObject:
        """Check what was really uploaded; reject (and delete) anything that is not what was declared."""
        async with self._uow() as uow:
            media = await self._owned(uow, principal, media_id, for_update=True)
            if media.status is MediaStatus.READY:
                return media
            if media.status is MediaStatus.REJECTED:
                raise MediaRejected(f"This upload was rejected: {media.rejection_reason}")
            reason, data = await self._validate(media)
            media.updated_at = self._clock.now()
            if reason is not None:
                media.status = MediaStatus.REJECTED
                media.rejection_reason = reason
                await uow.media.update(media)
                await uow.commit()
                await self._storage.delete(media.key)
                raise MediaRejected(f"The uploaded file was rejected: {reason}")
            # Serve a copy of exactly the bytes we validated: the upload URL may still be
            # valid, and whatever is sent to it later must never replace them.
            uploaded_key, media.key = media.key, served_key()
            await self._storage.put(media.key, data, content_type=media.content_type)
            media.status = MediaStatus.READY
            await uow.media.update(media)
            if media.content_type in IMAGE_TYPES:
                uow.outbox.add(MakeThumbnail(media.id))
            await uow.commit()
        await self._storage.delete(uploaded_key)
        return media

    async def accepts_upload(self, key: str) -> bool:
        """Signed upload URLs work only while their media still waits for its bytes."""
        prefix, _, raw_id = key.partition("/")
        try:
            media_id = uuid.UUID(raw_id)
        except ValueError:
            return False
        async with self._uow() as uow:
            media = await uow.media.get(media_id)
        return prefix == "uploads" and media is not None and media.status is MediaStatus.PENDING and media.key == key

    async def _validate(self, media: MediaObject) -> tuple[str | None, bytes]:
        try:
            info = await self._storage.head(media.key)
        except ObjectNotFound:
            raise UploadMissing("Nothing was uploaded yet.") from None
        if info.size > media.declared_size or info.size > self._policy.max_bytes:
            return f"it is {info.size} bytes, more than the {media.declared_size} declared", b""
        data = await self._storage.get(media.key)
        kind = sniff(data[:64])
        if kind != ALLOWED_TYPES[media.content_type]:
            return f"its content is not {media.content_type}", data
        media.size = len(data)
        if media.content_type in IMAGE_TYPES:
            try:
                image = await self._images.inspect(data)
            except InvalidImage as exc:
                return f"the image cannot be decoded safely ({exc})", data
            media.width, media.height = image.width, image.height
        return None, data

    async def get(self, principal: Principal | None, media_id: uuid.UUID) -> tuple[MediaObject, str | None, str | None]:
        """The object, a signed download URL and a signed thumbnail URL (owner, or anyone if public)."""
        async with self._uow() as uow:
            media = await uow.media.get(media_id)
        visible = media is not None and (
            media.visibility is Visibility.PUBLIC or (principal is not None and media.owner_id == principal.user_id)
        )
        if media is None or not visible:
            raise MediaNotFound()
        return await self._with_urls(media)

    async def get_shared_by(
        self, owner_id: uuid.UUID, media_id: uuid.UUID
    ) -> tuple[MediaObject, str | None, str | None]:
        """For a caller that already decided the viewer may see `owner_id`'s file (e.g. a post it can read)."""
        async with self._uow() as uow:
            media = await uow.media.get(media_id)
        if media is None or media.owner_id != owner_id:
            raise MediaNotFound()
        return await self._with_urls(media)

    async def _with_urls(self, media: MediaObject) -> tuple[MediaObject, str | None, str | None]:
        if media.status is not MediaStatus.READY:
            return media, None, None
        expires = self._policy.download_expires_in
        url = await self._storage.download_url(media.key, expires_in=expires, filename=media.filename)
        thumb = (
            await self._storage.download_url(media.thumbnail_key, expires_in=expires) if media.thumbnail_key else None
        )
        return media, url, thumb

    async def delete(self, principal: Principal, media_id: uuid.UUID) -> None:
        async with self._uow() as uow:
            media = await self._owned(uow, principal, media_id)
            await uow.media.delete(media_id)
            await uow.commit()
        await self._storage.delete(media.key)
        if media.thumbnail_key:
            await self._storage.delete(media.thumbnail_key)

    async def make_thumbnail(self, media_id: uuid.UUID) -> bool:
        """Job: idempotent (same key every time)."""
        async with self._uow() as uow:
            media = await uow.media.get(media_id)
        if media is None or media.status is not MediaStatus.READY or media.content_type not in IMAGE_TYPES:
            return False
        thumb = await self._images.thumbnail(await self._storage.get(media.key), max_side=THUMBNAIL_SIDE)
        key = f"{media.key.rsplit('/', 1)[0]}/thumb-{THUMBNAIL_SIDE}.png"
        await self._storage.put(key, thumb, content_type="image/png")
        async with self._uow() as uow:
            current = await uow.media.get(media_id, for_update=True)
            if current is None:
                await self._storage.delete(key)
                return False
            current.thumbnail_key = key
            current.updated_at = self._clock.now()
            await uow.media.update(current)
            await uow.commit()
        return True
