"""Meetings (会议): the meeting as scheduled and its attendees with their RSVPs and notice
messages. Minutes and action items are cases of the task engine (procedures `minutes` and
`meeting_action`), linked back by the meeting's number in their payload."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import JSONType, UTCDateTime

BIGID = BigInteger().with_variant(Integer, "sqlite")
USER = String(32)


class MeetingSeries(Base):
    """A regular meeting (部门例会): weekly on one weekday at one time; each occurrence is a
    Meeting, set when the one before it has ended."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    organiser: Mapped[str] = mapped_column(USER)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    template: Mapped[dict[str, Any]] = mapped_column(JSONType)  # the first occurrence's draft
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_room_time", "room_id", "starts_at"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    organiser: Mapped[str] = mapped_column(USER)
    topic: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    room_id: Mapped[str | None] = mapped_column(String(64))  # a room from the org file
    place: Mapped[str | None] = mapped_column(Text)  # free text or a call link
    chair: Mapped[str] = mapped_column(USER)
    note_taker: Mapped[str] = mapped_column(USER)
    agenda: Mapped[list[Any]] = mapped_column(JSONType, default=list)  # lines, as typed
    materials: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))  # notified, cancelled
    series_id: Mapped[int | None] = mapped_column(BIGID, ForeignKey("meeting_series.id"))
    # Open action items of the series when this occurrence was set (number, task, owner, due).
    carried: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    minutes_version: Mapped[int] = mapped_column(Integer, default=0)  # approved versions
    # Counts moves and cancellations: the .ics SEQUENCE, and the key of each change's jobs
    # (two changes in one second must not share them).
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # The organiser's copy of the notice with the live RSVP tally.
    tally_channel: Mapped[str | None] = mapped_column(String(32))
    tally_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MeetingAttendee(Base):
    __tablename__ = "meeting_attendees"

    meeting_id: Mapped[int] = mapped_column(
        BIGID, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(USER, primary_key=True)
    rsvp: Mapped[str] = mapped_column(String(12), default="pending")  # yes, no, maybe
    reason: Mapped[str | None] = mapped_column(Text)
    away: Mapped[bool] = mapped_column(Boolean, default=False)  # on leave when it was sent
    dm_channel: Mapped[str | None] = mapped_column(String(32))
    dm_ts: Mapped[str | None] = mapped_column(String(32))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
