"""Time ranges on one day (procedures/dates/ranges.py), as meetings need them: table-driven,
English and Chinese, and the same ranges found inside a `/meeting` quick-path line.

"now" is Saturday 2026-11-21 10:00 in Asia/Shanghai, as in test_dates.py.
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.dates_cli import main
from procedures.dates import DateParseError
from procedures.dates.ranges import find_time_range, parse_time_range

TZ = "Asia/Shanghai"
SHANGHAI = ZoneInfo(TZ)
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=SHANGHAI)


def at(day: str, start: str, end: str) -> tuple[datetime, datetime]:
    def one(clock: str) -> datetime:
        return datetime.fromisoformat(f"2026-{day}T{clock}:00").replace(tzinfo=SHANGHAI)

    return one(start), one(end)


RANGES: list[tuple[str, tuple[datetime, datetime]]] = [
    # English
    ("2-4pm", at("11-21", "14:00", "16:00")),
    ("2pm-4pm", at("11-21", "14:00", "16:00")),
    ("14:00-16:00", at("11-21", "14:00", "16:00")),
    ("14:00–16:00", at("11-21", "14:00", "16:00")),  # an en dash
    ("friday 3-4pm", at("11-27", "15:00", "16:00")),
    ("tomorrow 14:00-16:00", at("11-22", "14:00", "16:00")),
    ("tomorrow 9-9:30am", at("11-22", "09:00", "09:30")),
    ("11am-1pm", at("11-21", "11:00", "13:00")),
    ("between 2 and 4pm", at("11-21", "14:00", "16:00")),
    ("dec 3 10am to 11:30am", at("12-03", "10:00", "11:30")),
    # Chinese
    ("下午2点到4点", at("11-21", "14:00", "16:00")),
    ("明天下午2点到4点", at("11-22", "14:00", "16:00")),
    ("明天下午两点到四点", at("11-22", "14:00", "16:00")),
    ("2点到4点", at("11-21", "14:00", "16:00")),  # 1–5 o'clock unsaid is the afternoon
    ("下午2点-4点", at("11-21", "14:00", "16:00")),
    ("周五下午3点到4点半", at("11-27", "15:00", "16:30")),
    ("明天14:00-16:00", at("11-22", "14:00", "16:00")),
    ("12月3日上午9点至11点", at("12-03", "09:00", "11:00")),
    ("下周一上午10点到11点", at("11-23", "10:00", "11:00")),
    ("明天下午２点到４点", at("11-22", "14:00", "16:00")),  # full-width digits
]


@pytest.mark.parametrize(("text", "expected"), RANGES)
def test_time_ranges(text: str, expected: tuple[datetime, datetime]) -> None:
    found = parse_time_range(text, now=NOW, tz=TZ)
    assert (found.start, found.end) == expected
    assert found.minutes == int((expected[1] - expected[0]).total_seconds() // 60)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("tomorrow", "no_time"),
        ("明天", "no_time"),
        ("下周一至周三", "no_time"),
        ("friday 3pm", "no_time"),  # a start without an end, and no default length
        ("明天下午3点", "no_time"),
        ("tomorrow 10pm to 2am", "not_one_day"),
        ("12月3日下午2点到12月4日3点", "not_one_day"),
        ("4pm-2pm", "end_before_start"),
        ("下午4点到下午2点", "end_before_start"),
        ("blorp", "unrecognised"),
        ("", "empty"),
    ],
)
def test_refused(text: str, code: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_time_range(text, now=NOW, tz=TZ)
    assert caught.value.code == code
    assert str(caught.value)  # a sentence for the user


def test_a_single_time_lasts_the_default_length() -> None:
    found = parse_time_range("friday 3pm", now=NOW, tz=TZ, default_minutes=60)
    assert (found.start, found.end) == at("11-27", "15:00", "16:00")
    found = parse_time_range("明天上午10点", now=NOW, tz=TZ, default_minutes=30)
    assert (found.start, found.end) == at("11-22", "10:00", "10:30")


@pytest.mark.parametrize(
    ("line", "expected", "rest"),
    [
        (
            "明天下午2点到4点 301会议室 Q4预算评审 @bob @carol",
            at("11-22", "14:00", "16:00"),
            "301会议室 Q4预算评审 @bob @carol",
        ),
        (
            "budget review friday 3-4pm room 301 @bob",
            at("11-27", "15:00", "16:00"),
            "budget review room 301 @bob",
        ),
        # Chinese without spaces: the time is the leading characters, and a number is never
        # split (4点|301会议室, not 4点30|1会议室).
        (
            "明天下午2点到4点301会议室 Q4预算评审",
            at("11-22", "14:00", "16:00"),
            "301会议室 Q4预算评审",
        ),
        (
            "standup tomorrow 9-9:30am https://zoom.us/j/1",
            at("11-22", "09:00", "09:30"),
            "standup https://zoom.us/j/1",
        ),
        ("<@U123> 2-4pm sync", at("11-21", "14:00", "16:00"), "<@U123> sync"),
    ],
)
def test_found_in_a_line(line: str, expected: tuple[datetime, datetime], rest: str) -> None:
    found, left = find_time_range(line, now=NOW, tz=TZ)
    assert (found.start, found.end) == expected
    assert left == rest


def test_nothing_found_in_a_line() -> None:
    with pytest.raises(DateParseError) as caught:
        find_time_range("budget review room 301", now=NOW, tz=TZ)
    assert caught.value.code == "unrecognised"
    with pytest.raises(DateParseError) as caught:
        find_time_range("budget review friday 3pm", now=NOW, tz=TZ)
    assert caught.value.code == "no_time"  # a time was said, but not how long


def test_cli_time_range() -> None:
    out = io.StringIO()
    argv = ["-", "--now", "2026-11-21T10:00:00+08:00", "--time-range"]
    assert main(argv, stdin=io.StringIO("下午2点到4点\n明天\n"), stdout=out) == 1
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first == {"start": "2026-11-21T14:00:00+08:00", "end": "2026-11-21T16:00:00+08:00"}
    assert "error" in second and "time of day" in second["error"]
