from __future__ import annotations

from app.core.errors import NotFound, PermissionDenied, ValidationFailed


class MediaNotFound(NotFound):
    code = "media-not-found"

    def __init__(self) -> None:
        super().__init__("File not found.")


class MediaRejected(ValidationFailed):
    code = "media-rejected"


class UploadMissing(ValidationFailed):
    code = "upload-missing"


class UploadNotAllowed(PermissionDenied):
    """A signed local upload URL that we did not issue, or one used outside its terms."""

    code = "upload-not-allowed"
    title = "Upload not allowed"


class UploadClosed(UploadNotAllowed):
    code = "upload-closed"


class DownloadNotAllowed(UploadNotAllowed):
    code = "download-not-allowed"
    title = "Download not allowed"
