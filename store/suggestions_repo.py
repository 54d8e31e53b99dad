"""Suggestions: the SQL behind procedures/suggestions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store.models.suggestions import Suggestion


def add(session: Session, row: Suggestion) -> Suggestion:
    session.add(row)
    session.flush()
    return row


def get(session: Session, suggestion_id: int) -> Suggestion | None:
    return session.get(Suggestion, suggestion_id)


def by_receipt(session: Session, receipt_hash: str) -> Suggestion | None:
    return session.scalar(select(Suggestion).where(Suggestion.receipt_hash == receipt_hash))


def decide(
    session: Session,
    suggestion_id: int,
    *,
    state: str,
    by: str,
    at: datetime,
    reward: str | None,
    reason: str | None,
) -> bool:
    """A conditional update: of two owners deciding at once, one wins."""
    statement = (
        update(Suggestion)
        .where(Suggestion.id == suggestion_id, Suggestion.state == "under_review")
        .values(state=state, decided_by=by, decided_at=at, reward=reward, reason=reason)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def set_card(session: Session, suggestion_id: int, channel: str, ts: str) -> None:
    session.execute(
        update(Suggestion)
        .where(Suggestion.id == suggestion_id)
        .values(card_channel=channel, card_ts=ts)
    )


def submitted_between(session: Session, start: date, end: date) -> list[Suggestion]:
    """Submitted on or after `start` and before `end`, in number order."""
    query = select(Suggestion).where(
        Suggestion.submitted_on >= start, Suggestion.submitted_on < end
    )
    return list(session.scalars(query.order_by(Suggestion.number)))
