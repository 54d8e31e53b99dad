"""Pinning the sides of a date expression to calendar days and clock times
(see `procedures.dates`).

A side as parsed may be partial (`3`, `12月3日`, `friday`, `4点`); which day or hour it means can
depend on the other side of a range, so these helpers take the anchor to count from.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from procedures.dates.common import (
    Ctx,
    DateParseError,
    HalfDay,
    Side,
    check_month_day,
    checked_date,
    monday_of,
    next_day_of_month,
    next_month_day,
)


def settle_loose(left: Side, right: Side) -> None:
    """Give a bare number a meaning from the other side: `dec 1-3`, `1-3 dec`, `friday 2-4pm`."""
    if left.loose is not None:
        if right.hour is not None or left.period is not None:
            left.set_time(left.loose, 0)
        elif left.only_loose() and right.day is not None:
            left.day = checked_date(right.day.year, right.day.month, left.loose, left.text)
        elif left.only_loose() and right.month is not None:
            check_month_day(right.month, left.loose, left.text)
            left.month, left.dom = right.month, left.loose
        else:
            raise DateParseError("unrecognised", left.text)
        left.loose = None
    if right.loose is not None:
        if left.has_clock() or right.period is not None:
            right.set_time(right.loose, 0)
        elif right.only_loose() and (left.day or left.dom) and 1 <= right.loose <= 31:
            right.dom = right.loose
        else:
            raise DateParseError("unrecognised", right.text)
        right.loose = None


def finish(side: Side) -> None:
    """Combine what the rules found into one consistent reading of the side."""
    if side.week is not None and side.weekday is not None and side.week_offset is None:
        # "friday next week" / 下周的周五
        side.week_offset, side.week, side.weekend = side.week, None, False
    if side.week is not None and (side.weekday is not None or side.has_clock() or side.period):
        raise side.conflict()
    if side.hour is not None:
        if side.ampm and side.period and (side.ampm == "am") != (side.period == "am"):
            raise side.conflict()  # "下午3am"
    elif side.period is not None:
        if side.moment is not None:
            raise side.conflict()
        if side.period == "noon":
            side.set_time(12, 0)  # 明天中午: a time, not a half day
        else:
            side.half = "am" if side.period == "am" else "pm"


def clock(side: Side) -> tuple[int, int] | None:
    """The side's time of day as (hour, minute) on a 24-hour clock; the hour may be 24–29
    (晚上12点, 今晚1点), meaning the small hours of the next day."""
    if side.hour is None:
        return None
    hour, minute = side.hour, side.minute
    kind = side.ampm or side.period
    if minute > 59 or hour > 24 or (side.ampm is not None and not 1 <= hour <= 12):
        raise DateParseError("impossible", side.text)
    if kind == "am":
        hour = 0 if side.ampm and hour == 12 else hour
    elif kind == "pm":
        hour = hour + 12 if hour < 12 else hour
    elif kind == "noon":
        hour = hour + 12 if 1 <= hour <= 5 else hour
    elif kind == "night":
        hour = hour + 24 if 1 <= hour <= 5 else hour + 12 if hour <= 12 else hour
    elif side.spoken_hour and 1 <= hour <= 5:
        hour += 12  # 明天三点 is a meeting at 15:00, not at 03:00
    return hour, minute


def share_meridiem(
    left: Side, right: Side, left_clock: tuple[int, int], right_clock: tuple[int, int]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """`2-4pm` is 14:00–16:00 and 下午2点到4点 ends at 16:00: an hour without am/pm borrows it."""
    left_kind, right_kind = left.ampm or left.period, right.ampm or right.period
    if left_kind is None and right_kind is not None and left.hour is not None:
        left.period = right.period
        left.ampm = right.ampm
        borrowed = clock(left)
        if borrowed is not None and borrowed <= right_clock:
            return borrowed, right_clock
        left.period, left.ampm = None, None
    if right_kind is None and not right.has_calendar() and right_clock < left_clock < (24, 0):
        later = (right_clock[0] + 12, right_clock[1])
        if right_clock[0] < 12 and later >= left_clock:
            return left_clock, later
    return left_clock, right_clock


@dataclass(frozen=True)
class Point:
    value: date | datetime
    last: date | datetime  # the Friday of a whole week; otherwise == value
    half: HalfDay | None


def point(
    side: Side,
    ctx: Ctx,
    *,
    anchor: date,
    after_anchor: bool,
    default_day: date | None,
    hm: tuple[int, int] | None,
) -> Point:
    """Where `side` falls: `anchor` is the day partial dates count from (today, or the start
    of a range); `default_day` is used when the side names no day (`4pm` in `friday 2pm-4pm`);
    `hm` is the side's clock time from `clock`."""
    if side.moment is not None:
        return Point(side.moment, side.moment, None)
    if side.week is not None:
        first, last = week_span(side, ctx)
        return Point(first, last, None)
    day = calendar_day(side, ctx, anchor=anchor, after_anchor=after_anchor) or default_day
    if hm is not None:
        if day is None:  # a time alone: the next time the clock shows it
            day = ctx.today if on_day(ctx.today, hm, ctx) >= ctx.now else ctx.today + timedelta(1)
        moment = on_day(day, hm, ctx)
        return Point(moment, moment, None)
    if day is None:
        if side.half is None:
            raise DateParseError("unrecognised", side.text)
        day = ctx.today  # "afternoon" / 下午 alone
    return Point(day, day, side.half)


def on_day(day: date, hm: tuple[int, int], ctx: Ctx) -> datetime:
    hour, minute = hm
    return datetime.combine(day + timedelta(days=hour // 24), time(hour % 24, minute), ctx.tz)


def calendar_day(side: Side, ctx: Ctx, *, anchor: date, after_anchor: bool) -> date | None:
    day: date | None = None
    if side.day is not None:
        day = side.day
    elif side.month is not None and side.dom is not None and not after_anchor:
        # The end of a range: the start's year, or the next one when the months wrap
        # (dec 30 to jan 2). "dec 3 to dec 1" stays in one year and so ends before it starts.
        year = anchor.year + (1 if side.month < anchor.month else 0)
        day = checked_date(year, side.month, side.dom, side.text)
    elif side.month is not None and side.dom is not None:
        day = next_month_day(side.month, side.dom, anchor)
    elif side.dom is not None:
        day = next_day_of_month(side.dom, anchor)
    if side.weekday is None:
        return day
    if day is not None:
        if day.weekday() != side.weekday:
            # "friday dec 3", but 3 December is a Thursday
            name = calendar.day_name[day.weekday()]
            message = f'"{side.text}": {day.isoformat()} is a {name}.'
            raise DateParseError("impossible", side.text, message)
        return day
    if side.week_offset is not None:
        return monday_of(ctx.today) + timedelta(weeks=side.week_offset, days=side.weekday)
    first = anchor + timedelta(days=1) if after_anchor else anchor
    return first + timedelta(days=(side.weekday - first.weekday()) % 7)


def week_span(side: Side, ctx: Ctx) -> tuple[date, date]:
    assert side.week is not None
    monday = monday_of(ctx.today) + timedelta(weeks=side.week)
    first, last = (monday + timedelta(5), monday + timedelta(6)) if side.weekend else (
        monday, monday + timedelta(4))  # fmt: skip
    if side.week == 0:
        first = max(first, ctx.today)  # "this week": what is left of it
        if first > last:
            last = monday + timedelta(6)  # at the weekend, no working day is left
    return first, last
