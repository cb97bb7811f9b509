"""A canvas editor over a real websocket connection."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect


class Editor:
    def __init__(self, connection: ClientConnection) -> None:
        self.ws = connection
        self.seen: list[dict[str, Any]] = []

    @classmethod
    async def join(cls, base_url: str, campaign_id: str, token: str, since_version: int | None = None) -> Editor:
        url = f"{base_url.replace('http', 'ws', 1)}/ws/campaigns/{campaign_id}?token={token}"
        if since_version is not None:
            url += f"&since_version={since_version}"
        return cls(await connect(url, max_size=2**22))

    async def send(self, message: dict[str, Any] | str) -> None:
        await self.ws.send(message if isinstance(message, str) else json.dumps(message))

    async def op(self, client_op_id: str, op: dict[str, Any]) -> None:
        await self.send({"type": "op", "client_op_id": client_op_id, "op": op})

    async def next(self, *types: str, timeout: float = 10) -> dict[str, Any]:
        """The next message of one of `types` (others are recorded in `seen` and skipped)."""
        async with asyncio.timeout(timeout):
            while True:
                message = json.loads(await self.ws.recv())
                self.seen.append(message)
                if not types or message["type"] in types:
                    return message

    async def close(self) -> None:
        await self.ws.close()


def add_rect(layer_id: str, **props: Any) -> dict[str, Any]:
    return {
        "kind": "add_layer",
        "layer": {"id": layer_id, "type": "rect", "props": {"x": 0, "y": 0, "width": 10, "height": 10, **props}},
    }
