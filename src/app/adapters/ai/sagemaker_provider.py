"""Amazon SageMaker endpoints (sagemaker-runtime InvokeEndpoint via aioboto3).

Text endpoints speak the Hugging Face TGI / JumpStart shape:
request {"inputs": ..., "parameters": {...}} -> [{"generated_text": ...}] (or a dict).
Image endpoints (Stable Diffusion JumpStart style): request {"prompt", "width", "height"}
-> {"generated_image": base64 PNG} or {"images": [base64]}.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import aioboto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from app.domain.generation.errors import ProviderFailed


class SageMakerProvider:
    def __init__(
        self,
        *,
        region: str,
        text_endpoint: str = "",
        image_endpoint: str = "",
        endpoint_url: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        self._session = aioboto3.Session()
        self._region = region
        self._text_endpoint = text_endpoint
        self._image_endpoint = image_endpoint
        self._endpoint_url = endpoint_url or None
        self._config = Config(read_timeout=timeout, connect_timeout=10, retries={"max_attempts": 1})

    async def _invoke(self, endpoint: str, payload: dict[str, Any]) -> bytes:
        if not endpoint:
            raise ProviderFailed("No SageMaker endpoint is configured for this kind of generation.")
        try:
            async with self._session.client(
                "sagemaker-runtime", region_name=self._region, endpoint_url=self._endpoint_url, config=self._config
            ) as client:
                response = await client.invoke_endpoint(
                    EndpointName=endpoint,
                    ContentType="application/json",
                    Accept="application/json",
                    Body=json.dumps(payload),
                )
                return await response["Body"].read()
        except (BotoCoreError, ClientError) as exc:
            raise ProviderFailed(f"SageMaker endpoint {endpoint!r} failed: {exc}") from exc

    async def complete(self, *, system: str, prompt: str, max_tokens: int = 800) -> str:
        body = await self._invoke(
            self._text_endpoint,
            {
                "inputs": f"{system}\n\n{prompt}",
                "parameters": {"max_new_tokens": max_tokens, "temperature": 0.7, "return_full_text": False},
            },
        )
        try:
            data = json.loads(body)
        except ValueError:
            return body.decode("utf-8", "replace")
        if isinstance(data, list) and data and isinstance(data[0], dict):
            data = data[0]
        if isinstance(data, dict):
            for key in ("generated_text", "generation", "output", "text"):
                if isinstance(data.get(key), str):
                    return data[key]
        raise ProviderFailed("SageMaker text endpoint returned an unexpected body.")

    async def generate(self, *, prompt: str, width: int, height: int) -> bytes:
        body = await self._invoke(
            self._image_endpoint, {"prompt": prompt, "width": width, "height": height, "num_images_per_prompt": 1}
        )
        try:
            data = json.loads(body)
            encoded = data.get("generated_image") or (data.get("images") or [None])[0]
            if not encoded:
                raise ValueError("no image")
            return base64.b64decode(encoded)
        except (ValueError, AttributeError, TypeError) as exc:
            raise ProviderFailed("SageMaker image endpoint returned no image.") from exc
