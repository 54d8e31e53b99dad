"""Declared forms: validation and normalization, type by type."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from procedures.forms import FieldError, payload_model, validate
from slackui.i18n import LANGUAGES, catalog, translate
from tests.support.forms import OPTIONS, TODAY, one, spec

ROOT = Path(__file__).resolve().parents[2]


# -- validation, type by type ------------------------------------------------------------


def err(key: str, part: str = "", **params: str) -> FieldError:
    return FieldError("x", f"form.error.{key}", params, part)


def cny(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "CNY"}


GOOD: list[tuple[dict[str, Any], Any, Any]] = [
    # (declaration, raw value, normalized)
    ({"type": "text"}, "  Trip to Beijing ", "Trip to Beijing"),
    ({"type": "long_text"}, "line 1\nline 2\n", "line 1\nline 2"),
    ({"type": "text", "required": False}, "   ", None),
    ({"type": "number"}, "12", "12"),
    ({"type": "number", "decimals": 2}, "12.50", "12.5"),
    ({"type": "number", "decimals": 1}, 3, "3"),
    ({"type": "number"}, "1,200", "1200"),
    ({"type": "number"}, "１２", "12"),  # fullwidth digits, as a Chinese IME types them
    ({"type": "number", "required": False}, None, None),
    ({"type": "money"}, {"amount": "1234.5", "currency": "CNY"}, cny("1234.50")),
    ({"type": "money"}, {"amount": "99", "currency": None}, cny("99.00")),
    ({"type": "money"}, "88.8", cny("88.80")),
    (
        {"type": "money", "currencies": ["USD", "CNY"]},
        {"amount": 5},
        {"amount": "5.00", "currency": "USD"},
    ),
    ({"type": "money", "decimals": 0}, {"amount": "100"}, cny("100")),
    ({"type": "money", "required": False}, {"amount": None, "currency": "CNY"}, None),
    ({"type": "date"}, "2026-12-01", "2026-12-01"),
    ({"type": "date"}, date(2020, 1, 1), "2020-01-01"),
    ({"type": "date", "allow_past": False}, "2026-11-20", "2026-11-20"),
    (
        {"type": "date_range"},
        {"start": "2026-12-01", "start_half": "pm", "end": "2026-12-03", "end_half": "am"},
        {"start": "2026-12-01", "start_half": "pm", "end": "2026-12-03", "end_half": "am"},
    ),
    (
        {"type": "date_range"},  # a morning start and an evening end are whole days
        {"start": "2026-12-01", "start_half": "am", "end": "2026-12-01", "end_half": "day"},
        {"start": "2026-12-01", "start_half": None, "end": "2026-12-01", "end_half": None},
    ),
    (
        {"type": "date_range", "max_days": 3},  # a morning only
        {"start": "2026-12-01", "end": "2026-12-03", "end_half": "am"},
        {"start": "2026-12-01", "start_half": None, "end": "2026-12-03", "end_half": "am"},
    ),
    ({"type": "date_range", "required": False}, {"start": None, "end": None}, None),
    ({"type": "select", "options": OPTIONS}, "sick", "sick"),
    ({"type": "select", "options": OPTIONS}, "年假", "annual"),  # a quick path gives the label
    ({"type": "select", "options": OPTIONS}, {"value": "annual", "text": {}}, "annual"),
    ({"type": "user"}, "U0BOB", "U0BOB"),
    ({"type": "user"}, "<@U0BOB|bob>", "U0BOB"),
    ({"type": "channel"}, "<#C0GEN|general>", "C0GEN"),
    ({"type": "channel"}, "G0SECRET", "G0SECRET"),
    (
        {"type": "file"},
        {"files": [{"id": "F1", "name": "a.pdf", "mimetype": "application/pdf"}], "link": ""},
        {"files": [{"id": "F1", "name": "a.pdf"}], "link": None},
    ),
    (
        {"type": "file"},
        {"files": [], "link": " https://drive.example.com/x "},
        {"files": [], "link": "https://drive.example.com/x"},
    ),
    ({"type": "file"}, "https://example.com/a", {"files": [], "link": "https://example.com/a"}),
    ({"type": "file", "required": False}, {"files": [], "link": None}, None),
]
BAD: list[tuple[dict[str, Any], Any, FieldError]] = [
    ({"type": "text"}, None, err("required")),
    ({"type": "text"}, "  ", err("required")),
    ({"type": "text", "max_length": 5}, "abcdef", err("too_long", max_length="5")),
    ({"type": "text", "min_length": 3}, "ab", err("too_short", min_length="3")),
    ({"type": "long_text"}, "x" * 3001, err("too_long", max_length="3000")),
    ({"type": "text"}, 12, err("invalid")),
    ({"type": "number"}, "twelve", err("not_a_number")),
    ({"type": "number"}, "nan", err("not_a_number")),
    ({"type": "number"}, "12.5", err("whole_number")),
    ({"type": "number", "decimals": 1}, "1.25", err("decimals", decimals="1")),
    ({"type": "number", "min": 1}, "0", err("min", min="1")),
    ({"type": "number", "max": "2.5", "decimals": 1}, "3", err("max", max="2.5")),
    ({"type": "money"}, {"amount": None, "currency": "CNY"}, err("required")),
    ({"type": "money"}, {"amount": "1.234"}, err("decimals", decimals="2")),
    ({"type": "money", "min": 0}, {"amount": "-5"}, err("min", min="0")),
    ({"type": "money", "max": 50000}, "50000.01", err("max", max="50000")),
    ({"type": "money"}, {"amount": "1e40"}, err("invalid")),
    (
        {"type": "money", "currencies": ["CNY", "USD"]},
        {"amount": "5", "currency": "EUR"},
        err("currency", "currency"),
    ),
    ({"type": "money"}, {"amount": "5", "currency": "USD"}, err("currency")),
    ({"type": "date"}, "2026-02-30", err("date")),
    ({"type": "date", "allow_past": False}, "2026-11-19", err("in_past")),
    ({"type": "date_range"}, {"start": None, "end": None}, err("required", "start")),
    (
        {"type": "date_range"},
        {"start": "2026-12-01", "end": None},
        err("required", "end"),
    ),
    (
        {"type": "date_range"},
        {"start": "2026-12-03", "end": "2026-12-01"},
        err("end_before_start", "end"),
    ),
    (
        {"type": "date_range"},
        {"start": "2026-12-01", "start_half": "pm", "end": "2026-12-01", "end_half": "am"},
        err("half_same_day", "end_half"),
    ),
    (
        {"type": "date_range", "max_days": 5},
        {"start": "2026-12-01", "end": "2026-12-06"},
        err("too_many_days", "end", max_days="5"),
    ),
    (
        {"type": "date_range", "allow_past": False},
        {"start": "2026-11-19", "end": "2026-11-21"},
        err("in_past", "start"),
    ),
    (
        {"type": "date_range", "half_days": False},
        {"start": "2026-12-01", "start_half": "pm", "end": "2026-12-02"},
        err("half_days_off", "start"),
    ),
    (
        {"type": "date_range"},
        {"start": "2026-12-01", "start_half": "evening", "end": "2026-12-02"},
        err("invalid", "start_half"),
    ),
    ({"type": "select", "options": OPTIONS}, "maternity", err("option")),
    ({"type": "user"}, "bob", err("user")),
    ({"type": "channel"}, "#general", err("channel")),
    ({"type": "file"}, {"files": [], "link": None}, err("file_or_link")),
    ({"type": "file", "link": False}, {"files": []}, err("required")),
    ({"type": "file"}, {"files": [], "link": "ftp://x/y"}, err("link", "link")),
    ({"type": "file"}, {"link": "javascript:alert(1)"}, err("link", "link")),
    ({"type": "file"}, {"link": "see drive"}, err("link", "link")),
    (
        {"type": "file", "link": False},
        {"files": [], "link": "https://x.y"},
        err("link_not_allowed"),
    ),
    (
        {"type": "file", "max_files": 1},
        {"files": [{"id": "F1", "name": "a"}, {"id": "F2", "name": "b"}]},
        err("too_many_files", max_files="1"),
    ),
    (
        {"type": "file", "filetypes": ["pdf"]},
        {"files": [{"id": "F1", "name": "a.exe"}]},
        err("filetype", filetypes="pdf"),
    ),
]


@pytest.mark.parametrize(("attrs", "raw", "expected"), GOOD)
def test_good_values_are_normalized(attrs: dict[str, Any], raw: Any, expected: Any) -> None:
    field = spec(**attrs)
    assert one(field, raw) == expected
    # What was stored validates again to the same thing (a stored request, a resubmission).
    assert one(field, expected) == expected


@pytest.mark.parametrize(("attrs", "raw", "expected"), BAD)
def test_bad_values_give_one_error_with_a_catalog_key(
    attrs: dict[str, Any], raw: Any, expected: FieldError
) -> None:
    error = one(spec(**attrs), raw)
    assert error == expected
    for lang in LANGUAGES:  # the message exists and takes exactly these params
        text = translate(lang, error.key, **error.params)
        assert "{" not in text


def test_all_errors_come_back_at_once_and_nothing_is_stored() -> None:
    fields = [spec("a"), spec("b", "number", max=5), spec("c", "date", required=False)]
    payload, errors = validate(fields, {"b": "9", "c": "nope"}, today=TODAY)
    assert payload == {}
    assert [(e.field, e.key) for e in errors] == [
        ("a", "form.error.required"),
        ("b", "form.error.max"),
        ("c", "form.error.date"),
    ]


def test_payload_has_every_field_and_ignores_unknown_keys() -> None:
    fields = [spec("a"), spec("b", required=False), spec("json", required=False)]
    payload, errors = validate(fields, {"a": "x", "z": "?", "json": "ok"}, today=TODAY)
    assert errors == []
    assert payload == {"a": "x", "b": None, "json": "ok"}  # `json` is a BaseModel method name


def test_payload_model_is_a_pydantic_model_with_the_limits() -> None:
    model = payload_model([spec("amount", "money", max=100)])
    assert model is payload_model([spec("amount", "money", max=100)])  # built once
    with pytest.raises(ValidationError) as caught:
        model.model_validate({"amount": {"amount": "101"}})
    assert caught.value.errors()[0]["type"] == "less_than_equal"
    assert model.model_validate({"amount": "5"}).model_dump(mode="json", by_alias=True) == {
        "amount": {"amount": "5.00", "currency": "CNY"}
    }


@given(
    st.decimals(min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=2),
    st.sampled_from(["CNY", "USD"]),
)
def test_money_normalization_is_idempotent(amount: Decimal, currency: str) -> None:
    field = spec("amount", "money", currencies=["CNY", "USD"])
    first = one(field, {"amount": str(amount), "currency": currency})
    assert first == {"amount": str(amount.quantize(Decimal("0.01"))), "currency": currency}
    assert one(field, first) == first


def test_every_error_key_the_code_names_is_in_the_catalog() -> None:
    keys: set[str] = set()
    for path in ("procedures/forms.py", "slackui/views/forms.py"):
        text = (ROOT / path).read_text(encoding="utf-8")
        keys |= set(re.findall(r"""["'](form\.[a-z_]+(?:\.[a-z_]+)*)["']""", text))
    assert keys, "the pattern found nothing"
    # Keys the view builds with f-strings, for the date range's parts and half-day choices.
    built = {f"form.range.{part}" for part in ("start", "start_half", "end", "end_half")}
    built |= {f"form.half.{side}" for side in ("start.day", "start.pm", "end.day", "end.am")}
    missing = sorted((keys | built) - set(catalog()))
    assert not missing


def test_control_characters_are_dropped_alike_on_every_database() -> None:
    from tests.support.forms import one, spec

    assert one(spec("note", "long_text"), "a\x00b\x07c\nd\te\x7f") == "abc\nd\te"
