"""Canvas documents (React-Konva layer JSON) and the operations that edit them.

Operations are plain JSON-shaped dicts with a `kind`; the edge validates their
shape, `apply_op` validates their meaning. Applying is pure and deterministic,
so a document at version N is the replay of edits 1..N.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core.errors import AppError

LAYER_TYPES = frozenset({"text", "image", "rect", "ellipse", "line", "group"})
MAX_LAYERS = 500
DEFAULT_WIDTH = 1080
DEFAULT_HEIGHT = 1080
DEFAULT_BACKGROUND = "#ffffff"


class CanvasOpRejected(AppError):
    """An operation that cannot apply to the current document (not persisted)."""

    status = 409
    code = "op-rejected"
    title = "Operation rejected"


@dataclass(slots=True)
class CanvasDocument:
    campaign_id: uuid.UUID
    version: int = 0
    width: int = DEFAULT_WIDTH
    height: int = DEFAULT_HEIGHT
    background: str = DEFAULT_BACKGROUND
    layers: list[dict[str, Any]] = field(default_factory=list)
    updated_at: datetime | None = None

    def state(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "background": self.background, "layers": self.layers}


@dataclass(frozen=True, slots=True)
class CanvasEdit:
    """One persisted operation: the edit record."""

    campaign_id: uuid.UUID
    version: int
    user_id: uuid.UUID | None
    client_op_id: str
    op: dict[str, Any]
    created_at: datetime | None = None


def _index_of(layers: list[dict[str, Any]], layer_id: str) -> int:
    for i, layer in enumerate(layers):
        if layer["id"] == layer_id:
            return i
    raise CanvasOpRejected(f"Layer {layer_id!r} does not exist (it may have been deleted).", code="layer-not-found")


def apply_op(document: CanvasDocument, op: dict[str, Any]) -> None:
    """Apply `op` to `document` in place, or raise CanvasOpRejected leaving it unchanged."""
    kind = op.get("kind")
    layers = document.layers
    if kind == "add_layer":
        layer = op["layer"]
        if layer["type"] not in LAYER_TYPES:
            raise CanvasOpRejected(f"Unknown layer type {layer['type']!r}.", code="invalid-layer")
        if any(existing["id"] == layer["id"] for existing in layers):
            raise CanvasOpRejected(f"Layer {layer['id']!r} already exists.", code="duplicate-layer")
        if len(layers) >= MAX_LAYERS:
            raise CanvasOpRejected(f"A canvas holds at most {MAX_LAYERS} layers.", code="too-many-layers")
        index = op.get("index")
        new_layer = {"id": layer["id"], "type": layer["type"], "props": copy.deepcopy(layer.get("props") or {})}
        layers.insert(len(layers) if index is None else max(0, min(index, len(layers))), new_layer)
    elif kind == "update_layer":
        target = layers[_index_of(layers, op["layer_id"])]
        # Last writer wins per property: later versions overwrite only the keys they send.
        for key, value in op["props"].items():
            if value is None:
                target["props"].pop(key, None)
            else:
                target["props"][key] = copy.deepcopy(value)
    elif kind == "remove_layer":
        del layers[_index_of(layers, op["layer_id"])]
    elif kind == "reorder_layer":
        layer = layers.pop(_index_of(layers, op["layer_id"]))
        layers.insert(max(0, min(op["index"], len(layers))), layer)
    elif kind == "set_canvas":
        if op.get("width") is not None:
            document.width = op["width"]
        if op.get("height") is not None:
            document.height = op["height"]
        if op.get("background") is not None:
            document.background = op["background"]
    elif kind == "replace_document":
        state = op["document"]
        document.width, document.height = state["width"], state["height"]
        document.background = state["background"]
        document.layers = copy.deepcopy(state["layers"])
    else:
        raise CanvasOpRejected(f"Unknown operation {kind!r}.", code="invalid-op")


def replay(campaign_id: uuid.UUID, edits: list[CanvasEdit]) -> CanvasDocument:
    document = CanvasDocument(campaign_id=campaign_id)
    for edit in edits:
        apply_op(document, edit.op)
        document.version = edit.version
    return document
