"""Reads the messages the local FileMailer wrote (the app's default mail adapter)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
from email.message import EmailMessage
from pathlib import Path

TOKEN_RE = re.compile(r"token=([A-Za-z0-9_-]+)")


class Mailbox:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def messages(self) -> list[EmailMessage]:
        if not self.directory.exists():
            return []
        files = sorted(self.directory.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
        return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files]  # type: ignore[misc]

    def to(self, address: str, subject_contains: str = "") -> list[EmailMessage]:
        return [
            m for m in self.messages() if m["To"] == address and subject_contains.lower() in str(m["Subject"]).lower()
        ]

    async def wait_for(
        self, address: str, subject_contains: str = "", *, count: int = 1, timeout: float = 15
    ) -> list[EmailMessage]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            found = self.to(address, subject_contains)
            if len(found) >= count:
                return found
            await asyncio.sleep(0.05)
        raise AssertionError(f"no email to {address} matching {subject_contains!r} within {timeout}s")

    async def token_for(self, address: str, subject_contains: str, *, count: int = 1) -> str:
        message = (await self.wait_for(address, subject_contains, count=count))[-1]
        match = TOKEN_RE.search(message.get_content())
        assert match, "no token link in the email"
        return match.group(1)
