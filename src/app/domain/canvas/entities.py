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

from app.domain.canvas.errors import (
    DuplicateLayer,
    GroupTooDeep,
    GroupTooLarge,
    InvalidLayer,
    InvalidOp,
    LayerNotFound,
    TooManyLayers,
)

LAYER_TYPES = frozenset({"text", "image", "rect", "ellipse", "line", "group"})
MAX_LAYERS = 500
# What one document may hold, so that neither an edit nor an export of it costs without bound.
MAX_GROUP_DEPTH = 4  # groups inside groups
MAX_GROUP_CHILDREN = 100  # direct children of one group
MAX_DOCUMENT_NODES = 2000  # layers plus every group descendant
DEFAULT_WIDTH = 1080
DEFAULT_HEIGHT = 1080
DEFAULT_BACKGROUND = "#ffffff"


@dataclass(slots=True, kw_only=True)
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


@dataclass(frozen=True, slots=True, kw_only=True)
class CanvasEdit:
    """One persisted operation: the edit record."""

    campaign_id: uuid.UUID
    version: int
    user_id: uuid.UUID | None
    client_op_id: str
    op: dict[str, Any]
    created_at: datetime | None = None


@dataclass(slots=True, kw_only=True)
class NamedVersion:
    """A version someone gave a name ("Sent to client"), to find and compare it later."""

    campaign_id: uuid.UUID
    version: int
    name: str
    named_by: uuid.UUID | None
    created_at: datetime | None = None


NAMED_VERSIONS_MAX = 200  # per campaign


def count_nodes(layer: Any, depth: int = 0) -> int:
    """Nodes in one layer (itself and its group descendants); raises CanvasOpRejected past the group bounds."""
    if not isinstance(layer, dict):
        return 0
    props = layer.get("props") or {}
    children = props.get("children") if layer.get("type") == "group" and isinstance(props, dict) else None
    if not isinstance(children, list):
        return 1
    if depth >= MAX_GROUP_DEPTH:
        raise GroupTooDeep(f"Groups may be nested at most {MAX_GROUP_DEPTH} deep.")
    if len(children) > MAX_GROUP_CHILDREN:
        raise GroupTooLarge(f"A group holds at most {MAX_GROUP_CHILDREN} children.")
    return 1 + sum(count_nodes(child, depth + 1) for child in children)


def _check_size(layers: list[dict[str, Any]]) -> None:
    if len(layers) > MAX_LAYERS:
        raise TooManyLayers(f"A canvas holds at most {MAX_LAYERS} layers.")
    if sum(count_nodes(layer) for layer in layers) > MAX_DOCUMENT_NODES:
        raise TooManyLayers(f"A canvas holds at most {MAX_DOCUMENT_NODES} shapes in all.")


def _index_of(layers: list[dict[str, Any]], layer_id: str) -> int:
    for i, layer in enumerate(layers):
        if layer["id"] == layer_id:
            return i
    raise LayerNotFound(f"Layer {layer_id!r} does not exist (it may have been deleted).")


def apply_op(document: CanvasDocument, op: dict[str, Any]) -> None:
    """Apply `op` to `document` in place, or raise CanvasOpRejected leaving it unchanged."""
    kind = op.get("kind")
    layers = document.layers
    if kind == "add_layer":
        layer = op["layer"]
        if layer["type"] not in LAYER_TYPES:
            raise InvalidLayer(f"Unknown layer type {layer['type']!r}.")
        if any(existing["id"] == layer["id"] for existing in layers):
            raise DuplicateLayer(f"Layer {layer['id']!r} already exists.")
        if len(layers) >= MAX_LAYERS:
            raise TooManyLayers(f"A canvas holds at most {MAX_LAYERS} layers.")
        index = op.get("index")
        new_layer = {"id": layer["id"], "type": layer["type"], "props": copy.deepcopy(layer.get("props") or {})}
        if layer["type"] == "group":
            _check_size([*layers, new_layer])
        layers.insert(len(layers) if index is None else max(0, min(index, len(layers))), new_layer)
    elif kind == "update_layer":
        target = layers[_index_of(layers, op["layer_id"])]
        if target["type"] == "group" and "children" in op["props"]:
            updated = {**target, "props": {**target["props"], "children": op["props"]["children"]}}
            _check_size([updated if existing is target else existing for existing in layers])
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
        _check_size(state["layers"])
        document.width, document.height = state["width"], state["height"]
        document.background = state["background"]
        document.layers = copy.deepcopy(state["layers"])
    else:
        raise InvalidOp(f"Unknown operation {kind!r}.")


GENERATED_PREFIX = "gen-"  # layers placed by an AI generation: "gen-<first 12 hex of its id>-<name>"
_GEOMETRY = ("x", "y", "width", "height", "rotation", "visible")


def generated_by(layer_id: Any) -> str | None:
    """The generation (first 12 hex digits of its id) that placed this layer, if any."""
    if isinstance(layer_id, str) and layer_id.startswith(GENERATED_PREFIX) and len(layer_id) > 17:
        return layer_id[4:16]
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class LayerLock:
    """Layers of locked generations, shown to this viewer as placeholders: their place and size,
    never their text or image (the freemium rule, applied to documents and to the ops that edit them)."""

    applies: bool  # False: nothing is hidden from this viewer
    unlocked: frozenset[str] = frozenset()  # generations (id prefixes) whose results this viewer may see

    def hides(self, layer_id: Any) -> bool:
        # A generation not known to be unlocked is hidden: one finishing while a guest watches stays locked.
        generation = generated_by(layer_id)
        return self.applies and generation is not None and generation not in self.unlocked

    def layer(self, layer: dict[str, Any]) -> dict[str, Any]:
        if not self.hides(layer.get("id")):
            return layer
        props = layer.get("props") or {}
        return {**layer, "props": {**{k: props[k] for k in _GEOMETRY if k in props}, "locked": True}}

    def state(self, state: dict[str, Any]) -> dict[str, Any]:
        if not self.applies:
            return state
        return {**state, "layers": [self.layer(layer) for layer in state.get("layers", [])]}

    def op(self, op: dict[str, Any]) -> dict[str, Any]:
        kind = op.get("kind")
        if kind == "add_layer" and self.hides(op["layer"].get("id")):
            return {**op, "layer": self.layer(op["layer"])}
        if kind == "update_layer" and self.hides(op.get("layer_id")):
            return {**op, "props": {k: v for k, v in op["props"].items() if k in _GEOMETRY}}
        if kind == "replace_document":
            return {**op, "document": self.state(op["document"])}
        return op

    def touches(self, op: dict[str, Any]) -> bool:
        kind = op.get("kind")
        if kind == "add_layer":
            return self.hides(op["layer"].get("id"))
        if kind == "update_layer":
            return self.hides(op.get("layer_id"))
        return kind == "replace_document" and self.applies


NO_LOCK = LayerLock(applies=False)


def confined_key(key: Any, prefix: str) -> str | None:
    """`key` if it names an object under `prefix` as written (no `..`, `.`, empty or absolute segments,
    no backslashes), else None: a layer can only show the campaign's own files, on any storage backend."""
    if not isinstance(key, str) or not key.startswith(prefix) or "\\" in key or "\x00" in key:
        return None
    segments = key[len(prefix) :].split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        return None
    return key


def replay(campaign_id: uuid.UUID, edits: list[CanvasEdit]) -> CanvasDocument:
    document = CanvasDocument(campaign_id=campaign_id)
    for edit in edits:
        apply_op(document, edit.op)
        document.version = edit.version
    return document
