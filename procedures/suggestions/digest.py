"""The quarterly digest of the suggestions box: the quarter before the one it is sent in, every
suggestion with its outcome, counted (003 §3.2: improvements reviewed each quarter)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from procedures.suggestions.box import number_of
from store import suggestions_repo


@dataclass(frozen=True)
class Quarter:
    year: int
    q: int  # 1..4

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.q - 2, 1)

    @property
    def end(self) -> date:  # exclusive
        return date(self.year + 1, 1, 1) if self.q == 4 else date(self.year, 3 * self.q + 1, 1)


def previous_quarter(today: date) -> Quarter:
    q = (today.month - 1) // 3 + 1
    return Quarter(today.year - 1, 4) if q == 1 else Quarter(today.year, q - 1)


@dataclass(frozen=True)
class Entry:
    number: str
    title: str
    anonymous: bool
    submitter: str | None
    state: str
    note: str | None  # the reward or the reason


@dataclass(frozen=True)
class Digest:
    quarter: Quarter
    entries: tuple[Entry, ...]

    @property
    def counts(self) -> Counter[str]:
        return Counter(e.state for e in self.entries)


def digest(session: Session, today: date) -> Digest:
    quarter = previous_quarter(today)
    rows = suggestions_repo.submitted_between(session, quarter.start, quarter.end)
    return Digest(
        quarter,
        tuple(
            Entry(
                number_of(r),
                r.title,
                r.anonymous,
                r.submitter,
                r.state,
                r.reward or r.reason,
            )
            for r in rows
        ),
    )
