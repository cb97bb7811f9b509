"""One translation of database failures into the app's error vocabulary.

Client data that Postgres refuses (unique, foreign key, check, not-null,
truncation, out-of-range) becomes a 409/422 with a stable `code`; an unreachable,
hung or overloaded database becomes 503 `database-unavailable` with Retry-After.
Every unit of work applies it when its block raises, and the HTTP edge applies
it to anything that reached the database outside one, so no route answers 500
for these.
"""

from __future__ import annotations

import asyncio

import asyncpg
from sqlalchemy import exc as sa_exc

from app.core.errors import AppError, Conflict, ServiceUnavailable, ValidationFailed

RETRY_AFTER_SECONDS = 2


class DatabaseUnavailable(ServiceUnavailable):
    code = "database-unavailable"
    title = "Database unavailable"

    def __init__(self, detail: str = "The database is not answering; try again shortly.") -> None:
        super().__init__(detail, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


# SQLSTATE -> (error class, code, detail). Classes 22 (data) and 23 (integrity) are the client's data.
_BY_SQLSTATE: dict[str, tuple[type[AppError], str, str]] = {
    "23505": (Conflict, "already-exists", "Something with these values exists already."),
    "23503": (ValidationFailed, "unknown-reference", "A referenced item does not exist."),
    "23514": (ValidationFailed, "constraint-violated", "A value breaks a rule of the data."),
    "23502": (ValidationFailed, "value-required", "A required value is missing."),
    "23P01": (Conflict, "conflict", "This overlaps with existing data."),
    "22001": (ValidationFailed, "value-too-long", "A value is longer than allowed."),
    "22003": (ValidationFailed, "number-out-of-range", "A number is out of range."),
    "22021": (ValidationFailed, "invalid-text", "Text contains characters that cannot be stored."),
    "22P05": (ValidationFailed, "invalid-text", "Text contains characters that cannot be stored."),
    "40001": (Conflict, "concurrent-update", "Another change happened at the same time; try again."),
    "40P01": (Conflict, "concurrent-update", "Another change happened at the same time; try again."),
}
_UNAVAILABLE_SQLSTATES = {"57014", "57P01", "57P02", "57P03", "53300", "08000", "08003", "08006", "08001", "08004"}

_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    asyncio.TimeoutError,
    TimeoutError,
    sa_exc.TimeoutError,  # pool checkout timed out
    sa_exc.DisconnectionError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
)


def _sqlstate(error: BaseException) -> str | None:
    for candidate in (error, getattr(error, "orig", None), getattr(getattr(error, "orig", None), "__cause__", None)):
        state = getattr(candidate, "sqlstate", None)
        if isinstance(state, str):
            return state
    return None


def _referenced_elsewhere(error: BaseException) -> bool:
    """A foreign-key violation by a delete/update of the referenced row (not by inserting a dangling reference)."""
    orig = getattr(error, "orig", error)
    cause = getattr(orig, "__cause__", None) or orig
    text = f"{getattr(cause, 'message', '')} {getattr(cause, 'detail', '')} {orig}"
    return "still referenced" in text or "update or delete on table" in text


def translate(error: BaseException) -> AppError | None:
    """The AppError a database failure means for the client, or None if it is not one (a bug: stays 500)."""
    if isinstance(error, AppError):
        return None
    state = _sqlstate(error)
    if state in _UNAVAILABLE_SQLSTATES:
        return DatabaseUnavailable()
    if state == "23503" and _referenced_elsewhere(error):
        return Conflict("Other items still refer to this one.", code="still-referenced")
    if state in _BY_SQLSTATE:
        cls, code, detail = _BY_SQLSTATE[state]
        return cls(detail, code=code)
    if state is not None and state.startswith("22"):
        return ValidationFailed("A value is not valid for storage.", code="invalid-value")
    cause = getattr(error, "orig", None)
    inner = getattr(cause, "__cause__", None) or cause or error
    if isinstance(inner, asyncpg.exceptions.DataError) or isinstance(error, asyncpg.exceptions.DataError):
        # Raised by asyncpg before sending, e.g. an integer beyond int64/int32 for its column.
        return ValidationFailed("A value does not fit its field.", code="invalid-value")
    if isinstance(error, sa_exc.DBAPIError) and (error.connection_invalidated or isinstance(inner, _CONNECTION_ERRORS)):
        return DatabaseUnavailable()
    if isinstance(error, _CONNECTION_ERRORS) or isinstance(inner, _CONNECTION_ERRORS):
        return DatabaseUnavailable()
    return None
