"""The canvas diff is RFC 6902: applied by an independent implementation (jsonpatch), the patch from any
state to any other gives exactly the other, and one-layer changes stay one-operation patches."""

from __future__ import annotations

import copy
import random
from typing import Any

import jsonpatch

from app.domain.canvas.diff import json_patch


def _value(rnd: random.Random, depth: int = 0) -> Any:
    roll = rnd.random()
    if depth < 3 and roll < 0.25:
        return {rnd.choice(["a", "b", "c/d", "e~f", ""]): _value(rnd, depth + 1) for _ in range(rnd.randint(0, 3))}
    if depth < 3 and roll < 0.5:
        return [_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]
    return rnd.choice([0, 7, 1.5, "x", "", None, False, True])


def _changed(rnd: random.Random, value: Any, depth: int = 0) -> Any:
    value = copy.deepcopy(value)
    if isinstance(value, dict) and value and rnd.random() < 0.7:
        key = rnd.choice(list(value))
        if rnd.random() < 0.3:
            del value[key]
        else:
            value[key] = _changed(rnd, value[key], depth + 1)
        if rnd.random() < 0.3:
            value[rnd.choice(["g", "h/i"])] = _value(rnd, depth + 1)
        return value
    if isinstance(value, list) and rnd.random() < 0.7:
        roll = rnd.random()
        if roll < 0.3 and value:
            value.pop(rnd.randrange(len(value)))
        elif roll < 0.6:
            value.insert(rnd.randint(0, len(value)), _value(rnd, depth + 1))
        elif value:
            i = rnd.randrange(len(value))
            value[i] = _changed(rnd, value[i], depth + 1)
        return value
    return _value(rnd, depth)


def test_every_patch_turns_one_state_into_the_other() -> None:
    rnd = random.Random(20261201)
    for _ in range(3000):
        before = _value(rnd)
        after = _changed(rnd, _changed(rnd, before))
        patched = jsonpatch.apply_patch(copy.deepcopy(before), json_patch(before, after))
        assert patched == after


def test_one_layer_added_removed_or_moved_is_a_short_patch() -> None:
    layers = [{"id": f"l{n}", "props": {"x": n}} for n in range(5)]
    before = {"background": "#fff", "layers": layers}
    added = {"background": "#fff", "layers": [*layers[:2], {"id": "new"}, *layers[2:]]}
    assert json_patch(before, added) == [{"op": "add", "path": "/layers/2", "value": {"id": "new"}}]
    removed = {"background": "#fff", "layers": layers[:1] + layers[2:]}
    assert json_patch(before, removed) == [{"op": "remove", "path": "/layers/1"}]
    moved = copy.deepcopy(before)
    moved["layers"][3]["props"]["x"] = 99
    assert json_patch(before, moved) == [{"op": "replace", "path": "/layers/3/props/x", "value": 99}]
    assert json_patch(before, before) == []
    assert json_patch({"a/b": 1, "c~": 2}, {"c~": 3}) == [
        {"op": "remove", "path": "/a~1b"},
        {"op": "replace", "path": "/c~0", "value": 3},
    ]
