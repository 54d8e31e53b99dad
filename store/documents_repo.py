"""Document numbers and circulation reads: the SQL behind procedures/documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from store.models.documents import DocumentRead, DocumentRecord, DocumentSequence


def _insert(session: Session) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def next_seq(session: Session, doc_type: str, year: int) -> int:
    """The next sequence number of a type in a year. The UPDATE locks the row until commit, so
    concurrent numberings queue on it on PostgreSQL; a rolled-back one gives its number back."""
    insert = _insert(session)
    session.execute(
        insert(DocumentSequence)
        .values(doc_type=doc_type, year=year, last=0)
        .on_conflict_do_nothing()
    )
    statement = (
        update(DocumentSequence)
        .where(DocumentSequence.doc_type == doc_type, DocumentSequence.year == year)
        .values(last=DocumentSequence.last + 1)
        .returning(DocumentSequence.last)
    )
    return int(session.execute(statement).scalar_one())


def record(session: Session, row: DocumentRecord) -> None:
    session.add(row)
    session.flush()


def record_of(session: Session, request_id: int) -> DocumentRecord | None:
    return session.get(DocumentRecord, request_id)


def circulate(session: Session, request_id: int, users: list[str], now: datetime) -> list[str]:
    """Add the audience; returns those not circulated to before."""
    insert = _insert(session)
    added = []
    for user in users:
        statement = (
            insert(DocumentRead)
            .values(request_id=request_id, user_id=user, circulated_at=now, read_at=None)
            .on_conflict_do_nothing()
            .returning(DocumentRead.user_id)
        )
        if session.execute(statement).scalar_one_or_none() is not None:
            added.append(user)
    return added


def mark_read(session: Session, request_id: int, user: str, now: datetime) -> bool:
    """True the first time; a second click (or a race of two) changes nothing."""
    statement = (
        update(DocumentRead)
        .where(
            DocumentRead.request_id == request_id,
            DocumentRead.user_id == user,
            DocumentRead.read_at.is_(None),
        )
        .values(read_at=now)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def reads(session: Session, request_id: int) -> list[DocumentRead]:
    query = select(DocumentRead).where(DocumentRead.request_id == request_id)
    return list(session.scalars(query.order_by(DocumentRead.circulated_at, DocumentRead.user_id)))


def tally(session: Session, request_id: int) -> tuple[int, int]:
    """(read, circulated)."""
    query = select(func.count(DocumentRead.read_at), func.count()).where(
        DocumentRead.request_id == request_id
    )
    read, total = session.execute(query).one()
    return int(read), int(total)
