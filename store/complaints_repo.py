"""Complaints: the SQL behind procedures/complaints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store.models.complaints import Complaint


def add(session: Session, row: Complaint) -> Complaint:
    session.add(row)
    session.flush()
    return row


def get(session: Session, complaint_id: int) -> Complaint | None:
    return session.get(Complaint, complaint_id)


def by_number(session: Session, number: int) -> Complaint | None:
    return session.scalar(select(Complaint).where(Complaint.number == number))


def advance(session: Session, complaint_id: int, *, from_state: str, **values: Any) -> bool:
    """A conditional update: the step happens only from `from_state`, so of two people
    recording the same step at once one wins and the other is told."""
    statement = (
        update(Complaint)
        .where(Complaint.id == complaint_id, Complaint.state == from_state)
        .values(**values)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def mark(session: Session, complaint_id: int, **values: Any) -> None:
    session.execute(update(Complaint).where(Complaint.id == complaint_id).values(**values))


def received_between(session: Session, start: datetime, end: datetime) -> list[Complaint]:
    """Received at or after `start` and before `end`, in number order."""
    query = select(Complaint).where(Complaint.received_at >= start, Complaint.received_at < end)
    return list(session.scalars(query.order_by(Complaint.number)))
