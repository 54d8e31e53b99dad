"""Time ranges on one day, for meetings: "2-4pm", "下午2点到4点", "14:00-16:00", "friday 3-4pm".

`parse_time_range` reads an expression with `parse_when` (same rules, same errors) and then
insists on what a meeting needs: a time of day, and an end on the same day as the start. A
single time ("friday 3pm") lasts `default_minutes` when given, else it is refused.

`find_time_range` finds such an expression inside a longer line (`budget review friday 3-4pm
room 301 @bob`) and returns the rest of the line without it: the longest run of words the
parser reads wins, the earliest first among runs of one length. Chinese typed without spaces
(`明天下午2点到4点301会议室`) is also tried as the leading characters of a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from procedures.dates import DateParseError, parse_when

MAX_WORDS = 7  # the longest time expression anyone types ("from next friday 3pm to 4pm")
CJK = re.compile(r"[\u3400-\u9fff]")
# Words that are never part of a time: mentions, links, channel references.
_NOT_TIME = re.compile(r"^<|^@|^#|^https?://", re.I)


@dataclass(frozen=True)
class TimeRange:
    start: datetime  # aware, in the zone it was read in
    end: datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def to_json(self) -> dict[str, str | None]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def parse_time_range(
    text: str, *, now: datetime, tz: str | ZoneInfo, default_minutes: int | None = None
) -> TimeRange:
    """Read a time range on one day. Raises DateParseError: the parser's own errors, or
    `no_time` (a day without a time of day) or `not_one_day` (the end is on another day)."""
    when = parse_when(text, now=now, tz=tz)
    if not isinstance(when.start, datetime) or not isinstance(when.end, datetime):
        raise DateParseError("no_time", text.strip(), f'"{text.strip()}" has no time of day.')
    start, end = when.start, when.end
    if start == end:
        if default_minutes is None:
            raise DateParseError(
                "no_time", text.strip(), f'"{text.strip()}" gives a start but no end.'
            )
        end = start + timedelta(minutes=default_minutes)
    if end.date() != start.date():
        raise DateParseError(
            "not_one_day", text.strip(), f'"{text.strip()}" does not start and end on one day.'
        )
    return TimeRange(start, end)


def find_time_range(
    text: str, *, now: datetime, tz: str | ZoneInfo, default_minutes: int | None = None
) -> tuple[TimeRange, str]:
    """The time range inside `text`, and the text without it. Raises DateParseError
    ("unrecognised" with the whole text) when no run of words reads as one; a run that
    reads as a date but breaks a range rule (end before start, no end) is reported as such."""
    words = text.split()
    first_error: DateParseError | None = None
    for size in range(min(len(words), MAX_WORDS), 0, -1):
        for start in range(0, len(words) - size + 1):
            window = words[start : start + size]
            if any(_NOT_TIME.match(word) for word in window):
                continue
            try:
                found = parse_time_range(
                    " ".join(window), now=now, tz=tz, default_minutes=default_minutes
                )
            except DateParseError as err:
                if first_error is None and err.code != "unrecognised":
                    first_error = err
                continue
            return found, " ".join(words[:start] + words[start + size :])
    # 明天下午2点到4点301会议室: the time is the leading characters of a word.
    for index, word in enumerate(words):
        if not CJK.search(word):
            continue
        for cut in range(len(word) - 1, 1, -1):
            if word[cut - 1].isdigit() and word[cut].isdigit():
                continue  # never split a number: 4点|301会议室, not 4点30|1会议室
            try:
                found = parse_time_range(
                    word[:cut], now=now, tz=tz, default_minutes=default_minutes
                )
            except DateParseError:
                continue
            rest = [*words[:index], word[cut:], *words[index + 1 :]]
            return found, " ".join(w for w in rest if w)
    if first_error is not None:
        raise first_error
    raise DateParseError("unrecognised", text.strip()[:40])
