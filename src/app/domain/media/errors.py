from __future__ import annotations

from app.core.errors import NotFound, ValidationFailed


class MediaNotFound(NotFound):
    code = "media-not-found"

    def __init__(self) -> None:
        super().__init__("File not found.")


class MediaRejected(ValidationFailed):
    code = "media-rejected"


class UploadMissing(ValidationFailed):
    code = "upload-missing"
