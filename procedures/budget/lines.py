"""A department's budget lines for a year, each with the amount it opened with and its
approved adjustments, for `/procedo budget`; and who may look."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from procedures.policy import Policy
from store import budget_repo, requests_repo
from store.directory import Directory


@dataclass(frozen=True)
class Adjustment:
    number: str | None  # BA-0003
    amount: Decimal


@dataclass(frozen=True)
class Line:
    name: str
    currency: str
    opening: Decimal
    adjustments: tuple[Adjustment, ...]

    @property
    def amount(self) -> Decimal:
        return self.opening + sum((a.amount for a in self.adjustments), Decimal(0))


def may_see(session: Session, user: str, department: str, is_bot_admin: bool) -> bool:
    """Its members and head, its director, finance, bot admins."""
    directory = Directory(session)
    if is_bot_admin or directory.has_role(user, "finance"):
        return True
    dept = directory.department(department)
    if dept is None:
        return False
    return user in (dept.head, dept.director) or user in directory.members(department)


def lines(session: Session, policy: Policy, department: str, year: int) -> list[Line]:
    spec = policy.procedure("budget")
    grouped: dict[str, list[budget_repo.BudgetEntry]] = {}
    for entry in budget_repo.entries(session, department, year):
        grouped.setdefault(entry.line, []).append(entry)
    out = []
    for name, entries in grouped.items():
        opening = sum((e.amount for e in entries if e.kind == "opening"), Decimal(0))
        adjustments = []
        for e in entries:
            if e.kind != "adjustment":
                continue
            request = requests_repo.get(session, e.request_id) if e.request_id else None
            number = f"{spec.prefix}-{request.number:04d}" if spec and request else None
            adjustments.append(Adjustment(number, Decimal(e.amount)))
        out.append(Line(name, entries[0].currency, Decimal(opening), tuple(adjustments)))
    return out
