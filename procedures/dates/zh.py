"""The Chinese half of the date grammar (see `procedures.dates`).

dateparser has no useful Chinese support (下周一 → nothing, 12月3日 → the year 2112), so these
forms are parsed here. Text is first folded to simplified characters and Arabic digits, which
lets every rule below be written once.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date, timedelta

from procedures.dates.common import (
    Ctx,
    Period,
    Rule,
    Side,
    add_months,
    checked_date,
)

# Only characters that occur in date expressions; a full converter would be a dependency.
_TRADITIONAL = str.maketrans(
    {
        "週": "周", "號": "号", "後": "后", "個": "个", "點": "点", "禮": "礼", "時": "时",
        "鐘": "钟", "兩": "两", "這": "这", "從": "从", "間": "间", "頭": "头", "兒": "儿",
        "於": "于", "開": "开", "現": "现",
    }
)  # fmt: skip
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip
_NUMERAL = re.compile("[零〇一二两三四五六七八九十]+")
# 周五十点 is "Friday 10:00", not "周50点": the weekday digit is converted on its own first.
_WEEKDAY_NUMERAL = re.compile("(周|星期|礼拜)([一二三四五六七])")


def _numeral_value(numeral: str) -> int | None:
    if "十" not in numeral:
        return int("".join(str(_DIGITS[c]) for c in numeral))  # 二〇二六 → 2026
    tens, _, ones = numeral.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None  # not a number below 100; leave it for the error message
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def _numeral(match: re.Match[str]) -> str:
    value = _numeral_value(match.group())
    return match.group() if value is None else str(value)


def normalise(text: str) -> str:
    """Traditional → simplified for date words, Chinese numerals → Arabic digits."""
    text = text.translate(_TRADITIONAL)
    text = _WEEKDAY_NUMERAL.sub(lambda m: m.group(1) + str(_DIGITS[m.group(2)]), text)
    return _NUMERAL.sub(_numeral, text)


_AFTER = "(?:以后|之后|后)"
_WEEK = "(?:周|星期|礼拜)"
_OFFSETS = {"上上": -2, "上": -1, "本": 0, "这": 0, "下": 1, "下下": 2}
_PREFIX = "(?P<p>上上|上|下下|下|本|这)个?"


def _offset(prefix: str | None) -> int | None:
    return None if prefix is None else _OFFSETS[prefix]


def _days_later(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    n = int(m["n"])
    days = n if m["u"] in ("天", "日") else 7 * n
    side.set_day(ctx.today + timedelta(days=days))


def _months_later(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    year, month = add_months(ctx.today, int(m["n"]))
    # 1月31日 + 1个月: February has no 31st, so it is its last day.
    dom = min(ctx.today.day, calendar.monthrange(year, month)[1])
    side.set_day(date(year, month, dom))


def _hours_later(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    minutes = 60 * int(m["n"] or 0) + (30 if m["half"] or m["only"] else 0)
    side.set_moment(ctx.after(timedelta(minutes=minutes)))


def _minutes_later(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    side.set_moment(ctx.after(timedelta(minutes=int(m["n"]))))


def _month_relative(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    year, month = add_months(ctx.today, _OFFSETS[m["p"]])
    side.set_day(checked_date(year, month, int(m["d"]), m.group()))


def _year_relative(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    year = ctx.today.year + {"去年": -1, "今年": 0, "明年": 1}[m["y"]]
    side.set_day(checked_date(year, int(m["m"]), int(m["d"]), m.group()))


_DAY_WORDS: dict[str, tuple[int, Period | None]] = {
    "大后天": (3, None), "后天": (2, None), "明天": (1, None), "明日": (1, None),
    "明儿": (1, None), "今天": (0, None), "今日": (0, None), "今儿": (0, None),
    "昨天": (-1, None), "昨日": (-1, None), "大前天": (-3, None), "前天": (-2, None),
    "明早": (1, "am"), "明晨": (1, "am"), "明晚": (1, "night"), "今早": (0, "am"),
    "今晨": (0, "am"), "今晚": (0, "night"), "今夜": (0, "night"), "昨晚": (-1, "night"),
}  # fmt: skip


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))  # longest first: 大后天 before 后天


def _day_word(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    offset, period = _DAY_WORDS[m.group()]
    side.set_day(ctx.today + timedelta(days=offset))
    if period is not None:
        side.set_period(period)


def _now(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    side.set_moment(ctx.after(timedelta()))


def _weekday(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    day = m["d"]
    side.set_weekday(6 if day in "日天7" else int(day) - 1, _offset(m["p"]))


def _whole_week(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    side.set_week(_offset(m["p"]) or 0, weekend=bool(m["end"] or m["end2"]))


def _day_of_month(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    dom = int(m["d"])
    if not 1 <= dom <= 31:
        raise side.conflict()
    side.set_partial(None, dom)


def _clock(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    if m["half"]:
        minute = 30
    elif m["q"]:
        minute = 15 * int(m["q"])
    else:
        minute = int(m["m"] or 0)
    side.set_time(int(m["h"]), minute)
    side.spoken_hour = True


_PERIODS: dict[str, Period] = {
    "凌晨": "am", "清晨": "am", "早晨": "am", "早上": "am", "上午": "am", "早": "am",
    "中午": "noon", "晌午": "noon",
    "下午": "pm", "午后": "pm", "傍晚": "pm",
    "晚上": "night", "晚间": "night", "夜里": "night", "夜间": "night", "夜晚": "night",
    "晚": "night",
}  # fmt: skip


def _period(m: re.Match[str], side: Side, ctx: Ctx) -> None:
    side.set_period(_PERIODS[m.group()])


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# In the order `procedures.dates` runs them, interleaved with the English and numeric rules.
RELATIVE: list[Rule] = [
    (_c(rf"(?P<n>\d+)\s*个?\s*(?P<u>天|日|周|星期|礼拜)\s*{_AFTER}"), _days_later),
    (_c(rf"(?P<n>\d+)\s*个月\s*{_AFTER}"), _months_later),
    (
        _c(rf"(?:(?P<n>\d+)\s*个?(?P<half>半)?|(?P<only>半))\s*个?\s*(?:小时|钟头){_AFTER}"),
        _hours_later,
    ),
    (_c(rf"(?P<n>\d+)\s*分钟\s*{_AFTER}"), _minutes_later),
    (_c("现在|此刻|马上"), _now),
]
MONTH_DAY: list[Rule] = [
    (_c(r"(?P<p>上|下下|下|本|这)个?月\s*(?P<d>\d{1,2})\s*[日号]"), _month_relative),
    (_c(r"(?P<y>去年|今年|明年)\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"), _year_relative),
]
DAY_WORDS: list[Rule] = [(_c(_alternation(_DAY_WORDS)), _day_word)]
WEEKS: list[Rule] = [
    (_c(rf"(?:{_PREFIX})?{_WEEK}\s*(?P<d>[1-7日天])"), _weekday),
    (_c(rf"{_PREFIX}{_WEEK}(?P<end>末)?|(?P<end2>周末)"), _whole_week),
    (_c(r"(?<![\d.])(?P<d>\d{1,2})\s*[日号]"), _day_of_month),
]
CLOCK: list[Rule] = [
    # 3点, 3点钟, 3点半, 3点一刻, 3点05分, 3时, 3点整
    (
        _c(
            r"(?P<h>\d{1,2})\s*(?:点钟?|时)"
            r"(?:\s*(?:(?P<half>半)|(?P<q>[13])\s*刻|(?P<m>\d{1,2})\s*分?))?整?"
        ),
        _clock,
    ),
    (_c(_alternation(_PERIODS)), _period),
]
# Words that join a date expression together without changing it.
FILLER = re.compile("的|从|自|起|开始|在|于")
