"""Default mailer: writes each message as an .eml file (and logs it) instead of sending."""

from __future__ import annotations

import asyncio
import email.message
import email.utils
from pathlib import Path

import structlog

from app.domain.notifications.ports import EmailMessage

log = structlog.get_logger("mail.local")


def build_mime(message: EmailMessage, sender: str) -> email.message.EmailMessage:
    mime = email.message.EmailMessage()
    mime["From"] = sender
    mime["To"] = message.to
    mime["Subject"] = message.subject
    mime["Date"] = email.utils.formatdate(usegmt=True)
    mime["Message-ID"] = email.utils.make_msgid(domain="atelier.local")
    mime.set_content(message.text)
    if message.html:
        mime.add_alternative(message.html, subtype="html")
    return mime


class FileMailer:
    def __init__(self, directory: str | Path, *, sender: str) -> None:
        self._dir = Path(directory)
        self._sender = sender

    async def send(self, message: EmailMessage) -> None:
        mime = build_mime(message, self._sender)
        await asyncio.to_thread(self._write, mime)
        log.info("email written", to=message.to, subject=message.subject, directory=str(self._dir))

    def _write(self, mime: email.message.EmailMessage) -> None:
        self._dir.mkdir(parents=True, exist_ok=True)
        name = mime["Message-ID"].strip("<>").replace("@", "_")
        tmp = self._dir / f".{name}.tmp"
        tmp.write_bytes(bytes(mime))
        tmp.rename(self._dir / f"{name}.eml")  # atomic: readers never see half a message
