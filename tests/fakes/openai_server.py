"""A small OpenAI-compatible HTTP server: chat completions and image generation."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import time
from dataclasses import dataclass, field
from typing import Any

from litestar import Litestar, Request, post
from litestar.params import JSONBody
from litestar.response import Response
from PIL import Image

GOOD_COPY = {
    "headlines": [
        "Riverside Offices",
        "Lease Floors 3-5 Today",
        "Move In This Spring",
        "A headline that is far too long for the limit",
    ],
    "descriptions": [
        "Bright, flexible offices by the river with parking and 24/7 access.",
        "Book a tour today and get three months free on a three-year lease term.",
    ],
}


def png(color: tuple[int, int, int] = (10, 120, 200), size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


@dataclass
class FakeOpenAI:
    copy: dict[str, Any] = field(default_factory=lambda: dict(GOOD_COPY))
    fail_with: int | None = None  # HTTP status to answer every request with
    delay_seconds: float = 0.0
    slow_first_requests: int = 0  # only the first N requests are delayed
    requests: list[dict[str, Any]] = field(default_factory=list)
    authorization: list[str] = field(default_factory=list)

    async def _maybe_fail(self, request: Request[Any, Any, Any], body: dict[str, Any]) -> Response[Any] | None:
        self.requests.append(body)
        self.authorization.append(request.headers.get("authorization", ""))
        if self.delay_seconds and (not self.slow_first_requests or len(self.requests) <= self.slow_first_requests):
            await asyncio.sleep(self.delay_seconds)
        if self.fail_with is not None:
            return Response(
                {"error": {"message": "upstream exploded", "type": "server_error"}}, status_code=self.fail_with
            )
        return None

    def app(self) -> Litestar:
        fake = self

        @post("/v1/chat/completions", status_code=200)
        async def chat(request: Request[Any, Any, Any], data: JSONBody[dict[str, Any]]) -> Response[Any]:
            failure = await fake._maybe_fail(request, data)
            if failure:
                return failure
            return Response(
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": data.get("model", "test"),
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": json.dumps(fake.copy)},
                        }
                    ],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30},
                }
            )

        @post("/v1/images/generations", status_code=200)
        async def images(request: Request[Any, Any, Any], data: JSONBody[dict[str, Any]]) -> Response[Any]:
            failure = await fake._maybe_fail(request, data)
            if failure:
                return failure
            return Response({"created": int(time.time()), "data": [{"b64_json": base64.b64encode(png()).decode()}]})

        return Litestar(route_handlers=[chat, images], debug=False)
