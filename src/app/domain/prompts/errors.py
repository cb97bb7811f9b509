"""Every problem `code` this module answers with: one named error class each."""

from __future__ import annotations

from app.core.errors import NotFound, PermissionDenied, ValidationFailed


class TemplateVariables(ValidationFailed):
    code = "template-variables"


class NotTemplateOwner(PermissionDenied):
    code = "not-template-owner"


class RunNotFound(NotFound):
    code = "run-not-found"


class VersionNotFound(NotFound):
    code = "version-not-found"


class TemplateNotFound(NotFound):
    code = "template-not-found"

    def __init__(self) -> None:
        super().__init__("Prompt template not found.")


class SelfRating(PermissionDenied):
    code = "self-rating"

    def __init__(self) -> None:
        super().__init__("Authors do not rate their own templates.")
