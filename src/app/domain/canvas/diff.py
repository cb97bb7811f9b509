"""JSON Patch (RFC 6902) between two canvas states: the operations that turn `before` into `after`.

Objects are compared key by key; arrays (layers, group children) keep their common head and tail and
change only the middle, so adding, removing or editing one layer is a short patch, not a rewrite."""

from __future__ import annotations

from typing import Any


def _pointer(path: str, token: str | int) -> str:
    # RFC 6901: "~" and "/" in a key are escaped as "~0" and "~1".
    return f"{path}/{str(token).replace('~', '~0').replace('/', '~1')}"


def json_patch(before: Any, after: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    _diff(before, after, "", out)
    return out


def _same_kind(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b)
    return (isinstance(a, dict) and isinstance(b, dict)) or (isinstance(a, list) and isinstance(b, list))


def _diff(a: Any, b: Any, path: str, out: list[dict[str, Any]]) -> None:
    if a == b and type(a) is type(b):
        return
    if not _same_kind(a, b) or not isinstance(a, dict | list):
        out.append({"op": "replace", "path": path, "value": b})
    elif isinstance(a, dict):
        for key in a:
            if key not in b:
                out.append({"op": "remove", "path": _pointer(path, key)})
        for key, value in b.items():
            if key in a:
                _diff(a[key], value, _pointer(path, key), out)
            else:
                out.append({"op": "add", "path": _pointer(path, key), "value": value})
    else:
        _diff_list(a, b, path, out)


def _diff_list(a: list[Any], b: list[Any], path: str, out: list[dict[str, Any]]) -> None:
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    common = min(end_a, end_b) - start
    for i in range(start, start + common):
        _diff(a[i], b[i], _pointer(path, i), out)
    # Extra items of `before` go from the highest index down, so each index is still where it was.
    for i in range(end_a - 1, start + common - 1, -1):
        out.append({"op": "remove", "path": _pointer(path, i)})
    for i in range(start + common, end_b):
        out.append({"op": "add", "path": _pointer(path, i), "value": b[i]})
