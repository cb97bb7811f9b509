"""Canvas rules on the entities alone: document bounds, where images may come from, the freemium layer lock."""

from __future__ import annotations

import uuid

import pytest

from app.domain.canvas.entities import (
    MAX_DOCUMENT_NODES,
    MAX_GROUP_CHILDREN,
    MAX_GROUP_DEPTH,
    NO_LOCK,
    CanvasDocument,
    LayerLock,
    apply_op,
    confined_key,
)
from app.domain.canvas.errors import CanvasOpRejected


def _doc() -> CanvasDocument:
    return CanvasDocument(campaign_id=uuid.uuid4())


def _group(layer_id: str, children: list[dict]) -> dict:
    return {"id": layer_id, "type": "group", "props": {"children": children}}


def test_groups_are_bounded_in_width_and_depth_and_the_document_unchanged_on_refusal() -> None:
    doc = _doc()
    too_wide = [{"id": str(i), "type": "rect"} for i in range(MAX_GROUP_CHILDREN + 1)]
    with pytest.raises(CanvasOpRejected) as wide:
        apply_op(doc, {"kind": "add_layer", "layer": _group("g", too_wide)})
    assert wide.value.code == "group-too-large" and doc.layers == []
    deep: dict = {"id": "leaf", "type": "rect"}
    for level in range(MAX_GROUP_DEPTH + 1):
        deep = _group(f"g{level}", [deep])
    with pytest.raises(CanvasOpRejected) as nested:
        apply_op(doc, {"kind": "add_layer", "layer": deep})
    assert nested.value.code == "group-too-deep" and doc.layers == []


def test_the_whole_document_is_bounded_also_through_updates() -> None:
    doc = _doc()
    half = [{"id": str(i), "type": "rect"} for i in range(MAX_GROUP_CHILDREN)]
    groups = MAX_DOCUMENT_NODES // (MAX_GROUP_CHILDREN + 1)
    for g in range(groups):
        apply_op(doc, {"kind": "add_layer", "layer": _group(f"g{g}", half)})
    with pytest.raises(CanvasOpRejected):
        apply_op(doc, {"kind": "add_layer", "layer": _group("one-more", half)})
    apply_op(doc, {"kind": "add_layer", "layer": _group("small", [])})
    with pytest.raises(CanvasOpRejected):
        apply_op(doc, {"kind": "update_layer", "layer_id": "small", "props": {"children": half}})


@pytest.mark.parametrize(
    ("key", "allowed"),
    [
        ("campaigns/c1/logo.png", True),
        ("campaigns/c1/generations/g/bg.png", True),
        ("campaigns/c1/../c2/logo.png", False),
        ("campaigns/c1/./logo.png", False),
        ("campaigns/c1//logo.png", False),
        ("campaigns/c1\\..\\x", False),
        ("/campaigns/c1/logo.png", False),
        ("campaigns/c10/logo.png", False),
        ("media/abc/original", False),
        (None, False),
        (42, False),
    ],
)
def test_only_keys_written_plainly_under_the_campaigns_prefix_are_confined(key: object, allowed: bool) -> None:
    assert (confined_key(key, "campaigns/c1/") is not None) is allowed


def test_a_layer_lock_hides_generated_content_but_keeps_geometry() -> None:
    visible, hidden = "gen-aaaaaaaaaaaa-headline", "gen-bbbbbbbbbbbb-headline"
    lock = LayerLock(applies=True, unlocked=frozenset({"aaaaaaaaaaaa"}))
    state = {
        "width": 100,
        "height": 100,
        "background": "#fff",
        "layers": [
            {"id": visible, "type": "text", "props": {"x": 1, "text": "seen"}},
            {"id": hidden, "type": "text", "props": {"x": 2, "y": 3, "text": "secret", "fontSize": 9}},
            {"id": "mine", "type": "text", "props": {"text": "user text"}},
        ],
    }
    shown = lock.state(state)["layers"]
    assert shown[0]["props"]["text"] == "seen" and shown[2]["props"]["text"] == "user text"
    assert shown[1]["props"] == {"x": 2, "y": 3, "locked": True}
    # Ops about hidden layers lose their content; a new generation is hidden until known to be unlocked.
    assert lock.op({"kind": "update_layer", "layer_id": hidden, "props": {"text": "x", "x": 5}})["props"] == {"x": 5}
    assert lock.hides("gen-cccccccccccc-description")
    assert not NO_LOCK.hides(hidden) and NO_LOCK.state(state) is state
