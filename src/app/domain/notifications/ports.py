"""Ports for outbound notifications shared by every module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class EmailMessage:
    to: str
    subject: str
    text: str
    html: str | None = None


class Mailer(Protocol):
    """Delivers one email. Raises on failure so the calling job can retry."""

    async def send(self, message: EmailMessage) -> None: ...
