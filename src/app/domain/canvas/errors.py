"""Every problem `code` this module answers with: one named error class each."""

from __future__ import annotations

from app.core.errors import AppError, NotFound


class CanvasOpRejected(AppError):
    """An operation that cannot apply to the current document (not persisted)."""

    status = 409
    code = "op-rejected"
    title = "Operation rejected"


class LayerNotFound(CanvasOpRejected):
    code = "layer-not-found"


class GroupTooDeep(CanvasOpRejected):
    code = "group-too-deep"


class GroupTooLarge(CanvasOpRejected):
    code = "group-too-large"


class TooManyLayers(CanvasOpRejected):
    code = "too-many-layers"


class InvalidLayer(CanvasOpRejected):
    code = "invalid-layer"


class DuplicateLayer(CanvasOpRejected):
    code = "duplicate-layer"


class InvalidOp(CanvasOpRejected):
    code = "invalid-op"


class VersionNotFound(NotFound):
    code = "version-not-found"


class TooManyNamedVersions(AppError):
    status = 409
    code = "too-many-named-versions"


class SessionEnded(AppError):
    status = 401
    code = "session-ended"
    title = "Session ended"

    def __init__(self) -> None:
        super().__init__("This session has ended (signed out, password changed or account disabled).")


class RenderTooCostly(AppError):
    status = 422
    code = "export-too-complex"
    title = "Export too complex"
