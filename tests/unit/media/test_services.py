"""Upload rules against in-memory ports: declared types and sizes are checked before and after the bytes
arrive, a rejected file is deleted, a validated file is served from a copy that a late re-upload cannot
replace, private files are the owner's alone, and thumbnails are made once."""

from __future__ import annotations

import pytest

from app.core.errors import ValidationFailed
from app.domain.media.entities import MediaStatus, Visibility
from app.domain.media.errors import MediaNotFound, MediaRejected, UploadMissing
from app.domain.media.services import MediaPolicy, MediaService, upload_key
from app.domain.outbox import MakeThumbnail
from tests.unit.fakes import MemoryDatabase, StepClock, member
from tests.unit.media.fakes import MemoryMediaUnitOfWork, MemoryStorage, TinyImages

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 56
PDF = b"%PDF-1.7\n" + b"\x00" * 40


@pytest.fixture
def db() -> MemoryDatabase:
    return MemoryDatabase("media")


@pytest.fixture
def storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
def media(db: MemoryDatabase, storage: MemoryStorage) -> MediaService:
    return MediaService(
        uow=lambda: MemoryMediaUnitOfWork(db),
        storage=storage,
        images=TinyImages(),
        clock=StepClock(),
        policy=MediaPolicy(max_bytes=1024),
    )


async def test_declarations_are_checked_before_any_bytes(media: MediaService, db: MemoryDatabase) -> None:
    owner = member()
    for content_type, size in (("text/html", 10), ("image/png", 0), ("image/png", 4096)):
        with pytest.raises(ValidationFailed):
            await media.start_upload(
                owner, filename="a", content_type=content_type, size=size, visibility=Visibility.PRIVATE
            )
    assert db.tables["media"] == {}


async def test_what_arrives_must_be_what_was_declared_or_it_is_deleted(
    media: MediaService, storage: MemoryStorage
) -> None:
    owner = member()
    pending = await media.start_upload(
        owner, filename="cv.pdf", content_type="application/pdf", size=len(PDF), visibility=Visibility.PRIVATE
    )
    with pytest.raises(UploadMissing):
        await media.complete(owner, pending.media.id)
    await storage.put(pending.media.key, PNG[: len(PDF)], content_type="application/pdf")  # a PNG calling itself PDF
    with pytest.raises(MediaRejected):
        await media.complete(owner, pending.media.id)
    assert pending.media.key not in storage.objects
    with pytest.raises(MediaRejected):  # and it stays rejected
        await media.complete(owner, pending.media.id)


async def test_a_validated_file_is_served_from_a_copy_and_its_upload_url_closes(
    media: MediaService, storage: MemoryStorage, db: MemoryDatabase
) -> None:
    owner, stranger = member(), member()
    pending = await media.start_upload(
        owner, filename="logo.png", content_type="image/png", size=len(PNG), visibility=Visibility.PRIVATE
    )
    with pytest.raises(MediaNotFound):  # only the owner completes it
        await media.complete(stranger, pending.media.id)
    await storage.put(upload_key(pending.media.id), PNG, content_type="image/png")
    ready = await media.complete(owner, pending.media.id)
    assert (
        ready.status is MediaStatus.READY
        and ready.key != upload_key(ready.id)
        and (ready.width, ready.height) == (4, 3)
    )
    assert not await media.accepts_upload(upload_key(ready.id))  # a late re-upload reaches nothing served
    assert (await media.complete(owner, ready.id)).key == ready.key  # idempotent
    assert [m for m in db.outbox if isinstance(m, MakeThumbnail)] == [MakeThumbnail(ready.id)]
    assert await media.make_thumbnail(ready.id) is True
    _, url, thumb = await media.get(owner, ready.id)
    assert url and thumb
    with pytest.raises(MediaNotFound):  # private: nobody else, signed in or not
        await media.get(stranger, ready.id)
    with pytest.raises(MediaNotFound):
        await media.get(None, ready.id)
    with pytest.raises(MediaNotFound):
        await media.delete(stranger, ready.id)
    await media.delete(owner, ready.id)
    assert storage.objects == {}


async def test_public_files_are_readable_by_anyone(media: MediaService, storage: MemoryStorage) -> None:
    owner = member()
    pending = await media.start_upload(
        owner, filename="ad.png", content_type="image/png", size=len(PNG), visibility=Visibility.PUBLIC
    )
    await storage.put(pending.media.key, PNG, content_type="image/png")
    await media.complete(owner, pending.media.id)
    assert (await media.get(None, pending.media.id))[0].id == pending.media.id
    assert (await media.get(member(), pending.media.id))[1] is not None
