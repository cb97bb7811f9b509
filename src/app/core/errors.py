"""The one error vocabulary shared by every layer.

Domain services raise `AppError` subclasses; the HTTP edge renders them as
RFC 9457 problem details using `code` as the stable machine-readable type.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class AppError(Exception):
    status: int = 400
    code: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.errors = errors or []
        self.headers = headers or {}


class ValidationFailed(AppError):
    status = 422
    code = "validation-error"
    title = "Validation failed"


class NotAuthenticated(AppError):
    status = 401
    code = "not-authenticated"
    title = "Authentication required"


class PermissionDenied(AppError):
    status = 403
    code = "permission-denied"
    title = "Permission denied"


class NotFound(AppError):
    status = 404
    code = "not-found"
    title = "Not found"


class Conflict(AppError):
    status = 409
    code = "conflict"
    title = "Conflict"


class Gone(AppError):
    status = 410
    code = "gone"
    title = "Gone"


class TooManyRequests(AppError):
    status = 429
    code = "rate-limited"
    title = "Too many requests"


class ServiceUnavailable(AppError):
    status = 503
    code = "service-unavailable"
    title = "Service unavailable"


@dataclass(frozen=True, slots=True)
class Problem:
    """A rendered problem, independent of any web framework."""

    status: int
    code: str
    title: str
    detail: str
    errors: list[FieldError] = field(default_factory=list)


# -- the edge's own vocabulary (retries of money requests), raised by entrypoints/http/idempotency.py -----------
class IdempotencyKeyReused(ValidationFailed):
    code = "idempotency-key-reused"


class IdempotencyKeyInUse(Conflict):
    code = "idempotency-key-in-use"
