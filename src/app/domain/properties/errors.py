"""Every problem `code` this module answers with: one named error class each."""

from __future__ import annotations

from app.core.errors import NotFound, ValidationFailed


class PropertyNotFound(NotFound):
    code = "property-not-found"


class NotInGallery(NotFound):
    code = "media-not-in-gallery"

    def __init__(self) -> None:
        super().__init__("This image is not in the property's gallery.")


class GalleryOrderInvalid(ValidationFailed):
    code = "gallery-order-invalid"
