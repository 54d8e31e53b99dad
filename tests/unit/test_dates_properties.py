"""Properties of procedures.dates over generated input: round trips, and ranges always in order."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procedures.dates import DateParseError, When, parse_when

TZ = "Asia/Shanghai"
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo(TZ))  # a Saturday

DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@settings(deadline=None)
@given(DATES)
def test_any_iso_date_round_trips(value: date) -> None:
    assert parse_when(value.isoformat(), now=NOW, tz=TZ) == When(value, value, None, None)


@settings(deadline=None)
@given(DATES, DATES, st.sampled_from([" to ", "-", " ~ ", "到", "至", " until "]))
def test_iso_ranges_never_end_before_they_start(a: date, b: date, sep: str) -> None:
    text = f"{a.isoformat()}{sep}{b.isoformat()}"
    if b < a:
        with pytest.raises(DateParseError) as caught:
            parse_when(text, now=NOW, tz=TZ)
        assert caught.value.code == "end_before_start"
    else:
        assert parse_when(text, now=NOW, tz=TZ) == When(a, b, None, None)


SIDES = [
    "tomorrow", "friday", "next monday", "dec 3", "12月3日下午", "下周三", "3pm", "明天上午10点",
    "周五", "下午", "dec 5 morning", "5号", "jan 2", "2小时后", "后天", "this friday", "4",
]  # fmt: skip


@settings(deadline=None, max_examples=200)
@given(
    st.sampled_from(SIDES),
    st.sampled_from(SIDES),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)),
)
def test_any_range_that_parses_is_in_order(left: str, right: str, now: datetime) -> None:
    try:
        when = parse_when(f"{left} to {right}", now=now, tz=TZ)
    except DateParseError as err:
        assert err.code in ("unrecognised", "impossible", "end_before_start", "mixed")
        return
    assert type(when.start) is type(when.end)
    assert when.start <= when.end
    if when.has_time:
        assert when.start_half is None and when.end_half is None
