"""The transactional outbox port shared by every module."""

from __future__ import annotations

from typing import Any, Protocol


class Outbox(Protocol):
    """Jobs to run after the surrounding transaction commits (written in the same transaction)."""

    def add(self, task: str, payload: dict[str, Any]) -> None: ...
