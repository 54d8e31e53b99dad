"""The monthly attendance report (regulations.md §1: department heads report attendance to HR
monthly): per person, the working days of leave by type in the month, and pending requests."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from procedures import spreadsheet
from procedures.calendar import WorkCalendar
from procedures.leave import queries
from procedures.leave.hooks import show_days
from procedures.leave.policy import LeavePolicy
from procedures.leave.spans import Span
from procedures.policy import Policy


@dataclass
class PersonMonth:
    user: str
    days: dict[str, Decimal] = field(default_factory=dict)  # leave type -> working days
    pending: int = 0

    @property
    def total(self) -> Decimal:
        return sum(self.days.values(), Decimal(0))


def month_bounds(month: str) -> tuple[date, date]:
    """ "2026-11" → 1 and 30 November 2026."""
    first = date.fromisoformat(f"{month}-01")
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return first, last


def month_report(
    session: Session,
    policy: Policy,
    members: Sequence[str],
    month: str,
    calendar_of: Callable[[str], WorkCalendar],
) -> list[PersonMonth]:
    first, last = month_bounds(month)
    window = Span(first, last)
    rows = {user: PersonMonth(user) for user in members}
    for leave in queries.leaves(session, policy, members, queries.ON):
        part = leave.span.clip(first, last)
        if part is None:
            continue
        row = rows[leave.user]
        days = part.working_days(calendar_of(leave.user))
        if days:
            row.days[leave.type] = row.days.get(leave.type, Decimal(0)) + days
    for leave in queries.leaves(session, policy, members, ["pending"]):
        if leave.span.overlaps(window):
            rows[leave.user].pending += 1
    return [rows[user] for user in members]


def to_csv(
    rows: Sequence[PersonMonth], policy: Policy, names: Mapping[str, str], lang: str
) -> bytes:
    """A CSV that opens cleanly in Excel (UTF-8 with a byte-order mark, for Chinese names)."""
    types = policy.section(LeavePolicy).types
    zh = lang == "zh"
    return spreadsheet.to_csv(
        [
            "员工" if zh else "Person",
            "Slack ID",
            *(t.name.zh if zh else t.name.en for t in types),
            "合计" if zh else "Total",
            "审批中" if zh else "Pending requests",
        ],
        (
            [
                names.get(row.user, row.user),
                row.user,
                *(show_days(row.days.get(t.id, Decimal(0))) for t in types),
                show_days(row.total),
                row.pending,
            ]
            for row in rows
        ),
    )
