"""A leave's dates as half-day slots: overlaps, "is this person out then", days in a month,
the part in each year."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from procedures.calendar import WorkCalendar

HalfDay = Literal["am", "pm"]
AM, PM = 0, 1  # the two slots of a day


@dataclass(frozen=True)
class Span:
    """From `start` (its afternoon only when start_half is "pm") to `end` (its morning only
    when end_half is "am")."""

    start: date
    end: date
    start_half: HalfDay | None = None
    end_half: HalfDay | None = None

    @classmethod
    def from_payload(cls, value: Mapping[str, Any]) -> Span:
        return cls(
            start=date.fromisoformat(value["start"]),
            end=date.fromisoformat(value["end"]),
            start_half=value.get("start_half"),
            end_half=value.get("end_half"),
        )

    def to_payload(self) -> dict[str, str | None]:
        return {
            "start": self.start.isoformat(),
            "start_half": self.start_half,
            "end": self.end.isoformat(),
            "end_half": self.end_half,
        }

    @property
    def first_slot(self) -> tuple[date, int]:
        return (self.start, PM if self.start_half == "pm" else AM)

    @property
    def last_slot(self) -> tuple[date, int]:
        return (self.end, AM if self.end_half == "am" else PM)

    @property
    def has_half(self) -> bool:
        return self.start_half == "pm" or self.end_half == "am"

    def overlaps(self, other: Span) -> bool:
        return self.first_slot <= other.last_slot and other.first_slot <= self.last_slot

    def covers(self, day: date, slot: int | None = None) -> bool:
        """Out on `day` (in that half, or in any part of it when `slot` is None)."""
        if slot is None:
            return self.first_slot <= (day, PM) and (day, AM) <= self.last_slot
        return self.first_slot <= (day, slot) <= self.last_slot

    def clip(self, first: date, last: date) -> Span | None:
        """The part of the span between two dates (inclusive), or None."""
        if self.end < first or self.start > last:
            return None
        start, start_half = (self.start, self.start_half) if self.start >= first else (first, None)
        end, end_half = (self.end, self.end_half) if self.end <= last else (last, None)
        return Span(start, end, start_half, end_half)

    def by_year(self) -> list[Span]:
        """The span cut at each New Year: balances are per calendar year, so a leave from
        30 December to 4 January is charged partly to each year."""
        return [
            part
            for year in range(self.start.year, self.end.year + 1)
            if (part := self.in_year(year)) is not None
        ]

    def in_year(self, year: int) -> Span | None:
        return self.clip(date(year, 1, 1), date(year, 12, 31))

    def working_days(self, calendar: WorkCalendar) -> Decimal:
        return calendar.count(self.start, self.end, self.start_half, self.end_half)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]
