"""Declared forms: what a field declaration may say, and what it may not."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from procedures.policy.forms import FieldSpec, check_fields
from tests.support.forms import OPTIONS, spec

ROOT = Path(__file__).resolve().parents[2]


# -- declarations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type", "attrs", "named"),
    [
        ("number", {"options": OPTIONS}, "options"),
        ("text", {"min": 1}, "min"),
        ("date", {"currencies": ["USD"]}, "currencies"),
        ("date", {"max_days": 3}, "max_days"),
        ("money", {"half_days": False}, "half_days"),
        ("select", {"options": OPTIONS, "link": False}, "link"),
        ("long_text", {"decimals": 1}, "decimals"),
        ("user", {"allow_past": False}, "allow_past"),
        ("number", {"max_length": 10}, "max_length"),
        ("text", {"filetypes": ["pdf"]}, "filetypes"),
    ],
)
def test_an_attribute_that_does_not_apply_to_the_type_is_refused(
    type: str, attrs: dict[str, Any], named: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        spec(type=type, **attrs)
    message = str(caught.value)
    assert named in message and f"a {type} field" in message


@pytest.mark.parametrize(
    ("type", "attrs", "expected"),
    [
        ("number", {"min": 10, "max": 1}, "min (10) is greater than max (1)"),
        ("text", {"min_length": 200}, "min_length (200) is greater than max_length (150)"),
        ("long_text", {"max_length": 5000}, "less than or equal to 3000"),
        ("number", {"min": "0.5"}, "more than decimals=0 places"),
        ("money", {"max": "10.001"}, "more than decimals=2 places"),
        ("select", {}, "needs 1 to 100 options"),
        ("select", {"options": OPTIONS * 51}, "needs 1 to 100 options"),
        ("select", {"options": [*OPTIONS, OPTIONS[0]]}, "option values used twice: annual"),
        ("select", {"options": [{"value": "a|b", "label": {"en": "A", "zh": "A"}}]}, "pattern"),
        ("select", {"options": [{"value": "a" * 151, "label": {"en": "A", "zh": "A"}}]}, "150"),
        ("money", {"currencies": ["cny"]}, "pattern"),
        ("money", {"currencies": []}, "needs 1 to 100 currencies"),
        ("money", {"currencies": ["CNY", "CNY"]}, "listed twice"),
        ("file", {"max_files": 11}, "less than or equal to 10"),
        ("file", {"filetypes": []}, "filetypes is empty"),
        ("file", {"link": False, "placeholder": {"en": "x", "zh": "x"}}, "link is false"),
        ("date_range", {"max_days": 0}, "greater than or equal to 1"),
        ("text", {"colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_inconsistent_declarations_are_refused(
    type: str, attrs: dict[str, Any], expected: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(expected)):
        spec(type=type, **attrs)


@pytest.mark.parametrize("bad_id", ["Amount", "1st", "with-dash", "a" * 41, ""])
def test_field_ids_are_lowercase_identifiers(bad_id: str) -> None:
    with pytest.raises(ValidationError):
        FieldSpec.model_validate({"id": bad_id, "type": "text", "label": {"en": "A", "zh": "A"}})


def test_defaults_and_parts() -> None:
    assert spec(type="text").text_max_length == 150
    assert spec(type="long_text").text_max_length == 3000
    assert (spec(type="number").places, spec(type="money").places) == (0, 2)
    assert spec(type="file", filetypes=[".PDF", " png"]).filetypes == ["pdf", "png"]
    assert spec(type="money").parts() == ("",)
    assert spec(type="money", currencies=["CNY", "USD"]).parts() == ("", "currency")
    assert spec(type="date_range").parts() == ("start", "start_half", "end", "end_half")
    assert spec(type="date_range", half_days=False).parts() == ("start", "end")
    assert spec(type="file").parts() == ("", "link")
    assert spec(type="file", link=False).parts() == ("",)


def test_check_fields_refuses_duplicate_ids_and_forms_too_big_for_a_modal() -> None:
    check_fields([spec("a"), spec("b")])
    with pytest.raises(ValueError, match="field ids used twice: a"):
        check_fields([spec("a"), spec("b"), spec("a")])
    with pytest.raises(ValueError, match="a Slack modal can show 90"):
        check_fields([spec(f"r{i}", "date_range") for i in range(23)])
