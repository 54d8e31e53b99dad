"""One parser for the dates people type into Slack, in English and Chinese.

    parse_when("明天下午2点到4点", now=..., tz="Asia/Shanghai")
    parse_when("dec 1-3", now=..., tz="Asia/Shanghai")

An expression is a single day or time, or a range of two sides joined by to / through / until /
- / – / ~ / 至 / 到. Each side is parsed by a small regex grammar (`en`,
`zh`); what it does not claim in English goes to dateparser. The right side of a range
may leave out what the left gave (`dec 1-3`, `12月1日到3日`, `friday 2pm-4pm`), so partial dates
are only pinned to a calendar day here, once both sides are known.

Rules: a date without a year is the next one on or after today; at the end of a range it takes
the start's year, or the next year when the months wrap (dec 30 to jan 2). A bare weekday is the
next one after today (at the end of a range: on or after the start); `next <weekday>` / 下周X is
that day in the next calendar week (weeks start on Monday) and `this <weekday>` / 本周X / 这周X
that day in the current one, even if it has passed. "next week" / 下周 is Monday–Friday of next
week; "this week" / 本周 is today to Friday — on a Saturday or Sunday, when no working day is
left, today to Sunday. A time alone (`3pm`) is the next time the clock shows it. A Chinese hour
said without 上午/下午 (明天三点) is read as afternoon for 1–5 o'clock, as is usual in speech;
15:00-style times are taken literally. Relative times (2小时后, "in 2 hours") are counted in
elapsed time and rounded down to the minute.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from procedures.dates import en, resolve, zh
from procedures.dates.common import MAX_INPUT, Ctx, DateParseError, HalfDay, Side, apply_rules

__all__ = ["DateParseError", "HalfDay", "When", "main", "parse_when", "warm_up"]


@dataclass(frozen=True)
class When:
    start: date | datetime  # a date when no time of day was given, else an aware datetime in tz
    end: date | datetime  # == start for a single day or time; always the same type as start
    start_half: HalfDay | None  # None when a time was given or no half day was said
    end_half: HalfDay | None

    @property
    def has_time(self) -> bool:
        return isinstance(self.start, datetime)

    def to_json(self) -> dict[str, str | None]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "start_half": self.start_half,
            "end_half": self.end_half,
        }


# Order matters: each rule removes what it matched, so the more specific forms go first
# (an ISO datetime before its date, 3.30pm before 3.30-as-a-date, 3天后 before 3日 …).
_RULES = [
    *en.ISO_DATETIME,
    *zh.RELATIVE,
    *zh.MONTH_DAY,
    *en.NUMERIC,
    *zh.DAY_WORDS,
    *en.DAY_WORDS,
    *zh.WEEKS,
    *en.WEEKS,
    *en.CLOCK,
    *zh.CLOCK,
    *en.HALVES,
]
_DASHES = str.maketrans({"–": "~", "—": "~", "〜": "~", "−": "-", "‐": "-", "‑": "-"})
_SEPARATOR = re.compile(r"\s+(?:to|through|thru|until|till|til)\s+|\s*[~至到]\s*", re.I)
_HYPHEN = re.compile(r"\s*-\s*")
_ISO = re.compile(en.ISO_DATETIME_PATTERN + r"|\d{4}-\d{1,2}-\d{1,2}", re.I)
_BETWEEN = re.compile(r"between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)", re.I)
_LEAD = re.compile(r"^(?:from\s+|从|自)", re.I)
_TRIM = " ,;:、。!?！？"
_MAX_SEPARATORS = 4


def parse_when(text: str, *, now: datetime, tz: str | ZoneInfo) -> When:
    """Read one date, time, half day or range. Raises DateParseError saying what was not read."""
    try:
        return _parse_when(text, now=now, tz=tz)
    except OverflowError:  # "99999999999天后": beyond any date Python (or anyone) can mean
        raise DateParseError("impossible", text.strip()[:40]) from None


def _parse_when(text: str, *, now: datetime, tz: str | ZoneInfo) -> When:
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    local = now.astimezone(zone) if now.tzinfo is not None else now.replace(tzinfo=zone)
    ctx = Ctx(local, zone)
    raw = text.strip()
    if not raw:
        raise DateParseError("empty", "")
    if len(raw) > MAX_INPUT:
        raise DateParseError("unrecognised", raw[:40] + "…")
    # Full-width digits and punctuation become ASCII here; Chinese numerals and traditional
    # characters are folded per side, so that error messages can quote a side as typed.
    norm = " ".join(unicodedata.normalize("NFKC", raw).translate(_DASHES).split())
    norm = _LEAD.sub("", norm.strip(_TRIM))

    settled: list[DateParseError] = []  # both sides were read; the range itself is wrong
    one_sided: list[DateParseError] = []  # one side was read, the other not
    for left, right in _splits(norm):
        try:
            return _range(left, right, norm, ctx)
        except _SideError as err:
            if err.other_ok:
                one_sided.append(err.error)
        except DateParseError as err:
            settled.append(err)
    try:
        return _single(norm, ctx)
    except DateParseError as err:
        if settled:
            raise settled[0] from None
        if err.code == "unrecognised" and one_sided:
            raise one_sided[0] from None
        if err.code == "unrecognised" and err.fragment == norm:
            raise DateParseError("unrecognised", raw) from None  # quote it as typed
        raise


def _splits(text: str) -> list[tuple[str, str]]:
    """Every way of reading `text` as two sides, most likely first."""
    spans = [m.span() for m in _SEPARATOR.finditer(text)]
    isos = [m.span() for m in _ISO.finditer(text)]
    spans += [
        m.span() for m in _HYPHEN.finditer(text) if not any(a <= m.start() < b for a, b in isos)
    ]
    if len(spans) > _MAX_SEPARATORS:
        return []  # not a range anyone types, and each split would cost two dateparser calls
    pairs = [(text[:a].strip(), text[b:].strip()) for a, b in spans]
    if between := _BETWEEN.fullmatch(text):
        pairs.insert(0, (between["a"], between["b"]))
    return [(left, right) for left, right in pairs if left and right]


class _SideError(Exception):
    def __init__(self, error: DateParseError, *, other_ok: bool) -> None:
        super().__init__(str(error))
        self.error, self.other_ok = error, other_ok


def _parse_side(text: str, ctx: Ctx) -> Side:
    side = Side(text)
    folded = zh.normalise(text)
    rest = apply_rules(folded, _RULES, side, ctx)
    rest = " ".join(en.FILLER.sub(" ", zh.FILLER.sub(" ", rest)).split()).strip(_TRIM)
    if not rest:
        return side
    if loose := en.LOOSE.fullmatch(rest):
        side.loose = int(loose["n"])
        return side
    if not re.search(r"[^\W\d_]", rest):
        # Only digits and punctuation, and no numeric rule took it (9-5, 1.2.3): not a date,
        # whatever dateparser would make of it.
        raise DateParseError("unrecognised", rest if side.recognised else text)
    try:
        en.fallback(rest if side.recognised else folded, side, ctx)
    except DateParseError as err:
        if err.fragment in (folded, rest) and not side.recognised:
            raise DateParseError(err.code, text) from None  # quote the side as typed
        raise
    return side


def _single(text: str, ctx: Ctx) -> When:
    side = _parse_side(text, ctx)
    if side.loose is not None:
        if side.period is None:
            raise DateParseError("unrecognised", text if side.only_loose() else str(side.loose))
        side.set_time(side.loose, 0)  # 下午3 / "afternoon 3": the number is the hour
    resolve.finish(side)
    point = resolve.point(
        side, ctx, anchor=ctx.today, after_anchor=True, default_day=None, hm=resolve.clock(side)
    )
    return When(point.value, point.last, point.half, point.half)


def _range(left_text: str, right_text: str, whole: str, ctx: Ctx) -> When:
    sides: list[Side] = []
    errors: list[DateParseError] = []
    for text in (left_text, right_text):
        try:
            sides.append(_parse_side(text, ctx))
        except DateParseError as err:
            errors.append(err)
    if errors:
        raise _SideError(errors[0], other_ok=len(errors) == 1)
    left, right = sides
    resolve.settle_loose(left, right)
    resolve.finish(left)
    resolve.finish(right)

    left_clock, right_clock = resolve.clock(left), resolve.clock(right)
    if left_clock is not None and right_clock is not None:
        left_clock, right_clock = resolve.share_meridiem(left, right, left_clock, right_clock)
    start = resolve.point(
        left, ctx, anchor=ctx.today, after_anchor=True, default_day=None, hm=left_clock
    )
    start_day = start.value.date() if isinstance(start.value, datetime) else start.value
    own_day = right.has_calendar()
    end = resolve.point(
        right,
        ctx,
        anchor=start_day,
        after_anchor=False,
        default_day=None if own_day else start_day,
        hm=right_clock,
    )

    if isinstance(start.value, datetime) != isinstance(end.value, datetime):
        timed, untimed = left_text, right_text
        if isinstance(end.value, datetime):
            timed, untimed = right_text, left_text
        message = f'"{timed}" has a time of day but "{untimed}" does not.'
        raise DateParseError("mixed", whole, message)
    end_value = end.last
    if (
        not own_day
        and isinstance(start.value, datetime)
        and isinstance(end_value, datetime)
        and end_value < start.value
        and (right.ampm or right.period) == "am"
        and (left.ampm or left.period) in ("pm", "night")
    ):
        end_value += timedelta(days=1)  # 晚上10点到凌晨2点: the night shift ends tomorrow
    backwards = end_value < start.value
    if backwards or (end_value == start.value and start.half == "pm" and end.half == "am"):
        raise DateParseError(
            "end_before_start", whole, f'The end "{right_text}" is before the start "{left_text}".'
        )
    return When(start.value, end_value, start.half, end.half)


def warm_up() -> None:
    """Pay dateparser's cold start (about a second) at boot rather than on a user's message."""
    now = datetime.now(UTC)
    parse_when("dec 3 3pm", now=now, tz="UTC")  # "dec 3" is read by dateparser
    parse_when("下周一下午3点到5点", now=now, tz="UTC")
