"""RFC 9457 problem details for every error the API returns.

Body: {type, title, status, detail, code, instance, errors?[{field, message}]},
media type application/problem+json. `code` is stable; clients switch on it.
"""

from __future__ import annotations

from typing import Any

import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, InternalServerException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from redis.exceptions import RedisError

from app.adapters.postgres.errors import translate as translate_db_error
from app.core.errors import AppError, FieldError

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://atelier.dev/problems/"
log = structlog.get_logger("http")

_HTTP_CODES = {
    400: ("bad-request", "Bad request"),
    401: ("not-authenticated", "Authentication required"),
    403: ("permission-denied", "Permission denied"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Conflict"),
    413: ("payload-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("validation-error", "Validation failed"),
    429: ("rate-limited", "Too many requests"),
    503: ("service-unavailable", "Service unavailable"),
}


class ProblemFieldError(msgspec.Struct):
    field: str = msgspec.field(name="field")
    message: str


class ProblemDetails(msgspec.Struct, omit_defaults=True):
    """Schema of every error body (documented in OpenAPI)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str = ""
    errors: list[ProblemFieldError] = msgspec.field(default_factory=list)


def problem_response(
    request: Request[Any, Any, Any],
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> Response[Any]:
    """`extensions` are RFC 9457 extension members, added beside the standard ones."""
    body = ProblemDetails(
        type=PROBLEM_TYPE_BASE + code,
        title=title,
        status=status,
        detail=detail,
        code=code,
        instance=request.url.path,
        errors=[ProblemFieldError(field=e.field, message=e.message) for e in errors or []],
    )
    headers = dict(headers or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="atelier"')
    content: Any = {**msgspec.structs.asdict(body), **extensions} if extensions else body
    return Response(content=content, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def handle_app_error(request: Request[Any, Any, Any], exc: AppError) -> Response[ProblemDetails]:
    return problem_response(
        request,
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        headers=exc.headers,
    )


def _validation_errors(extra: Any) -> list[FieldError]:
    errors: list[FieldError] = []
    for item in extra if isinstance(extra, list) else []:
        if isinstance(item, dict):
            key = str(item.get("key") or item.get("source") or "body")
            message = str(item.get("message", "is invalid"))
            # msgspec says "Expected `str`, got `int` - at `$.username`": keep the field in `field`.
            errors.append(FieldError(key.removeprefix("$."), message.split(" - at ")[0]))
    return errors


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[ProblemDetails]:
    status = exc.status_code
    code, title = _HTTP_CODES.get(status, ("http-error", "Error"))
    if isinstance(exc, ValidationException):
        # Litestar reports body/query/path validation as 400; we answer 422 with field errors.
        status, code, title = 422, "validation-error", "Validation failed"
        errors = _validation_errors(exc.extra)
        detail = (
            "The request is not valid: " + "; ".join(f"{e.field}: {e.message}" for e in errors)
            if errors
            else exc.detail
        )
        return problem_response(request, status=status, code=code, title=title, detail=detail, errors=errors)
    if isinstance(exc, InternalServerException) and "disconnect" in str(exc.detail).lower():
        # Litestar reports a client that hung up mid-body as a 500; it is nobody's error. 499 as nginx logs it.
        log.info("client disconnected", path=request.url.path, method=request.method)
        return problem_response(
            request,
            status=499,
            code="client-closed-request",
            title="Client closed request",
            detail="The client went away.",
        )
    if status >= 500:
        log.error("http error", status=status, detail=exc.detail, path=request.url.path)
    return problem_response(
        request, status=status, code=code, title=title, detail=str(exc.detail or title), headers=dict(exc.headers or {})
    )


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[ProblemDetails]:
    translated = translate_db_error(exc)
    if translated is not None:
        # Database refused the client's data, or is unreachable: not our bug, so not a 500.
        log.warning("database error", path=request.url.path, code=translated.code, error=type(exc).__name__)
        return handle_app_error(request, translated)
    if isinstance(exc, RedisError):
        log.warning("redis unavailable", path=request.url.path, error=type(exc).__name__)
        return problem_response(
            request,
            status=503,
            code="redis-unavailable",
            title="Service unavailable",
            detail="A backing service (Redis) is not answering; try again shortly.",
            headers={"Retry-After": "2"},
        )
    log.exception("unhandled error", path=request.url.path, method=request.method)
    return problem_response(
        request,
        status=HTTP_500_INTERNAL_SERVER_ERROR,
        code="internal-error",
        title="Internal server error",
        detail="Something went wrong on our side. It has been logged.",
    )


EXCEPTION_HANDLERS = {
    AppError: handle_app_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem responses an operation can return."""
    specs: dict[int, ResponseSpec] = {}
    for status in statuses:
        code, title = _HTTP_CODES.get(status, ("http-error", "Error"))
        specs[status] = ResponseSpec(
            data_container=ProblemDetails,
            media_type=PROBLEM_MEDIA_TYPE,
            description=title,
            generate_examples=False,
            examples=[
                Example(
                    summary=title,
                    value={
                        "type": PROBLEM_TYPE_BASE + code,
                        "title": title,
                        "status": status,
                        "detail": "A sentence for humans about what went wrong.",
                        "code": code,
                        "instance": "/api/...",
                        **(
                            {"errors": [{"field": "email", "message": "is not a valid email"}]} if status == 422 else {}
                        ),
                    },
                )
            ],
        )
    return specs
