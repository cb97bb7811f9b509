"""SMTP adapter against a real SMTP server on loopback."""

from __future__ import annotations

import pytest

from app.adapters.mail.smtp import SmtpMailer
from app.domain.notifications.ports import EmailMessage
from tests.support.servers import free_port
from tests.support.smtp import start_smtp_server


async def test_smtp_mailer_delivers_a_message():
    port = free_port()
    controller, handler = start_smtp_server(port)
    try:
        mailer = SmtpMailer(host="127.0.0.1", port=port, sender="Atelier <no-reply@atelier.test>")
        await mailer.send(EmailMessage(to="someone@example.com", subject="Hello", text="Body text"))
    finally:
        controller.stop()
    assert len(handler.messages) == 1
    message = handler.messages[0]
    assert message["To"] == "someone@example.com"
    assert message["Subject"] == "Hello"
    assert message.get_content().strip() == "Body text"


async def test_smtp_mailer_raises_when_the_server_is_down():
    mailer = SmtpMailer(host="127.0.0.1", port=free_port(), sender="a@b.c", timeout=2)
    with pytest.raises(OSError):
        await mailer.send(EmailMessage(to="x@example.com", subject="s", text="t"))
