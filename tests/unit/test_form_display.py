"""Declared forms: stored values shown on cards, in both languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from procedures.form_display import display
from tests.support.forms import OPTIONS, spec

ROOT = Path(__file__).resolve().parents[2]


# -- display -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attrs", "value", "en", "zh"),
    [
        ({"type": "text"}, "Hi <!channel> & co", "Hi &lt;!channel&gt; &amp; co", None),
        ({"type": "number", "decimals": 1}, "12345.5", "12,345.5", "12,345.5"),
        ({"type": "money"}, {"amount": "1234.50", "currency": "CNY"}, "¥1,234.50", None),
        ({"type": "money"}, {"amount": "-3.00", "currency": "USD"}, "-US$3.00", None),
        ({"type": "money"}, {"amount": "1234.50", "currency": "EUR"}, "1,234.50 EUR", None),
        ({"type": "date"}, "2026-12-01", "1 Dec 2026", "2026年12月1日"),
        (
            {"type": "date_range"},
            {"start": "2026-12-01", "start_half": "pm", "end": "2026-12-03", "end_half": "am"},
            "1 Dec 2026 (afternoon) – 3 Dec 2026 (morning)",
            "2026年12月1日下午 至 12月3日上午",
        ),
        (
            {"type": "date_range"},
            {"start": "2026-12-30", "start_half": None, "end": "2027-01-02", "end_half": None},
            "30 Dec 2026 – 2 Jan 2027",
            "2026年12月30日 至 2027年1月2日",
        ),
        (
            {"type": "date_range"},
            {"start": "2026-12-01", "start_half": None, "end": "2026-12-01", "end_half": "am"},
            "1 Dec 2026 (morning)",
            "2026年12月1日上午",
        ),
        ({"type": "select", "options": OPTIONS}, "annual", "Annual leave", "年假"),
        ({"type": "select", "options": OPTIONS}, "gone", "gone", "gone"),
        ({"type": "user"}, "U0BOB", "<@U0BOB>", "<@U0BOB>"),
        ({"type": "channel"}, "C0GEN", "<#C0GEN>", "<#C0GEN>"),
        (
            {"type": "file"},
            {"files": [{"id": "F1", "name": "a.pdf"}, {"id": "F2", "name": ""}], "link": None},
            "a.pdf, F2",
            "a.pdf、F2",
        ),
        ({"type": "file"}, {"files": [], "link": "https://x.y/a|b"}, "<https://x.y/a%7Cb>", None),
        ({"type": "text", "required": False}, None, "—", "—"),
        ({"type": "money", "required": False}, None, "—", "—"),
        ({"type": "date"}, "not a date", "not a date", None),  # an old value: shown raw
    ],
)
def test_display_in_both_languages(
    attrs: dict[str, Any], value: Any, en: str, zh: str | None
) -> None:
    field = spec(**attrs)
    assert display(field, value, "en") == en
    assert display(field, value, "zh") == (en if zh is None else zh)
