"""Shared pieces of the date parser (see `procedures.dates`): the error type, the
parsed-but-unresolved form of one side of an expression, the rule runner and a few calendar helpers.

A side is parsed by running regex rules over the text, each of which removes what it matched
and records it on a `Side`. Nothing here decides which calendar day a partial date means; that
needs the other side of a range, so it happens in `procedures.dates`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

HalfDay = Literal["am", "pm"]
ErrorCode = Literal[
    "empty", "unrecognised", "impossible", "end_before_start", "mixed", "no_time", "not_one_day"
]
# What a word such as 下午 / "evening" says about the time of day. "night" differs from "pm"
# only for 12 o'clock (晚上12点 is midnight, 下午12点 is noon).
Period = Literal["am", "pm", "noon", "night"]

MAX_INPUT = 200  # Slack messages can be long; nothing longer than this is a date


class DateParseError(ValueError):
    """An expression that is not a date; `str()` is a short English sentence for the user."""

    def __init__(self, code: ErrorCode, fragment: str, message: str | None = None) -> None:
        self.code: ErrorCode = code
        self.fragment = fragment
        super().__init__(message or _message(code, fragment))


def _message(code: ErrorCode, fragment: str) -> str:
    if code == "empty":
        return "No date was given."
    if code == "impossible":
        return f'"{fragment}" is not a real date or time.'
    return f'Could not understand "{fragment}" as a date.'


@dataclass(frozen=True)
class Ctx:
    now: datetime  # aware, already converted to tz
    tz: ZoneInfo

    @property
    def today(self) -> date:
        return self.now.date()

    def after(self, delta: timedelta) -> datetime:
        """`now + delta` as elapsed time (right across a DST change), to the minute."""
        moment = (self.now.astimezone(UTC) + delta).astimezone(self.tz)
        return moment.replace(second=0, microsecond=0)


@dataclass
class Side:
    """One side of an expression as written, before partial dates are pinned to a day."""

    text: str
    day: date | None = None  # a day the words fix on their own: 明天, 2026-12-03, 下个月5号
    month: int | None = None  # with dom: a month and day without a year
    dom: int | None = None  # day of month, alone (3号) or with `month`
    weekday: int | None = None  # 0 = Monday
    week_offset: int | None = None  # of `weekday`: None = bare, 0 = this week, 1 = next…
    week: int | None = None  # a whole week (下周 / "next week"): its offset
    weekend: bool = False  # `week` means Saturday–Sunday rather than Monday–Friday
    moment: datetime | None = None  # an exact instant: 2小时后, ISO datetime
    hour: int | None = None  # as written, before am/pm is applied
    minute: int = 0
    ampm: HalfDay | None = None  # an explicit am/pm after the hour
    period: Period | None = None  # 上午 / 下午 / "morning" …
    spoken_hour: bool = False  # 3点 rather than 15:00: a 12-hour clock, am/pm left unsaid
    half: HalfDay | None = None  # set by `finish` when a period came without an hour
    loose: int | None = None  # a bare number whose meaning depends on the other side
    recognised: bool = False  # some rule matched

    def conflict(self) -> DateParseError:
        return DateParseError("unrecognised", self.text)

    def has_calendar(self) -> bool:
        """Did the words name a day (or week) at all?"""
        fields = (self.day, self.month, self.dom, self.weekday, self.week, self.moment)
        return any(f is not None for f in fields)

    def has_clock(self) -> bool:
        return self.hour is not None or self.moment is not None

    def only_loose(self) -> bool:
        """Nothing but a bare number was read."""
        return not self.has_calendar() and not self.has_clock() and self.period is None

    def set_day(self, value: date) -> None:
        if self.dated():
            raise self.conflict()
        self.day = value

    def set_partial(self, month: int | None, dom: int) -> None:
        if self.dated():
            raise self.conflict()
        self.month, self.dom = month, dom

    def set_weekday(self, weekday: int, offset: int | None) -> None:
        if self.weekday is not None or self.moment is not None:
            raise self.conflict()
        self.weekday, self.week_offset = weekday, offset

    def set_week(self, offset: int, *, weekend: bool) -> None:
        if self.dated() or self.week is not None:
            raise self.conflict()
        self.week, self.weekend = offset, weekend

    def set_moment(self, value: datetime) -> None:
        if self.dated() or self.weekday is not None or self.has_clock():
            raise self.conflict()
        self.moment = value

    def set_time(self, hour: int, minute: int, ampm: HalfDay | None = None) -> None:
        if self.has_clock():
            raise self.conflict()
        self.hour, self.minute, self.ampm = hour, minute, ampm

    def set_period(self, period: Period) -> None:
        if self.period is not None and self.period != period:
            raise self.conflict()
        self.period = period

    def dated(self) -> bool:
        fields = (self.day, self.month, self.dom, self.moment, self.week)
        return any(f is not None for f in fields)


Handler = Callable[[re.Match[str], Side, Ctx], None]
Rule = tuple[re.Pattern[str], Handler]


def apply_rules(text: str, rules: Sequence[Rule], side: Side, ctx: Ctx) -> str:
    """Run each rule until it stops matching; return what no rule claimed."""
    for pattern, handler in rules:
        while match := pattern.search(text):
            handler(match, side, ctx)
            side.recognised = True
            # A space keeps the neighbours of the removed text from fusing into a new token.
            text = f"{text[: match.start()]} {text[match.end() :]}"
    return text


def checked_date(year: int, month: int, dom: int, fragment: str) -> date:
    try:
        return date(year, month, dom)
    except ValueError:
        raise DateParseError("impossible", fragment) from None


def check_month_day(month: int, dom: int, fragment: str) -> None:
    """Reject 2月30日 / 13/5 even when the year is not known yet (29 February may exist)."""
    if not 1 <= month <= 12 or not 1 <= dom <= calendar.monthrange(2024, month)[1]:
        raise DateParseError("impossible", fragment)


def add_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def next_month_day(month: int, dom: int, anchor: date) -> date:
    """The first `month`/`dom` on or after `anchor` (29 February may be years away)."""
    for year in range(anchor.year, anchor.year + 9):
        if dom <= calendar.monthrange(year, month)[1] and date(year, month, dom) >= anchor:
            return date(year, month, dom)
    raise AssertionError("check_month_day lets through only days that exist")


def next_day_of_month(dom: int, anchor: date) -> date:
    """The first day numbered `dom` on or after `anchor`, skipping months too short for it."""
    year, month = anchor.year, anchor.month
    for _ in range(13):
        if dom <= calendar.monthrange(year, month)[1] and date(year, month, dom) >= anchor:
            return date(year, month, dom)
        year, month = add_months(date(year, month, 1), 1)
    raise AssertionError("every day number up to 31 occurs within a year")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
