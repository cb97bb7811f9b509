"""Schemathesis (the standard OpenAPI fuzzer) against the live app, signed in, over every operation:
no 5xx, and every response conforms to the documented status codes, media types, headers and schemas.

Billing and Google sign-in run against the local protocol fakes, so those operations are exercised
rather than answering 503. The budget is fixed so the run stays within a few minutes in `make test`;
`make fuzz` (FUZZ_MAX_EXAMPLES, FUZZ_SEED) runs a long one.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.entrypoints.app import create_app
from tests.conftest import make_settings
from tests.fakes.oidc_provider import CLIENT_ID, CLIENT_SECRET, FakeOidcProvider
from tests.fakes.razorpay_server import KEY_ID, KEY_SECRET, WEBHOOK_SECRET, FakeRazorpay
from tests.support.api import bearer, login, register
from tests.support.servers import free_port, serve

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
# Signing the fuzzing user out (or changing its password) would turn every later case into a 401.
KEEP_SIGNED_IN = ["/api/auth/logout", "/api/auth/password/change"]


def _schemathesis() -> str:
    return shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis"))


@pytest.mark.slow
async def test_fuzzing_every_operation_finds_no_server_error_and_no_contract_breach(
    clean_db: str, tmp_path: Path
) -> None:
    rzp, oidc = FakeRazorpay(), FakeOidcProvider()
    port = free_port()
    async with serve(rzp.app()) as rzp_url, serve(oidc.app()) as oidc_url:
        rzp.url, oidc.base_url = rzp_url, oidc_url
        settings = make_settings(
            clean_db,
            tmp_path,
            razorpay_key_id=KEY_ID,
            razorpay_key_secret=KEY_SECRET,
            razorpay_webhook_secret=WEBHOOK_SECRET,
            razorpay_base_url=rzp_url,
            google_client_id=CLIENT_ID,
            google_client_secret=CLIENT_SECRET,
            google_discovery_url=f"{oidc_url}/.well-known/openid-configuration",
            google_redirect_uri=f"http://127.0.0.1:{port}/api/auth/oauth/google/callback",
            public_base_url=f"http://127.0.0.1:{port}",
            log_level="ERROR",
        )
        async with serve(create_app(settings), port=port) as base_url:
            async with httpx.AsyncClient(base_url=base_url) as client:
                await register(client, "fuzzer")
                token = bearer(await login(client, "fuzzer"))["Authorization"]
                # A creator profile, so creator-only operations get past their first check.
                await client.put("/api/creators/me", headers={"Authorization": token}, json={"display_name": "Fuzz"})
            command = [
                _schemathesis(),
                "run",
                f"{base_url}/docs/openapi.json",
                "--header",
                f"Authorization: {token}",
                "--checks",
                CHECKS,
                "--max-examples",
                os.environ.get("FUZZ_MAX_EXAMPLES", "8"),
                "--seed",
                os.environ.get("FUZZ_SEED", "20261201"),
                "--workers",
                "1",  # CPython 3.11's ast is not thread-safe under hypothesis (see STACK-NOTES)
                "--no-shrink",
                "--max-failures",
                "50",
                "--request-timeout",
                "30",
                *[arg for path in KEEP_SIGNED_IN for arg in ("--exclude-path", path)],
            ]
            process = await asyncio.create_subprocess_exec(
                *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=tmp_path
            )
            output, _ = await process.communicate()
    report: Any = output.decode(errors="replace")
    assert process.returncode == 0, report[-20000:]
