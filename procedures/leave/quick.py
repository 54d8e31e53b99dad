"""The quick path of `/leave`: `/leave annual 12月1日下午到12月3日 家里有事` → type, dates, reason.

The type is the first word (any of its names or aliases, in either language); the dates are
the longest run of words after it that the date parser reads; the rest is the reason. Chinese
is often typed without spaces (`年假明天下午`), so both the type and the dates are also tried
as leading characters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from procedures.dates import DateParseError, When, parse_when
from procedures.errors import InvalidInput
from procedures.leave.policy import LeavePolicy, LeaveType
from procedures.leave.spans import Span

CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class QuickLeave:
    type: LeaveType
    span: Span
    reason: str

    def payload(self) -> dict[str, object]:
        return {
            "type": self.type.id,
            "dates": self.span.to_payload(),
            "reason": self.reason or None,
            "handover": None,
        }


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _span(when: When) -> Span:
    # The parser says which half a day is ("明天下午": pm to pm); a span says where it starts
    # and ends: only a pm start or an am end cut a day in half.
    return Span(
        _as_date(when.start),
        _as_date(when.end),
        "pm" if when.start_half == "pm" else None,
        "am" if when.end_half == "am" else None,
    )


def _split_type(text: str, policy: LeavePolicy) -> tuple[LeaveType, str]:
    head, _, rest = text.strip().partition(" ")
    kind = policy.find(head)
    if kind is not None:
        return kind, rest.strip()
    # 年假12月1日...: Chinese runs words together, so try leading characters (not in
    # English, where "holidayz" is a typo, not "holiday" plus "z").
    sizes = range(min(len(head), 8), 0, -1) if CJK.match(head) else range(0)
    for size in sizes:
        kind = policy.find(head[:size])
        if kind is not None:
            return kind, (head[size:] + " " + rest).strip()
    raise InvalidInput("leave.error.quick_type", word=head[:30])


def _split_dates(text: str, now: datetime, tz: ZoneInfo) -> tuple[When, str]:
    words = text.split()
    for count in range(len(words), 0, -1):
        try:
            return parse_when(" ".join(words[:count]), now=now, tz=tz), " ".join(words[count:])
        except DateParseError:
            continue
    if words and CJK.search(words[0]):
        first = words[0]
        for size in range(len(first) - 1, 1, -1):
            try:
                when = parse_when(first[:size], now=now, tz=tz)
            except DateParseError:
                continue
            return when, " ".join([first[size:], *words[1:]]).strip()
    raise InvalidInput("leave.error.quick_dates", text=text[:60])


def parse_quick(text: str, policy: LeavePolicy, *, now: datetime, tz: ZoneInfo) -> QuickLeave:
    kind, rest = _split_type(text, policy)
    if not rest:
        raise InvalidInput("leave.error.quick_dates", text="")
    when, reason = _split_dates(rest, now, tz)
    return QuickLeave(kind, _span(when), reason.strip())
