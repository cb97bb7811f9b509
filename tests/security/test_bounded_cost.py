"""CPU-heavy work stays off the event loop, and a client hanging up is nobody's 500."""

from __future__ import annotations

import asyncio
import io
import socket
import time

import pytest
from PIL import Image

from app.adapters.rendering.images import PillowImageProcessor
from app.adapters.security.passwords import Argon2PasswordHasher
from app.entrypoints.app import create_app
from tests.conftest import make_settings
from tests.support.servers import serve


async def _worst_stall_while(work: asyncio.Future[object] | asyncio.Task[object]) -> float:
    """The longest the event loop went without running a 5 ms ticker while `work` ran."""
    worst, last = 0.0, time.perf_counter()
    while not work.done():
        await asyncio.sleep(0.005)
        now = time.perf_counter()
        worst, last = max(worst, now - last), now
    await work
    return worst


async def test_argon2_at_production_cost_never_stalls_the_event_loop() -> None:
    hasher = Argon2PasswordHasher()  # the production defaults: ~0.3-0.5 s per hash on this machine
    digest = await hasher.hash("Sturdy-Passw0rd!")

    async def sign_ins() -> None:
        await asyncio.gather(*(hasher.verify(digest, "Sturdy-Passw0rd!") for _ in range(4)))

    stall = await _worst_stall_while(asyncio.ensure_future(sign_ins()))
    # Run inline, four verifications would hold the loop for well over a second.
    assert stall < 0.25, stall


async def test_decoding_a_large_image_never_stalls_the_event_loop() -> None:
    out = io.BytesIO()
    Image.new("RGB", (5000, 5000), (10, 20, 30)).save(out, format="PNG")
    processor = PillowImageProcessor()
    stall = await _worst_stall_while(asyncio.ensure_future(processor.inspect(out.getvalue())))
    assert stall < 0.25, stall
    thumb_stall = await _worst_stall_while(asyncio.ensure_future(processor.thumbnail(out.getvalue(), max_side=320)))
    assert thumb_stall < 0.25, thumb_stall


@pytest.mark.parametrize(
    ("path", "content_type"), [("/api/auth/login", "application/json"), ("/api/auth/register", "text/plain")]
)
async def test_a_client_that_disconnects_mid_body_is_logged_as_a_disconnect_not_a_500(
    clean_db, tmp_path, capfd, path, content_type
) -> None:
    settings = make_settings(clean_db, tmp_path, log_level="INFO")
    async with serve(create_app(settings)) as base_url:
        host, port = base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as raw:
            raw.sendall(
                f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\nContent-Length: 5000\r\n\r\n".encode()
                + b'{"login": "half'
            )
            await asyncio.sleep(0.2)
        await asyncio.sleep(0.5)
    logged = capfd.readouterr().err
    assert "unhandled error" not in logged and "status=500" not in logged, logged[-3000:]
    assert "client disconnected" in logged, logged[-3000:]
