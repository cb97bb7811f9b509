"""AI adapters against servers speaking the real protocols on loopback:
a local OpenAI-compatible server and moto's sagemaker-runtime."""

from __future__ import annotations

import base64
import io
import json

import httpx
import pytest
from PIL import Image

from app.adapters.ai.openai_provider import OpenAIProvider
from app.adapters.ai.sagemaker_provider import SageMakerProvider
from app.domain.generation.errors import ProviderFailed
from tests.fakes.openai_server import GOOD_COPY, FakeOpenAI, png
from tests.support.servers import serve


async def test_openai_provider_completes_and_generates_images():
    fake = FakeOpenAI()
    async with serve(fake.app()) as base_url:
        provider = OpenAIProvider(api_key="sk-test", base_url=f"{base_url}/v1", text_model="test-model")
        text = await provider.complete(system="be brief", prompt="Product: X")
        image = await provider.generate(prompt="a sunny background", width=1080, height=1080)
    assert json.loads(text) == GOOD_COPY
    assert fake.requests[0]["model"] == "test-model"
    assert fake.requests[0]["messages"][0] == {"role": "system", "content": "be brief"}
    assert fake.authorization[0] == "Bearer sk-test"
    assert fake.requests[1]["size"] == "1024x1024"
    assert Image.open(io.BytesIO(image)).size == (64, 64)


async def test_openai_provider_turns_server_errors_into_provider_failures():
    fake = FakeOpenAI(fail_with=500)
    async with serve(fake.app()) as base_url:
        provider = OpenAIProvider(api_key="sk-test", base_url=f"{base_url}/v1")
        with pytest.raises(ProviderFailed, match="InternalServerError"):
            await provider.complete(system="s", prompt="p")
    assert len(fake.requests) == 1  # no hidden SDK retries: the job owns retrying


def _queue_results(moto_url: str, *bodies: str) -> None:
    response = httpx.post(
        f"{moto_url}/moto-api/static/sagemaker/endpoint-results",
        json={"results": [{"Body": body, "ContentType": "application/json"} for body in bodies]},
    )
    response.raise_for_status()


async def test_sagemaker_provider_against_moto(moto_server, monkeypatch):
    # Credentials for the AWS SDK (moto accepts any); never real ones in tests.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    _queue_results(
        moto_server,
        json.dumps([{"generated_text": json.dumps(GOOD_COPY)}]),
        json.dumps({"generated_image": base64.b64encode(png((1, 2, 3))).decode()}),
    )
    provider = SageMakerProvider(
        region="us-east-1", text_endpoint="copy-llm", image_endpoint="sdxl", endpoint_url=moto_server
    )
    text = await provider.complete(system="s", prompt="Product: X")
    assert json.loads(text) == GOOD_COPY
    image = await provider.generate(prompt="background", width=512, height=512)
    assert Image.open(io.BytesIO(image)).getpixel((0, 0)) == (1, 2, 3)


async def test_sagemaker_provider_needs_a_configured_endpoint(moto_server):
    provider = SageMakerProvider(region="us-east-1", endpoint_url=moto_server)
    with pytest.raises(ProviderFailed, match="No SageMaker endpoint"):
        await provider.complete(system="s", prompt="p")
