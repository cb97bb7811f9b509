"""OpenAI (or any OpenAI-compatible server: Ollama, vLLM, LocalAI) text and image generation."""

from __future__ import annotations

import base64

import openai
from openai import AsyncOpenAI

from app.domain.generation.errors import ProviderFailed


class OpenAIProvider:
    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        text_model: str = "gpt-4o-mini",
        image_model: str = "gpt-image-1",
        timeout: float = 60.0,
    ) -> None:
        # The SDK's own retries stay off: retrying is the job's business (with backoff and a record).
        self._client = AsyncOpenAI(
            api_key=api_key or "not-needed", base_url=base_url or None, timeout=timeout, max_retries=0
        )
        self._text_model = text_model
        self._image_model = image_model

    async def complete(self, *, system: str, prompt: str, max_tokens: int = 800) -> str:
        try:
            response = await self._client.chat.completions.create(
                model=self._text_model,
                messages=[{"role": "system", "content": system}, {"role": "user", "content": prompt}],
                max_tokens=max_tokens,
                temperature=0.7,
            )
        except openai.OpenAIError as exc:
            raise ProviderFailed(f"OpenAI text request failed: {type(exc).__name__}: {exc}") from exc
        content = response.choices[0].message.content if response.choices else None
        if not content:
            raise ProviderFailed("OpenAI returned an empty completion.")
        return content

    async def generate(self, *, prompt: str, width: int, height: int) -> bytes:
        try:
            response = await self._client.images.generate(
                model=self._image_model,
                prompt=prompt[:4000],
                size=_size(width, height),
                n=1,
                response_format="b64_json",
            )
        except openai.OpenAIError as exc:
            raise ProviderFailed(f"OpenAI image request failed: {type(exc).__name__}: {exc}") from exc
        data = response.data[0].b64_json if response.data else None
        if not data:
            raise ProviderFailed("OpenAI returned no image.")
        return base64.b64decode(data)


def _size(width: int, height: int) -> str:
    """The closest size the Images API accepts for the canvas aspect ratio."""
    ratio = width / max(height, 1)
    if ratio > 1.2:
        return "1536x1024"
    if ratio < 0.8:
        return "1024x1536"
    return "1024x1024"
