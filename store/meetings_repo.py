"""Queries over meetings and their attendees."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from store.models import UserProfile
from store.models.meetings import Meeting, MeetingAttendee

LIVE = ("notified",)


def get(session: Session, meeting_id: int, *, for_update: bool = False) -> Meeting | None:
    query = select(Meeting).where(Meeting.id == meeting_id)
    if for_update:
        query = query.with_for_update()
    return session.scalar(query)


def by_number(session: Session, number: int) -> Meeting | None:
    return session.scalar(select(Meeting).where(Meeting.number == number))


# Any fixed key: one lock for every change to the schedule (numbers and room bookings).
_SCHEDULE_LOCK = 0x4D54  # "MT"


def lock_schedule(session: Session) -> None:
    """Serialise meetings being created or moved until this transaction ends: checking a room is
    free and taking the next number are both read-then-write. On PostgreSQL an advisory lock;
    SQLite's writers already queue (`BEGIN IMMEDIATE`, see store.db)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEDULE_LOCK})


def next_number(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(Meeting.number), 0))) or 0) + 1


def booking(
    session: Session, room_id: str, start: datetime, end: datetime, *, other_than: int | None = None
) -> Meeting | None:
    """A live meeting in that room overlapping [start, end)."""
    query = select(Meeting).where(
        Meeting.room_id == room_id,
        Meeting.state.in_(LIVE),
        Meeting.starts_at < end,
        Meeting.ends_at > start,
    )
    if other_than is not None:
        query = query.where(Meeting.id != other_than)
    return session.scalar(query.order_by(Meeting.starts_at).limit(1))


def attendees(session: Session, meeting_id: int) -> list[MeetingAttendee]:
    query = select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting_id)
    return list(session.scalars(query.order_by(MeetingAttendee.user_id)))


def attendee(session: Session, meeting_id: int, user: str) -> MeetingAttendee | None:
    return session.get(MeetingAttendee, (meeting_id, user))


def upcoming_for(session: Session, user: str, after: datetime, limit: int = 20) -> list[Meeting]:
    """Live meetings `user` attends, organises or chairs, ending after `after`."""
    mine = select(MeetingAttendee.meeting_id).where(MeetingAttendee.user_id == user)
    query = (
        select(Meeting)
        .where(
            Meeting.state.in_(LIVE),
            Meeting.ends_at > after,
            or_(Meeting.id.in_(mine), Meeting.organiser == user, Meeting.chair == user),
        )
        .order_by(Meeting.starts_at)
        .limit(limit)
    )
    return list(session.scalars(query))


def user_by_name(session: Session, names: Sequence[str]) -> str | None:
    """A cached Slack profile whose handle is one of `names` (for `@bob` typed as text)."""
    lowered = [n.lower() for n in names if n]
    if not lowered:
        return None
    query = select(UserProfile.user_id).where(func.lower(UserProfile.name).in_(lowered))
    return session.scalar(query.limit(1))
