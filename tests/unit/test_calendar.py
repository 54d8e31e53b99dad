"""Working days with China's public holidays and make-up working days (调休上班)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from procedures.calendar import calendar_for
from procedures.leave.spans import Span

CN = calendar_for("CN")


@pytest.mark.parametrize(
    ("start", "end", "halves", "expected"),
    [
        # Spring Festival 2026: 15-23 Feb off; Saturdays 14 and 28 Feb are make-up working days.
        ("2026-02-09", "2026-02-13", (None, None), "5"),
        ("2026-02-14", "2026-02-14", (None, None), "1"),  # a Saturday, but a working day
        ("2026-02-15", "2026-02-23", (None, None), "0"),  # the whole holiday
        ("2026-02-13", "2026-02-24", (None, None), "3"),  # Fri 13, Sat 14, Tue 24
        ("2026-02-27", "2026-03-02", (None, None), "3"),  # Fri 27, Sat 28 (make-up), Mon 2
        # National Day 2026: 1-7 Oct off; Sun 20 Sep and Sat 10 Oct are make-up days.
        ("2026-09-20", "2026-09-20", (None, None), "1"),
        ("2026-09-28", "2026-10-09", (None, None), "5"),  # Mon 28 - Wed 30, Thu 8, Fri 9
        ("2026-10-01", "2026-10-07", (None, None), "0"),
        ("2026-10-10", "2026-10-10", ("pm", None), "0.5"),  # afternoon of a make-up Saturday
        # Halves: start in the afternoon, end at noon.
        ("2026-12-01", "2026-12-03", ("pm", None), "2.5"),
        ("2026-12-01", "2026-12-03", ("pm", "am"), "2"),
        ("2026-12-01", "2026-12-01", (None, "am"), "0.5"),
        ("2026-12-05", "2026-12-06", (None, None), "0"),  # a weekend
    ],
)
def test_working_days(
    start: str, end: str, halves: tuple[str | None, str | None], expected: str
) -> None:
    span = Span(date.fromisoformat(start), date.fromisoformat(end), halves[0], halves[1])  # type: ignore[arg-type]
    assert span.working_days(CN) == Decimal(expected)


def test_another_country_has_other_holidays() -> None:
    hong_kong = calendar_for("HK")
    assert not hong_kong.is_working_day(date(2026, 12, 25))
    assert CN.is_working_day(date(2026, 12, 25))


def test_working_hours_skip_nights_weekends_and_holidays() -> None:
    tz = ZoneInfo("Asia/Shanghai")
    friday = datetime(2026, 2, 13, 17, 0, tzinfo=tz)
    assert CN.add_working_hours(friday, 2, tz) == datetime(2026, 2, 14, 10, 0, tzinfo=tz)
    before_national_day = datetime(2026, 9, 30, 17, 0, tzinfo=tz)
    assert CN.add_working_hours(before_national_day, 8, tz) == datetime(
        2026, 10, 8, 16, 0, tzinfo=tz
    )


def test_spans_overlap_by_half_days() -> None:
    morning = Span(date(2026, 12, 1), date(2026, 12, 1), None, "am")
    afternoon = Span(date(2026, 12, 1), date(2026, 12, 1), "pm", None)
    whole = Span(date(2026, 12, 1), date(2026, 12, 2))
    assert not morning.overlaps(afternoon)
    assert whole.overlaps(morning) and whole.overlaps(afternoon)
    assert afternoon.covers(date(2026, 12, 1), 1) and not afternoon.covers(date(2026, 12, 1), 0)


def test_a_span_is_cut_at_new_year_keeping_its_halves() -> None:
    span = Span(date(2026, 12, 30), date(2027, 1, 4), "pm", "am")
    first, second = span.by_year()
    assert first == Span(date(2026, 12, 30), date(2026, 12, 31), "pm", None)
    assert second == Span(date(2027, 1, 1), date(2027, 1, 4), None, "am")
    # 30 Dec afternoon + 31 Dec; 1 January is a holiday, 4 January morning.
    assert (first.working_days(CN), second.working_days(CN)) == (Decimal("1.5"), Decimal("0.5"))
    assert Span(date(2026, 12, 1), date(2026, 12, 3)).by_year() == [
        Span(date(2026, 12, 1), date(2026, 12, 3))
    ]
    assert span.in_year(2028) is None
