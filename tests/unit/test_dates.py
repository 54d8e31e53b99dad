"""Table-driven tests for procedures.dates: what people type, in English and Chinese, and
what it means.

Unless a row says otherwise, "now" is Saturday 2026-11-21 10:00 in Asia/Shanghai, so this week
is Mon 16 – Sun 22 November and next week Mon 23 – Sun 29 November.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from procedures.dates import DateParseError, When, parse_when, warm_up

TZ = "Asia/Shanghai"
SHANGHAI = ZoneInfo(TZ)
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=SHANGHAI)  # a Saturday

Row = tuple[str, str, str | None, str | None]  # start, end, start_half, end_half
Halves = tuple[str | None, str | None]


def _iso_day(text: str) -> str:
    return text if len(text) == 10 else f"2026-{text}"


def day(start: str, end: str | None = None, halves: Halves = (None, None)) -> Row:
    """Expected dates: "11-22" means 2026-11-22; `halves` is (start_half, end_half)."""
    return _iso_day(start), _iso_day(end or start), halves[0], halves[1]


def at(start: str, end: str | None = None) -> Row:
    """Expected times in Shanghai: "11-27 15:00" → 2026-11-27T15:00:00+08:00."""

    def iso(text: str) -> str:
        when, clock = text.split()
        full = when if len(when) == 10 else f"2026-{when}"
        return f"{full}T{clock}:00+08:00"

    return iso(start), iso(end or start), None, None


AM: Halves = ("am", "am")
PM: Halves = ("pm", "pm")

CASES: list[tuple[str, Row]] = [
    # --- English: single days ---
    ("tomorrow", day("11-22")),
    ("today", day("11-21")),
    ("Tomorrow", day("11-22")),
    ("tmrw", day("11-22")),
    ("yesterday", day("11-20")),
    ("the day after tomorrow", day("11-23")),
    ("next monday", day("11-23")),
    ("monday", day("11-23")),
    ("friday", day("11-27")),
    ("saturday", day("11-28")),  # today is Saturday: a bare weekday is the next one after today
    ("this friday", day("11-20")),  # this week's Friday, even though it has passed
    ("next friday", day("11-27")),
    ("coming friday", day("11-27")),
    ("friday next week", day("11-27")),
    ("dec 3", day("12-03")),
    ("DEC 3", day("12-03")),
    ("December 3rd", day("12-03")),
    ("3 dec", day("12-03")),
    ("3rd of december", day("12-03")),
    ("Thursday, December 3", day("12-03")),
    ("12/3", day("12-03")),  # month/day
    ("1/5", day("2027-01-05")),
    ("2026-12-03", day("12-03")),
    ("2026/12/03", day("12-03")),
    ("dec 3 2025", day("2025-12-03")),  # an explicit year is kept, even in the past
    ("12/3/2025", day("2025-12-03")),
    ("nov 21", day("11-21")),  # on or after today: today counts
    ("nov 20", day("2027-11-20")),
    ("jan 5", day("2027-01-05")),
    ("feb 29", day("2028-02-29")),
    ("in 3 days", day("11-24")),
    ("3 days from now", day("11-24")),
    ("in two weeks", day("12-05")),
    ("a week from now", day("11-28")),
    # --- English: times ---
    ("friday 3pm", at("11-27 15:00")),
    ("friday at 3:30pm", at("11-27 15:30")),
    ("3pm tomorrow", at("11-22 15:00")),
    ("tomorrow at 3 PM", at("11-22 15:00")),
    ("3 p.m. tomorrow", at("11-22 15:00")),
    ("Dec 3rd 3PM", at("12-03 15:00")),
    ("dec 3 at 15:00", at("12-03 15:00")),
    ("3pm", at("11-21 15:00")),  # a time alone: the next time the clock shows it
    ("9am", at("11-22 09:00")),
    ("15:00", at("11-21 15:00")),
    ("noon tomorrow", at("11-22 12:00")),
    ("12am tomorrow", at("11-22 00:00")),
    ("tonight 8pm", at("11-21 20:00")),
    ("in 2 hours", at("11-21 12:00")),
    ("in an hour", at("11-21 11:00")),
    ("now", at("11-21 10:00")),
    ("2026-12-03T15:00", at("12-03 15:00")),
    ("2026-12-03 15:00", at("12-03 15:00")),
    ("2026-12-03T15:00:00Z", at("12-03 23:00")),
    ("2026-12-03T15:00+09:00", at("12-03 14:00")),
    # --- English: half days ---
    ("tomorrow afternoon", day("11-22", halves=PM)),
    ("dec 5 morning", day("12-05", halves=AM)),
    ("this afternoon", day("11-21", halves=PM)),
    ("tomorrow evening", day("11-22", halves=PM)),
    ("tonight", day("11-21", halves=PM)),
    ("friday am", day("11-27", halves=AM)),
    # --- English: weeks and ranges ---
    ("next week", day("11-23", "11-27")),
    ("this week", day("11-21", "11-22")),  # at the weekend: what is left of the week
    ("next weekend", day("11-28", "11-29")),
    ("the week after next", day("11-30", "12-04")),
    ("dec 1-3", day("12-01", "12-03")),
    ("dec 1 to 3", day("12-01", "12-03")),
    ("dec 1st to 3rd", day("12-01", "12-03")),
    ("1-3 dec", day("12-01", "12-03")),
    ("dec 1 through dec 3", day("12-01", "12-03")),
    ("from dec 1 to dec 3", day("12-01", "12-03")),
    ("between dec 1 and dec 3", day("12-01", "12-03")),
    ("12/1 - 12/3", day("12-01", "12-03")),
    ("2026-12-01-2026-12-03", day("12-01", "12-03")),
    ("2026-12-01 ~ 2026-12-03", day("12-01", "12-03")),
    ("friday until monday", day("11-27", "11-30")),
    ("friday till monday", day("11-27", "11-30")),
    ("tomorrow – friday", day("11-22", "11-27")),
    ("tomorrow — friday", day("11-22", "11-27")),
    ("dec 30 to jan 2", day("12-30", "2027-01-02")),
    ("2027-12-30 to jan 2", day("2027-12-30", "2028-01-02")),
    ("tomorrow afternoon to friday morning", day("11-22", "11-27", ("pm", "am"))),
    ("friday 2pm-4pm", at("11-27 14:00", "11-27 16:00")),
    ("friday 2-4pm", at("11-27 14:00", "11-27 16:00")),
    ("friday 2pm-4", at("11-27 14:00", "11-27 16:00")),
    ("10-2pm", at("11-21 10:00", "11-21 14:00")),
    ("9am-5", at("11-22 09:00", "11-22 17:00")),
    ("2026-12-03 15:00-16:00", at("12-03 15:00", "12-03 16:00")),
    ("tomorrow 10pm to 2am", at("11-22 22:00", "11-23 02:00")),  # overnight
    # --- Chinese: single days ---
    ("明天", day("11-22")),
    ("今天", day("11-21")),
    ("后天", day("11-23")),
    ("大后天", day("11-24")),
    ("昨天", day("11-20")),
    ("下周一", day("11-23")),
    ("下星期三", day("11-25")),
    ("下週五", day("11-27")),  # traditional
    ("下礼拜二", day("11-24")),
    ("下個星期三", day("11-25")),  # traditional
    ("下下周一", day("11-30")),
    ("上周五", day("11-13")),
    ("本周五", day("11-20")),
    ("这周五", day("11-20")),
    ("這週五", day("11-20")),  # traditional
    ("周五", day("11-27")),
    ("星期五", day("11-27")),
    ("礼拜五", day("11-27")),
    ("禮拜五", day("11-27")),  # traditional
    ("周六", day("11-28")),  # today is Saturday
    ("周日", day("11-22")),
    ("星期天", day("11-22")),
    ("12月3日", day("12-03")),
    ("12月3号", day("12-03")),
    ("十二月三日", day("12-03")),
    ("十二月三號", day("12-03")),  # traditional
    ("１２月３日", day("12-03")),  # full-width digits
    ("12月31日", day("12-31")),
    ("十二月三十一日", day("12-31")),
    ("11月20日", day("2027-11-20")),
    ("2026年12月3日", day("12-03")),
    ("二〇二七年一月五日", day("2027-01-05")),
    ("明年1月5日", day("2027-01-05")),
    ("5号", day("12-05")),
    ("下个月5号", day("12-05")),
    ("下個月5號", day("12-05")),  # traditional
    ("3天后", day("11-24")),
    ("三天後", day("11-24")),  # traditional
    ("两周后", day("12-05")),
    # --- Chinese: times ---
    ("周五下午3点", at("11-27 15:00")),
    ("明天上午10点", at("11-22 10:00")),
    ("明晚8点", at("11-22 20:00")),
    ("明晚八點", at("11-22 20:00")),  # traditional
    ("后天下午3点", at("11-23 15:00")),
    ("後天下午3點", at("11-23 15:00")),  # traditional
    ("12月3日下午3点半", at("12-03 15:30")),
    ("下午三点", at("11-21 15:00")),
    ("下午3点一刻", at("11-21 15:15")),
    ("下午3:30", at("11-21 15:30")),
    ("十点半", at("11-21 10:30")),
    ("明天三点", at("11-22 15:00")),  # an hour said without 上午/下午: 1–5 o'clock is afternoon
    ("凌晨3点", at("11-22 03:00")),
    ("中午", at("11-21 12:00")),
    ("明天中午", at("11-22 12:00")),
    ("中午1点", at("11-21 13:00")),
    ("晚上12点", at("11-22 00:00")),
    ("明天 3pm", at("11-22 15:00")),
    ("2小时后", at("11-21 12:00")),
    ("兩個小時後", at("11-21 12:00")),  # traditional
    ("半小时后", at("11-21 10:30")),
    ("30分钟后", at("11-21 10:30")),
    ("现在", at("11-21 10:00")),
    # --- Chinese: half days ---
    ("上午", day("11-21", halves=AM)),
    ("下午", day("11-21", halves=PM)),
    ("晚上", day("11-21", halves=PM)),
    ("今晚", day("11-21", halves=PM)),
    ("明天上午", day("11-22", halves=AM)),
    ("明早", day("11-22", halves=AM)),
    ("下周一下午", day("11-23", halves=PM)),
    # --- Chinese: weeks and ranges ---
    ("下周", day("11-23", "11-27")),
    ("下個星期", day("11-23", "11-27")),  # traditional
    ("本周", day("11-21", "11-22")),
    ("下周末", day("11-28", "11-29")),
    ("12月1日到3日", day("12-01", "12-03")),
    ("12月1日至12月3日", day("12-01", "12-03")),
    ("12月1日-3日", day("12-01", "12-03")),
    ("12月1到3日", day("12-01", "12-03")),
    ("12月1日～12月3日", day("12-01", "12-03")),
    ("从12月1日到12月3日", day("12-01", "12-03")),
    ("12.1-12.3", day("12-01", "12-03")),
    ("12月30日到1月2日", day("12-30", "2027-01-02")),
    ("下周一至周三", day("11-23", "11-25")),
    ("下週一至週三", day("11-23", "11-25")),  # traditional
    ("下周一到下周五", day("11-23", "11-27")),
    ("明天到后天", day("11-22", "11-23")),
    ("12月1日下午到12月3日上午", day("12-01", "12-03", ("pm", "am"))),
    ("12月1日下午到12月3日", day("12-01", "12-03", ("pm", None))),
    ("下周三上午到下周五下午", day("11-25", "11-27", ("am", "pm"))),
    ("明天上午到下午", day("11-22", "11-22", ("am", "pm"))),
    ("明天下午2点到4点", at("11-22 14:00", "11-22 16:00")),
    ("明天下午兩點到四點", at("11-22 14:00", "11-22 16:00")),  # traditional
    ("下午2到4点", at("11-21 14:00", "11-21 16:00")),
    ("上午十点到十二点", at("11-21 10:00", "11-21 12:00")),
    ("三点到五点", at("11-21 15:00", "11-21 17:00")),
    ("晚上10点到凌晨2点", at("11-21 22:00", "11-22 02:00")),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_when(text: str, expected: Row) -> None:
    when = parse_when(text, now=NOW, tz=TZ)
    assert tuple(when.to_json().values()) == expected


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 80
    assert len({text for text, _ in CASES}) == len(CASES), "duplicate rows"


OTHER_NOW: list[tuple[str, str, Row]] = [
    # Friday 20 November: a bare weekday that is today means next week's.
    ("2026-11-20T10:00", "friday", day("11-27")),
    ("2026-11-20T10:00", "周五", day("11-27")),
    ("2026-11-20T10:00", "friday 3pm", at("11-27 15:00")),
    ("2026-11-20T10:00", "this friday", day("11-20")),
    ("2026-11-20T10:00", "本周五", day("11-20")),
    ("2026-11-20T10:00", "this week", day("11-20", "11-20")),
    # Wednesday 18 November: "next friday" is in the next calendar week, not in two days.
    ("2026-11-18T10:00", "next friday", day("11-27")),
    ("2026-11-18T10:00", "friday", day("11-20")),
    ("2026-11-18T10:00", "下周五", day("11-27")),
    ("2026-11-18T10:00", "this week", day("11-18", "11-20")),
    ("2026-11-18T10:00", "本周", day("11-18", "11-20")),
    # Wednesday 30 December: across the year boundary.
    ("2026-12-30T10:00", "jan 2", day("2027-01-02")),
    ("2026-12-30T10:00", "1/2", day("2027-01-02")),
    ("2026-12-30T10:00", "1月2日", day("2027-01-02")),
    ("2026-12-30T10:00", "12/30", day("12-30")),  # today
    ("2026-12-30T10:00", "12月29日", day("2027-12-29")),
    ("2026-12-30T10:00", "dec 29", day("2027-12-29")),
    ("2026-12-30T10:00", "下个月5号", day("2027-01-05")),
    ("2026-12-30T10:00", "next monday", day("2027-01-04")),
    ("2026-12-30T10:00", "下周", day("2027-01-04", "2027-01-08")),
    ("2026-12-30T10:00", "12月31日到2日", day("12-31", "2027-01-02")),
    ("2026-12-30T10:00", "3天后", day("2027-01-02")),
    # Evening: "3pm" has passed, so it is tomorrow's.
    ("2026-11-21T18:30", "3pm", at("11-22 15:00")),
    ("2026-11-21T18:30", "下午3点", at("11-22 15:00")),
    ("2026-11-21T18:47", "2小时后", at("11-21 20:47")),
    ("2026-11-21T18:47", "in 2 hours", at("11-21 20:47")),
]


@pytest.mark.parametrize(("now", "text", "expected"), OTHER_NOW)
def test_parse_when_other_now(now: str, text: str, expected: Row) -> None:
    when = parse_when(text, now=datetime.fromisoformat(now).replace(tzinfo=SHANGHAI), tz=TZ)
    assert tuple(when.to_json().values()) == expected


ERRORS: list[tuple[str, str, str]] = [  # text, code, fragment
    ("", "empty", ""),
    ("   ", "empty", ""),
    ("blorp", "unrecognised", "blorp"),
    ("next blorpday", "unrecognised", "next blorpday"),
    ("明天blorp", "unrecognised", "blorp"),
    ("blorp to friday", "unrecognised", "blorp"),
    ("friday to blorp", "unrecognised", "blorp"),
    ("3", "unrecognised", "3"),
    ("dec", "unrecognised", "dec"),
    ("9-5", "unrecognised", "9"),
    ("下周下午", "unrecognised", "下周下午"),
    ("x" * 300, "unrecognised", "x" * 40 + "…"),
    ("2026-02-30", "impossible", "2026-02-30"),
    ("2月30日", "impossible", "2月30日"),
    ("4月31日", "impossible", "4月31日"),
    ("feb 30", "impossible", "feb 30"),
    ("feb 29 2027", "impossible", "feb 29 2027"),
    ("2026-13-01", "impossible", "2026-13-01"),
    ("13/5", "impossible", "13/5"),
    ("25:00", "impossible", "25:00"),
    ("13pm", "impossible", "13pm"),
    ("friday dec 3", "impossible", "friday dec 3"),  # 3 December 2026 is a Thursday
    ("dec 3 to dec 1", "end_before_start", "dec 3 to dec 1"),
    ("明天到今天", "end_before_start", "明天到今天"),
    ("周五～下周二", "end_before_start", "周五~下周二"),  # bare 周五 is 27 Nov, 下周二 24 Nov
    ("friday 4pm-2pm", "end_before_start", "friday 4pm-2pm"),
    ("12月3日下午到12月3日上午", "end_before_start", "12月3日下午到12月3日上午"),
    ("friday 3pm to saturday", "mixed", "friday 3pm to saturday"),
    ("2小时后到明天", "mixed", "2小时后到明天"),
]


@pytest.mark.parametrize(("text", "code", "fragment"), ERRORS, ids=[e[0][:30] for e in ERRORS])
def test_errors(text: str, code: str, fragment: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, now=NOW, tz=TZ)
    assert caught.value.code == code
    assert caught.value.fragment == fragment
    if code in ("unrecognised", "impossible"):
        assert f'"{fragment}"' in str(caught.value)


def test_error_is_a_value_error_with_a_readable_message() -> None:
    with pytest.raises(ValueError, match=r'^Could not understand "blorp" as a date\.$'):
        parse_when("blorp", now=NOW, tz=TZ)


def test_when_api() -> None:
    timed = parse_when("friday 3pm", now=NOW, tz=TZ)
    assert timed.has_time
    assert timed.start == datetime(2026, 11, 27, 15, 0, tzinfo=SHANGHAI)
    assert isinstance(timed.start, datetime)
    assert timed.start.utcoffset() == timedelta(hours=8)
    assert timed.end == timed.start
    whole_days = parse_when("12月1日下午到12月3日上午", now=NOW, tz=TZ)
    assert not whole_days.has_time
    assert whole_days == When(date(2026, 12, 1), date(2026, 12, 3), "pm", "am")
    assert whole_days.to_json() == {
        "start": "2026-12-01",
        "end": "2026-12-03",
        "start_half": "pm",
        "end_half": "am",
    }


def test_now_in_another_zone_and_naive_now_and_zoneinfo_tz() -> None:
    utc_now = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    assert parse_when("明天", now=utc_now, tz=SHANGHAI).start == date(2026, 11, 22)
    late_utc = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)  # already the 21st in Shanghai
    assert parse_when("today", now=late_utc, tz=TZ).start == date(2026, 11, 21)
    naive = datetime(2026, 11, 21, 10, 0)  # read as Shanghai time
    assert parse_when("2小时后", now=naive, tz=TZ).start == datetime(
        2026, 11, 21, 12, 0, tzinfo=SHANGHAI
    )


def test_times_are_in_the_given_zone_across_dst() -> None:
    new_york = ZoneInfo("America/New_York")
    before_change = datetime(2026, 3, 8, 1, 30, tzinfo=new_york)  # clocks jump 2:00 → 3:00
    for text in ("2小时后", "in 2 hours"):
        when = parse_when(text, now=before_change, tz=new_york)
        assert isinstance(when.start, datetime)
        elapsed = when.start.astimezone(UTC) - before_change.astimezone(UTC)
        assert elapsed == timedelta(hours=2)  # elapsed time, not wall-clock
        assert when.start.utcoffset() == timedelta(hours=-4)
    assert parse_when("tomorrow 3pm", now=before_change, tz="America/New_York").to_json()[
        "start"
    ] == ("2026-03-09T15:00:00-04:00")


def test_warm_up_runs() -> None:
    warm_up()
