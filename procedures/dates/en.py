"""The English and numeric half of the date grammar, and the dateparser fallback
(see `procedures.dates`).

Weekdays, today/tomorrow and clock times are parsed here rather than by dateparser because its
rules differ from ours (it reads "next friday" on a Wednesday as this week's Friday, and "nov 21"
on 21 November as next year). What none of the rules claims — month names in their many
spellings, "in three days", "a week from now" — goes to dateparser, always with languages=["en"].
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from dateparser.date import DateDataParser

from procedures.dates.common import (
    Ctx,
    DateParseError,
    Period,
    Rule,
    Side,
    check_month_day,
    checked_date,
)

_I = re.IGNORECASE


def _iso_datetime(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    fragment = m.group()
    day = checked_date(int(m["y"]), int(m["mo"]), int(m["d"]), fragment)
    hour, minute, second = int(m["h"]), int(m["mi"]), int(m["s"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateParseError("impossible", fragment)
    offset = m["off"]
    zone: tzinfo
    if offset is None:
        zone = ctx.tz
    elif offset.upper() == "Z":
        zone = UTC
    else:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    moment = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
    side.set_moment(moment.astimezone(ctx.tz))


def _ampm_time(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    side.set_time(int(m["h"]), int(m["mi"] or 0), "am" if m["ap"].lower() == "a" else "pm")


def _colon_time(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    side.set_time(int(m["h"]), int(m["mi"]))


def _noon(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    side.set_time(12, 0)


def _ymd(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    side.set_day(checked_date(int(m["y"]), int(m["m"]), int(m["d"]), m.group().strip()))


def _month_day(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    month, dom, fragment = int(m["m"]), int(m["d"]), m.group().strip()
    year = m.groupdict().get("y")
    if year is None:
        check_month_day(month, dom, fragment)
        side.set_partial(month, dom)
    else:
        full = int(year) + (2000 if len(year) == 2 else 0)
        side.set_day(checked_date(full, month, dom, fragment))


_DAY_OFFSETS = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}


def _day_word(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    word = m.group().lower()
    if "after" in word:
        offset = 2
    elif "before" in word:
        offset = -2
    else:
        offset = _DAY_OFFSETS.get(word, 1)  # the remaining spellings are all "tomorrow"
    side.set_day(ctx.today + timedelta(days=offset))
    if word == "tonight":
        side.set_period("night")


def _now(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    side.set_moment(ctx.after(timedelta()))


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekday(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    which = (m["which"] or "").lower()
    offset = 1 if which == "next" else 0 if which == "this" else None
    side.set_weekday(_WEEKDAYS.index(m["day"][:3].lower()), offset)


def _week(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    words = m.group().lower()
    offset = 2 if "after" in words else 1 if words.startswith("next") else 0
    side.set_week(offset, weekend=words.endswith("weekend"))


_HALF_WORDS: dict[str, Period] = {
    "morning": "am", "afternoon": "pm", "evening": "pm", "night": "night",
}  # fmt: skip


def _half_word(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    side.set_period(_HALF_WORDS[m["w"].lower()])


def _bare_ampm(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    side.set_period("am" if m["ap"].lower() == "a" else "pm")


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _I)


_WEEKDAY_NAMES = (
    r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?"
)

# In the order `procedures.dates` runs them, interleaved with the Chinese rules.
# A UTC offset is read only in the T form, so that "2026-12-03 15:00-16:00" stays a range.
ISO_DATETIME_PATTERN = (
    r"(?<!\d)(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})(?:(?P<t>t)|\s+)(?P<h>\d{1,2}):(?P<mi>\d{2})"
    r"(?::(?P<s>\d{2})(?:\.\d+)?)?(?(t)(?P<off>z|[+-]\d{2}:?\d{2})?)(?![\d:])"
)
ISO_DATETIME: list[Rule] = [
    (_c(ISO_DATETIME_PATTERN), _iso_datetime),
    (_c(r"(?<![\d:.])(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?\s*(?P<ap>[ap])\.?m\b\.?"), _ampm_time),
]  # fmt: skip
NUMERIC: list[Rule] = [
    (_c(r"(?<![\d.])(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)"
        r"\s*[日号]?"), _ymd),
    (_c(r"(?<![\d/.])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])"), _month_day),
    # 12.3 is common in Chinese writing; "2.5 hours" must stay a duration.
    (_c(r"(?<![\d.:])(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?![\d.:])(?!\s*(?:h|min|d|w|小时|个|天|周|分))"),
     _month_day),
    (_c(r"(?<!\d)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})(?!\d)\s*[日号]?"), _month_day),
]  # fmt: skip
DAY_WORDS: list[Rule] = [
    (_c(r"\b(?:the\s+)?day\s+(?:after\s+tomorrow|before\s+yesterday)\b"
        r"|\b(?:today|tonight|tomorrow|tmrw|tmr|tmw|tomorow|tommorow|yesterday)\b"), _day_word),
    (_c(r"(?<!from\s)\b(?:right\s+)?now\b"), _now),  # not the "now" of "a week from now"
]  # fmt: skip
WEEKS: list[Rule] = [
    (_c(rf"\b(?:(?P<which>this|next|coming|this\s+coming)\s+)?(?P<day>{_WEEKDAY_NAMES})\b\.?"),
     _weekday),
    # A bare "week" is left alone: it is part of "in a week", which dateparser reads.
    (_c(r"\b(?:(?:this|next)\s+)?weekend\b|\b(?:this|next)\s+week\b"
        r"|\bthe\s+week\s+after\s+next\b"), _week),
]  # fmt: skip
CLOCK: list[Rule] = [
    (_c(r"(?<![\d:.])(?P<h>\d{1,2}):(?P<mi>\d{2})(?![\d:])"), _colon_time),
    (_c(r"\b(?:noon|midday)\b"), _noon),
]
HALVES: list[Rule] = [
    (_c(r"\b(?:(?:this|in\s+the)\s+)?(?P<w>morning|afternoon|evening|night)\b"), _half_word),
    (_c(r"(?<![\d\w])(?P<ap>[ap])\.?m\b\.?"), _bare_ampm),
]
FILLER = re.compile(r"\b(?:at|on|the|of)\b|@", _I)
LOOSE = re.compile(r"(?P<n>\d{1,2})(?:st|nd|rd|th)?", _I)

_MONTH = re.compile(r"\b(?P<m>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", _I)
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)|'\d{2}\b")
_RELATIVE = re.compile(r"\b(?:in|from\s+now|later|ago|hence)\b", _I)
_NUMBER = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?(?!\d)", _I)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _settings(ctx: Ctx) -> dict[str, Any]:
    return {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": ctx.now.replace(tzinfo=None),
        "TIMEZONE": ctx.tz.key,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "DATE_ORDER": "MDY",  # 12/3 is December 3rd
        "RETURN_TIME_AS_PERIOD": True,  # so that "in 2 hours" can be told from "in 2 days"
        "PARSERS": ["relative-time", "absolute-time"],  # no Unix timestamps
    }


def fallback(text: str, side: Side, ctx: Ctx) -> None:
    """Hand what the rules left to dateparser and record its answer on `side`."""
    if side.dated() or not text.isascii():
        raise DateParseError("unrecognised", text)
    found = DateDataParser(languages=["en"], settings=_settings(ctx)).get_date_data(text)
    parsed: datetime | None = found.date_obj
    if parsed is None:
        _raise_if_impossible(text)
        raise DateParseError("unrecognised", text)
    parsed = parsed.astimezone(ctx.tz)
    period = found.period
    side.recognised = True
    if period == "time":
        side.set_moment(parsed.replace(second=0, microsecond=0))
    elif period == "day" and _MONTH.search(text) and not _YEAR.search(text):
        # A month and day without a year: which year is decided with the rest of the range.
        side.set_partial(parsed.month, parsed.day)
    elif period in ("day", "week") or (period in ("month", "year") and _RELATIVE.search(text)):
        side.set_day(parsed.date())
    else:
        raise DateParseError("unrecognised", text)  # "dec", "2026", "the 3rd": not one day


def _raise_if_impossible(text: str) -> None:
    """dateparser gives no reason for a None; tell "feb 30" apart from gibberish."""
    month = _MONTH.search(text)
    number = _NUMBER.search(text)
    if month is None or number is None:
        return
    year = _YEAR.search(text)
    full_year = int(year.group()) if year and year.group().isdigit() else 2024  # a leap year
    index = _MONTHS.index(month["m"].lower()) + 1
    if int(number.group(1)) > calendar.monthrange(full_year, index)[1]:
        raise DateParseError("impossible", text)
