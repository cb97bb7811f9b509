"""Offline default: deterministic template copy and Pillow-drawn backgrounds, no keys needed."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import re

from PIL import Image, ImageDraw

_HEADLINE_TEMPLATES = [
    "{name}",
    "Discover {name}",
    "Meet {name} Today",
    "{name}: Book a Tour",
    "Why Teams Pick {name}",
    "Try {name} Now",
    "{name} Made Simple",
    "See {name} in Action",
]
_DESCRIPTION_TEMPLATES = [
    "{name}: {brief}",
    "Everything you need from {name}, ready when you are. Get started today.",
    "Find out why people choose {name}. Talk to us and see it for yourself.",
    "Simple, clear and built for you. Explore {name} now.",
]


class OfflineProvider:
    async def complete(self, *, system: str, prompt: str, max_tokens: int = 800) -> str:
        fields = dict(re.findall(r"^(\w+): (.*)$", prompt, re.MULTILINE))
        name = (fields.get("Product") or "Our offer").strip()
        brief = (fields.get("Brief") or fields.get("Description") or "made for you").strip().rstrip(".")
        values = {"name": name, "brief": brief}
        return json.dumps(
            {
                "headlines": [t.format(**values) for t in _HEADLINE_TEMPLATES],
                "descriptions": [t.format(**values) for t in _DESCRIPTION_TEMPLATES],
            }
        )

    async def generate(self, *, prompt: str, width: int, height: int) -> bytes:
        return await asyncio.to_thread(_gradient_png, prompt, width, height)


def _gradient_png(prompt: str, width: int, height: int) -> bytes:
    digest = hashlib.sha256(prompt.encode()).digest()
    top, bottom = digest[:3], digest[3:6]
    image = Image.new("RGB", (max(1, width), max(1, height)))
    draw = ImageDraw.Draw(image)
    for y in range(image.height):
        t = y / max(1, image.height - 1)
        draw.line(
            [(0, y), (image.width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
