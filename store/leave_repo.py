"""The leave ledger and the leave requests it is about."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from store.models import LeaveEntry, Request


def add(
    session: Session,
    *,
    user: str,
    leave_type: str,
    year: int,
    kind: str,
    days: Decimal,
    on: date,
    key: str,
    at: datetime,
    request_id: int | None = None,
    note: str | None = None,
) -> bool:
    """Add an entry unless one with `key` exists (a grant per year, a deduction per request)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(LeaveEntry)
        .values(
            user_id=user,
            leave_type=leave_type,
            year=year,
            kind=kind,
            days=days,
            on=on,
            key=key,
            at=at,
            request_id=request_id,
            note=note,
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(LeaveEntry.id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def entries(session: Session, user: str, year: int) -> list[LeaveEntry]:
    query = (
        select(LeaveEntry)
        .where(LeaveEntry.user_id == user, LeaveEntry.year == year)
        .order_by(LeaveEntry.on, LeaveEntry.id)
    )
    return list(session.scalars(query))


def has_year(session: Session, user: str, year: int) -> bool:
    query = (
        select(func.count())
        .select_from(LeaveEntry)
        .where(LeaveEntry.user_id == user, LeaveEntry.year == year)
    )
    return bool(session.scalar(query))


def leave_requests(
    session: Session, procedure: str, users: Iterable[str], states: Iterable[str]
) -> list[Request]:
    query = (
        select(Request)
        .where(
            Request.procedure == procedure,
            Request.requester.in_(list(users)),
            Request.state.in_(list(states)),
        )
        .order_by(Request.id)
    )
    return list(session.scalars(query))
