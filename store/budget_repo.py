"""The budget ledger: the SQL behind procedures/budget."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from store.models.budget import BudgetEntry

__all__ = ["BudgetEntry", "add", "balance", "entries", "normal"]


def normal(line: str) -> str:
    """A line as stored and matched: its words, single-spaced."""
    return " ".join(line.split())


def balance(session: Session, department: str, year: int, line: str) -> Decimal | None:
    """The line's amount now; None if the line has no entry that year."""
    query = select(func.sum(BudgetEntry.amount), func.count()).where(
        BudgetEntry.department == department,
        BudgetEntry.year == year,
        BudgetEntry.line == normal(line),
    )
    total, count = session.execute(query).one()
    return Decimal(total) if count else None


def add(
    session: Session,
    *,
    department: str,
    year: int,
    line: str,
    kind: str,
    amount: Decimal,
    currency: str,
    request_id: int | None,
    key: str,
    at: datetime,
) -> None:
    """Once per key: a replayed approval adds nothing."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(BudgetEntry)
        .values(
            department=department,
            year=year,
            line=normal(line),
            kind=kind,
            amount=amount,
            currency=currency,
            request_id=request_id,
            key=key,
            at=at,
        )
        .on_conflict_do_nothing(index_elements=["key"])
    )


def entries(session: Session, department: str, year: int) -> list[BudgetEntry]:
    query = select(BudgetEntry).where(
        BudgetEntry.department == department, BudgetEntry.year == year
    )
    return list(session.scalars(query.order_by(BudgetEntry.line, BudgetEntry.id)))
