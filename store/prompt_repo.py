"""Prompt cursors and responses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from store.models import PromptCursor, PromptResponse

DONE, EXCUSED = "done", "excused"


def cursor(session: Session, prompt_id: str) -> datetime | None:
    row = session.get(PromptCursor, prompt_id)
    return row.last_occurrence_at if row else None


def advance_cursor(session: Session, prompt_id: str, to: datetime) -> None:
    row = session.get(PromptCursor, prompt_id)
    if row is None:
        session.add(PromptCursor(prompt_id=prompt_id, last_occurrence_at=to))
    elif to > row.last_occurrence_at:
        row.last_occurrence_at = to


def record(
    session: Session, prompt_id: str, period: str, user_id: str, state: str, at: datetime
) -> bool:
    """Record an answer once; False if the user had already answered this period."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(PromptResponse)
        .values(prompt_id=prompt_id, period=period, user_id=user_id, state=state, at=at)
        .on_conflict_do_nothing()
        .returning(PromptResponse.user_id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def response(session: Session, prompt_id: str, period: str, user_id: str) -> PromptResponse | None:
    return session.get(PromptResponse, (prompt_id, period, user_id))


def answered(session: Session, prompt_id: str, period: str) -> list[PromptResponse]:
    """Every response of this period, in the order they came."""
    query = (
        select(PromptResponse)
        .where(PromptResponse.prompt_id == prompt_id, PromptResponse.period == period)
        .order_by(PromptResponse.at, PromptResponse.user_id)
    )
    return list(session.scalars(query))


def locked(session: Session, prompt_id: str, period: str, user_id: str) -> PromptResponse | None:
    """The response row, locked for an update (an edit racing a review)."""
    query = (
        select(PromptResponse)
        .where(
            PromptResponse.prompt_id == prompt_id,
            PromptResponse.period == period,
            PromptResponse.user_id == user_id,
        )
        .with_for_update()
    )
    return session.scalars(query).one_or_none()


def periods(session: Session, prompt_id: str) -> list[str]:
    """The periods someone answered, newest first."""
    query = (
        select(PromptResponse.period)
        .where(PromptResponse.prompt_id == prompt_id)
        .distinct()
        .order_by(PromptResponse.period.desc())
    )
    return list(session.scalars(query))


def responses(session: Session, prompt_id: str, period: str) -> dict[str, str]:
    """Who answered this period, and how (done, or excused while on leave)."""
    query = select(PromptResponse.user_id, PromptResponse.state).where(
        PromptResponse.prompt_id == prompt_id, PromptResponse.period == period
    )
    return dict(session.execute(query).all())
