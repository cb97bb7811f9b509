"""Every problem `code` this module answers with: one named error class each."""

from __future__ import annotations

from app.core.errors import NotFound, PermissionDenied, ValidationFailed


class CreatorNotFound(NotFound):
    code = "creator-not-found"


class PostLocked(PermissionDenied):
    code = "post-locked"


class SelfFollow(ValidationFailed):
    code = "self-follow"


class CommissionNotFound(NotFound):
    code = "commission-not-found"


class CommissionNotDeletable(ValidationFailed):
    code = "commission-not-deletable"


class NotACreator(PermissionDenied):
    code = "not-a-creator"


class OfferNotFound(NotFound):
    code = "offer-not-found"


class OwnOffer(ValidationFailed):
    code = "own-offer"


class CommissionTransition(ValidationFailed):
    code = "commission-transition"


class PostNotFound(NotFound):
    code = "post-not-found"

    def __init__(self) -> None:
        super().__init__("Post not found.")
