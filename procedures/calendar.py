"""Working days and working hours, by country.

Public holidays and the make-up working days on weekends (China's 调休上班) come from the
`holidays` package, which knows both: `is_working_day` is false on a holiday and true on a
weekend that is a make-up working day.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

HalfDay = Literal["am", "pm"]
HALF = Decimal("0.5")
ONE = Decimal(1)


class WorkCalendar:
    """One country's working days; working hours are `day_start`..`day_end` local time."""

    def __init__(
        self, country: str, *, day_start: time = time(9), day_end: time = time(18)
    ) -> None:
        self.country = country.upper()
        self.day_start, self.day_end = day_start, day_end
        self._holidays = holidays.country_holidays(self.country)
        # `holidays` fills in years lazily on lookup; one lock keeps that safe across threads.
        self._lock = threading.Lock()

    def is_working_day(self, day: date) -> bool:
        with self._lock:
            return bool(self._holidays.is_working_day(day))

    def holiday_name(self, day: date) -> str | None:
        with self._lock:
            name = self._holidays.get(day)
        return str(name) if name else None

    def working_days(self, start: date, end: date) -> list[date]:
        days, day = [], start
        while day <= end:
            if self.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def count(
        self,
        start: date,
        end: date,
        start_half: HalfDay | None = None,
        end_half: HalfDay | None = None,
    ) -> Decimal:
        """Working days from `start` to `end` inclusive, in halves.

        Starting in the afternoon (`start_half="pm"`) takes half of the first day; ending in the
        morning (`end_half="am"`) takes half of the last. On a single day, am→am or pm→pm is a
        half day; a range that ends before it starts counts nothing.
        """
        if end < start:
            return Decimal(0)
        if start == end:
            if not self.is_working_day(start):
                return Decimal(0)
            if start_half == "pm" and end_half == "am":
                return Decimal(0)
            return HALF if start_half == "pm" or end_half == "am" else ONE
        total = Decimal(len(self.working_days(start, end)))
        if start_half == "pm" and self.is_working_day(start):
            total -= HALF
        if end_half == "am" and self.is_working_day(end):
            total -= HALF
        return total

    def next_working_day(self, day: date, *, include_today: bool = False) -> date:
        probe = day if include_today else day + timedelta(days=1)
        while not self.is_working_day(probe):
            probe += timedelta(days=1)
        return probe

    def add_working_days(self, day: date, count: int) -> date:
        probe = day
        for _ in range(count):
            probe = self.next_working_day(probe)
        return probe

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start)."""
        return len(self.working_days(start + timedelta(days=1), end)) if end > start else 0

    def add_working_hours(self, at: datetime, hours: float, tz: ZoneInfo) -> datetime:
        """The instant `hours` of working time after `at`, counting only working hours."""
        remaining = timedelta(hours=hours)
        local = at.astimezone(tz)
        while True:
            day = local.date()
            opens = datetime.combine(day, self.day_start, tz)
            closes = datetime.combine(day, self.day_end, tz)
            if not self.is_working_day(day) or local >= closes:
                local = datetime.combine(self.next_working_day(day), self.day_start, tz)
                continue
            local = max(local, opens)
            available = closes - local
            if remaining <= available:
                return local + remaining
            remaining -= available
            local = closes


@lru_cache(maxsize=32)
def calendar_for(country: str) -> WorkCalendar:
    return WorkCalendar(country)
