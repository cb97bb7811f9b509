from __future__ import annotations

from app.core.errors import NotFound, PermissionDenied


class CampaignNotFound(NotFound):
    code = "campaign-not-found"

    def __init__(self) -> None:
        # Also used when the campaign exists but is not the caller's: no existence leak.
        super().__init__("Campaign not found.")


class CampaignReadOnly(PermissionDenied):
    """The caller may read but not change (viewers everywhere; readers of others' campaigns)."""

    code = "role-required"

    def __init__(self) -> None:
        super().__init__("Your role can view campaigns but not change them.")


class CommentNotFound(NotFound):
    code = "comment-not-found"

    def __init__(self) -> None:
        super().__init__("Comment not found.")


class NotCommentAuthor(PermissionDenied):
    code = "not-comment-author"

    def __init__(self) -> None:
        super().__init__("Only the author can change this comment.")
