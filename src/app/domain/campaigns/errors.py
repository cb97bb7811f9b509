from __future__ import annotations

from app.core.errors import Conflict, Gone, NotFound, PermissionDenied, ValidationFailed


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


class NotCampaignOwner(PermissionDenied):
    """Collaborators are managed, and campaigns deleted, by the owner (or staff)."""

    code = "owner-required"

    def __init__(self) -> None:
        super().__init__("Only the campaign's owner can do this.")


class CommentingNotAllowed(PermissionDenied):
    code = "comment-not-allowed"

    def __init__(self) -> None:
        super().__init__("Viewers of this campaign can read it but not comment.")


class CollaboratorNotFound(NotFound):
    code = "collaborator-not-found"

    def __init__(self) -> None:
        super().__init__("This user is not a collaborator on the campaign.")


class AlreadyCollaborator(Conflict):
    code = "already-collaborator"

    def __init__(self) -> None:
        super().__init__("This person already works on the campaign (or owns it).")


class InvitePending(Conflict):
    code = "invite-pending"

    def __init__(self) -> None:
        super().__init__("An invitation to this address is already open; revoke it to send another.")


class TooManyCollaborators(Conflict):
    code = "too-many-collaborators"

    def __init__(self, limit: int) -> None:
        super().__init__(f"A campaign has at most {limit} collaborators and open invitations together.")


class InviteNotFound(NotFound):
    """Also for an invitation addressed to someone else: no existence leak."""

    code = "invite-not-found"

    def __init__(self) -> None:
        super().__init__("Invitation not found.")


class InviteClosed(Gone):
    code = "invite-closed"

    def __init__(self, detail: str = "This invitation has expired, was revoked or was answered already.") -> None:
        super().__init__(detail)


class InviteEmailUnverified(PermissionDenied):
    code = "email-not-verified"

    def __init__(self) -> None:
        super().__init__("Confirm your email address first: invitations are matched to verified addresses.")


class AttachmentNotAllowed(ValidationFailed):
    code = "attachment-not-allowed"


class AttachmentNotFound(NotFound):
    code = "attachment-not-found"

    def __init__(self) -> None:
        super().__init__("No such attachment on this comment.")


class BudgetNotSet(Conflict):
    code = "budget-not-set"

    def __init__(self) -> None:
        super().__init__("This campaign has no budget: set one first (PATCH the campaign's `budget`).")


class SpendNotFound(NotFound):
    code = "spend-not-found"

    def __init__(self) -> None:
        super().__init__("No such spend entry on this campaign.")
