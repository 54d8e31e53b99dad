"""Regular meetings (部门例会, 002 §4.2): a weekly series whose next occurrence is set once the
one before has ended, on the calendar's working days (a holiday is skipped, or moved to the
next working day, by policy; a make-up working day counts as working), with the series' open
action items carried forward onto its agenda until they are done.

Written `/meeting every monday 10-11am …` or `/meeting 每周一上午10点到11点 …`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from procedures.calendar import WorkCalendar
from procedures.errors import InvalidInput
from procedures.meetings import scheduling
from procedures.meetings.scheduling import Draft, parse_number
from store import meetings_repo, requests_repo
from store.models.meetings import Meeting, MeetingSeries

ACTION = "meeting_action"
EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ZH_DAYS = "一二三四五六日"
EVERY_EN = re.compile(r"\bevery\s+(" + "|".join(d[:3] + r"[a-z]*" for d in EN_DAYS) + r")\b", re.I)
EVERY_ZH = re.compile(r"每(?:周|星期|礼拜)([一二三四五六日天])")
MAX_SKIPS = 8  # weeks in a row of holidays before a series gives up looking


def split_every(text: str) -> tuple[int | None, str]:
    """`every monday 10-11am` → (0, `monday 10-11am`): the weekday, and the text with the
    first occurrence's day left for the date parser."""
    if found := EVERY_EN.search(text):
        word = found.group(1).lower()
        day = next(i for i, name in enumerate(EN_DAYS) if name.startswith(word[:3]))
        return day, text[: found.start()] + EN_DAYS[day] + text[found.end() :]
    if found := EVERY_ZH.search(text):
        char = found.group(1).replace("天", "日")
        return ZH_DAYS.index(char), text[: found.start()] + "周" + char + text[found.end() :]
    return None, text


def next_day(calendar: WorkCalendar, after: date, weekday: int, mode: str) -> date | None:
    """The next occurrence's day after `after`: that weekday next week, skipped or moved
    when it is not a working day."""
    probe = after + timedelta(days=(weekday - after.weekday()) % 7 or 7)
    for _ in range(MAX_SKIPS):
        if calendar.is_working_day(probe):
            return probe
        if mode == "next":
            return calendar.next_working_day(probe)
        probe += timedelta(days=7)
    return None


def create(session: Session, draft: Draft, weekday: int, organiser: str, now: datetime) -> int:
    if draft.start.weekday() != weekday:
        raise InvalidInput("meetings.error.series_day")
    series = MeetingSeries(
        organiser=organiser,
        weekday=weekday,
        template=draft.to_json(),
        active=True,
        created_at=now,
    )
    session.add(series)
    session.flush()
    return series.id


def occurrences(session: Session, series_id: int) -> list[Meeting]:
    query = select(Meeting).where(Meeting.series_id == series_id).order_by(Meeting.starts_at)
    return list(session.scalars(query))


def due_series(session: Session, now: datetime) -> list[MeetingSeries]:
    """Active series with no live occurrence still to come."""
    out = []
    for series in session.scalars(select(MeetingSeries).where(MeetingSeries.active)):
        meetings = occurrences(session, series.id)
        if not any(m.state == "notified" and m.ends_at > now for m in meetings):
            out.append(series)
    return out


def carried(session: Session, series_id: int) -> list[dict[str, Any]]:
    """The series' action items still open, oldest first."""
    numbers = {m.number for m in occurrences(session, series_id)}
    items = []
    for case in requests_repo.open_of(session, ACTION):
        payload = case.payload or {}
        if parse_number(str(payload.get("meeting") or "")) in numbers:
            items.append(
                {
                    "number": case.number,
                    "task": str(payload.get("task") or "")[:300],
                    "owner": str(payload.get("owner") or ""),
                    "due": str(payload.get("due") or ""),
                    "meeting": str(payload.get("meeting") or ""),
                }
            )
    return items


def next_occurrence(
    session: Session,
    series: MeetingSeries,
    *,
    now: datetime,
    tz: ZoneInfo,
    calendar: WorkCalendar,
    mode: str,
    is_away: Callable[[str, datetime], bool],
) -> Meeting | None:
    """Set the next occurrence (its notice is the caller's); None when the calendar has no
    working day for it soon. A room booked meanwhile is dropped, not the meeting."""
    template = Draft.from_json(series.template)
    meetings = occurrences(session, series.id)
    last = meetings[-1].starts_at.astimezone(tz) if meetings else template.start.astimezone(tz)
    day = next_day(calendar, max(last.date(), now.astimezone(tz).date()), series.weekday, mode)
    if day is None:
        return None
    first = template.start.astimezone(tz)
    start = datetime.combine(day, first.timetz().replace(tzinfo=None), tz)
    draft = template.with_(start=start, end=start + (template.end - template.start))
    if draft.room and meetings_repo.booking(session, draft.room, draft.start, draft.end):
        draft = draft.with_(room=None)
    meeting = scheduling.create(session, draft, series.organiser, now, is_away)
    meeting.series_id = series.id
    meeting.carried = carried(session, series.id)
    return meeting


def refresh_next(session: Session, meeting: Meeting) -> Meeting | None:
    """After `meeting`'s minutes filed new items: the series' next live occurrence carries
    them too. Returns it, so the caller can refresh its notices."""
    if meeting.series_id is None:
        return None
    later = [
        m
        for m in occurrences(session, meeting.series_id)
        if m.state == "notified" and m.starts_at > meeting.starts_at
    ]
    if not later:
        return None
    later[0].carried = carried(session, meeting.series_id)
    return later[0]


def end(session: Session, meeting: Meeting, actor: str, now: datetime) -> None:
    """No occurrence after this one: the series stops (its open items stay open)."""
    if meeting.series_id is None:
        raise InvalidInput("meetings.error.not_series")
    row = session.get(MeetingSeries, meeting.series_id)
    if row is not None and row.active:
        row.active = False
        scheduling.record(session, meeting, "meeting.series_ended", actor, now)
