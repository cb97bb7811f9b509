"""The edge's input rules on raw bytes (the HTTP and websocket paths both call `check_json`)."""

from __future__ import annotations

import pytest

from app.entrypoints.http.input_guard import MAX_JSON_DEPTH, InputRefused, check_json


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (b'{"a": "x\\u0000"}', "validation-error", "a"),
        (b'{"a": [{"b": "\\u0000"}]}', "validation-error", "a[0].b"),
        (b'{"k\\u0000": 1}', "validation-error", "k\x00"),
        (b'{"n": 9223372036854775808}', "validation-error", "n"),
        (b'{"n": -9223372036854775809}', "validation-error", "n"),
        (b"[" * 2000 + b"]" * 2000, "json-too-deep", None),
        (b'{"a":' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1), "json-too-deep", None),
    ],
)
def test_refused(body: bytes, code: str, field: str | None) -> None:
    with pytest.raises(InputRefused) as refused:
        check_json(body)
    assert refused.value.code == code
    if field is not None:
        assert refused.value.errors[0][0] == field


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": "fine"}',
        b'{"n": 9223372036854775807}',
        b'{"s": "9223372036854775808"}',
        b"not json",
        b'{"a":' * 30 + b"1" + b"}" * 30,
    ],
)
def test_accepted_or_left_to_the_handler(body: bytes) -> None:
    check_json(body)
