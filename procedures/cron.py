"""Crontab expressions with standard weekday numbers, on APScheduler 3's trigger.

APScheduler 3 numbers weekdays from Monday = 0, while crontab (and every operator) uses
Sunday = 0 (or 7) and Monday = 1; its `from_crontab` passes the numbers through unchanged, so
"0 9 * * 1" would fire on Tuesdays. We translate the weekday field to day names first.
"""

from __future__ import annotations

from datetime import tzinfo

from apscheduler.triggers.cron import CronTrigger

NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _day(token: str) -> int:
    token = token.strip().lower()
    if token[:3] in NAMES and not token.isdigit():
        return NAMES.index(token[:3])
    number = int(token)
    if not 0 <= number <= 7:
        raise ValueError(f"weekday {number} is out of range 0-7")
    return number % 7


def weekdays(field: str) -> str:
    """A crontab weekday field as APScheduler day names (`1-5` → `mon,tue,wed,thu,fri`)."""
    if field in ("*", "?"):
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError("a step must be at least 1")
        if span == "*":
            start, end = 0, 6
        elif "-" in span:
            low, high = span.split("-", 1)
            start, end = _day(low), _day(high)
            if high.strip() == "7":
                end = 7  # "5-7" means Friday to Sunday
        else:
            start = _day(span)
            end = 6 if step_text else start
        if end < start:
            raise ValueError(f"weekday range {span!r} runs backwards")
        days |= {day % 7 for day in range(start, end + 1, step)}
    return ",".join(NAMES[day] for day in sorted(days))


def trigger(expression: str, timezone: tzinfo | None = None) -> CronTrigger:
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError("a cron expression has five fields: minute hour day month weekday")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=weekdays(weekday),
        timezone=timezone,
    )
