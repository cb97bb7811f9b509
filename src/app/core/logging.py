"""Structured logging (structlog) for the API, worker and CLI."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog
from structlog.types import Processor

# Event keys whose values never reach a log line, whoever logs them.
_SECRET_KEY = re.compile(
    r"pass(word)?|secret|token|hash|authorization|cookie|api_?key|account_number|ifsc|card|otp", re.I
)
# Values that look like credentials wherever they appear in a message.
_SECRET_VALUE = re.compile(r"(\$argon2[a-z]*\$[^\s'\"]+|eyJ[\w-]+\.[\w-]+\.[\w-]+|Bearer\s+\S+)")
REDACTED = "[redacted]"


def redact(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key, value in event.items():
        if _SECRET_KEY.search(key):
            event[key] = REDACTED
        elif isinstance(value, str):
            event[key] = _SECRET_VALUE.sub(REDACTED, value)
    return event


def configure_logging(level: str = "INFO", *, json: bool = False) -> None:
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Processor = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    structlog.configure(
        # Redact after the traceback is rendered into the event, so exception text is covered too.
        processors=[*shared, structlog.processors.format_exc_info, redact, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    logging.basicConfig(level=level.upper(), stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
