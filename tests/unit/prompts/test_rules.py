"""PromptCraft template rules: variables in order of first use, and rendering that names every
missing, unknown or oversized value at once."""

from __future__ import annotations

import pytest

from app.domain.prompts.entities import MAX_VALUE_LENGTH, render, variables_of
from app.domain.prompts.errors import TemplateVariables


def test_variables_are_listed_once_in_order_of_first_use() -> None:
    assert variables_of("Hi {{ name }}, {{product}} for {{name}}; {{ 9bad }} {{ok_2}}") == ["name", "product", "ok_2"]


def test_render_fills_every_occurrence() -> None:
    assert render("{{a}}-{{ a }}-{{b}}", {"a": "x", "b": "y"}) == "x-x-y"


def test_render_names_every_problem_in_one_refusal() -> None:
    with pytest.raises(TemplateVariables) as refused:
        render("{{a}} {{b}}", {"b": "y" * (MAX_VALUE_LENGTH + 1), "c": "z"})
    fields = sorted(e.field for e in refused.value.errors)
    assert fields == ["variables.a", "variables.b", "variables.c"]


def test_values_are_not_re_expanded() -> None:
    assert render("{{a}}", {"a": "{{a}}"}) == "{{a}}"  # a value that looks like a variable stays text
