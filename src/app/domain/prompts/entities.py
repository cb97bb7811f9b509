"""Prompt templates (PromptCraft): `{{variable}}` bodies, versioned, public or private."""

from __future__ import annotations

import enum
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core.errors import FieldError
from app.domain.prompts.errors import TemplateVariables

VARIABLE_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}")
MAX_VALUE_LENGTH = 2000


def variables_of(body: str) -> list[str]:
    """Variable names in order of first appearance."""
    return list(dict.fromkeys(VARIABLE_RE.findall(body)))


def render(body: str, values: dict[str, str]) -> str:
    """Fill every `{{name}}`; missing, unknown or oversized values are a 422 listing each."""
    expected = set(variables_of(body))
    errors = [FieldError(f"variables.{name}", "is required") for name in sorted(expected - set(values))]
    errors += [
        FieldError(f"variables.{name}", "is not used by this template") for name in sorted(set(values) - expected)
    ]
    errors += [
        FieldError(f"variables.{name}", f"must be at most {MAX_VALUE_LENGTH} characters")
        for name, value in sorted(values.items())
        if len(value) > MAX_VALUE_LENGTH
    ]
    if errors:
        raise TemplateVariables("The variables do not fit this template.", errors=errors)
    return VARIABLE_RE.sub(lambda m: values[m.group(1)], body)


class RunStatus(enum.StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(slots=True, kw_only=True)
class PromptTemplate:
    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    body: str  # of the current version
    version: int = 1
    description: str = ""
    category: str = "general"
    is_public: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def variables(self) -> list[str]:
        return variables_of(self.body)


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateVersion:
    template_id: uuid.UUID
    version: int
    body: str
    author_id: uuid.UUID
    created_at: datetime | None = None


@dataclass(slots=True, kw_only=True)
class PromptRun:
    id: uuid.UUID
    template_id: uuid.UUID
    version: int
    user_id: uuid.UUID
    rendered_prompt: str
    variables: dict[str, Any] = field(default_factory=dict)
    status: RunStatus = RunStatus.PENDING
    output: str = ""
    error: str = ""
    attempts: int = 0
    created_at: datetime | None = None
    completed_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RatingSummary:
    """A template's ratings: average stars (None before the first), how many, and the viewer's own."""

    average: float | None
    count: int
    mine: int | None = None
