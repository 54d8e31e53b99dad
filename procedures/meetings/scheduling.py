"""Scheduling a meeting (会议筹备 and 会议通知, 000 §3.2.2): a draft is checked — not in the
past, ends after it starts, has attendees, its room is free — and then becomes a meeting whose
attendees are the people named plus every member of the departments named.

Everything here runs in the caller's transaction; nothing reaches Slack."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from procedures.errors import InvalidInput
from procedures.forms import strip_controls
from store import audit, meetings_repo
from store.directory import Directory
from store.models.meetings import Meeting, MeetingAttendee

PREFIX = "MT"
TOPIC_MAX = 200
AGENDA_MAX = 30
SUBJECT = "meeting"


def number_text(number: int) -> str:
    return f"{PREFIX}-{number:04d}"


def parse_number(text: str) -> int | None:
    word = text.strip().upper()
    if word.startswith(PREFIX + "-"):
        word = word[len(PREFIX) + 1 :]
    return int(word) if word.isdigit() and len(word) <= 9 else None


@dataclass(frozen=True)
class Draft:
    """A meeting as the organiser described it, before it is checked and sent."""

    topic: str
    start: datetime
    end: datetime
    chair: str
    note_taker: str
    attendees: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    room: str | None = None  # a room id from the org file
    place: str | None = None  # free text or a call link
    agenda: tuple[str, ...] = ()
    materials: str | None = None
    channel: str | None = None
    repeat: int | None = None  # weekly on this weekday (0 = Monday): a series
    unknown: tuple[str, ...] = field(default=(), compare=False)  # names not understood

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        data.pop("unknown")
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Draft:
        values = dict(data)
        for key in ("attendees", "departments", "agenda"):
            values[key] = tuple(str(v) for v in values.get(key) or ())
        values["start"] = datetime.fromisoformat(str(values["start"]))
        values["end"] = datetime.fromisoformat(str(values["end"]))
        values.pop("unknown", None)
        return cls(**values)

    def with_(self, **changes: Any) -> Draft:
        return replace(self, **changes)


PLACE_MAX, MATERIALS_MAX, LINE_MAX = 500, 1000, 300


def clean(draft: Draft) -> Draft:
    """Typed text without control characters (PostgreSQL refuses NUL), trimmed."""

    def one(text: str | None) -> str | None:
        return " ".join(strip_controls(text).split()) or None if text is not None else None

    agenda = tuple(line for line in (one(a) for a in draft.agenda) if line)
    materials = strip_controls(draft.materials).strip() or None if draft.materials else None
    return draft.with_(
        topic=one(draft.topic) or "", place=one(draft.place), materials=materials, agenda=agenda
    )


def invited(session: Session, draft: Draft) -> list[str]:
    """Everyone the notice goes to: the people named, the departments' members, the chair
    and the note-taker; in a stable order."""
    directory = Directory(session)
    people = list(draft.attendees)
    for dept in draft.departments:
        people += directory.members(dept)
    people += [draft.chair, draft.note_taker]
    return list(dict.fromkeys(people))


def problems(
    session: Session, draft: Draft, organiser: str, now: datetime, *, other_than: int | None = None
) -> list[InvalidInput]:
    """What stops the draft from being sent, each naming its form field."""
    out: list[InvalidInput] = []
    if not draft.topic.strip():
        out.append(InvalidInput("meetings.error.no_topic", field="topic"))
    elif len(draft.topic) > TOPIC_MAX:
        out.append(InvalidInput("meetings.error.topic_long", field="topic", max=TOPIC_MAX))
    if draft.start <= now:
        out.append(InvalidInput("meetings.error.past", field="start"))
    if draft.end <= draft.start:
        out.append(InvalidInput("meetings.error.end_before_start", field="end"))
    if not [user for user in invited(session, draft) if user != organiser]:
        out.append(InvalidInput("meetings.error.no_attendees", field="attendees"))
    if len(draft.agenda) > AGENDA_MAX or any(len(line) > LINE_MAX for line in draft.agenda):
        out.append(InvalidInput("meetings.error.agenda_long", field="agenda", max=AGENDA_MAX))
    if draft.place and len(draft.place) > PLACE_MAX:
        out.append(InvalidInput("meetings.error.too_long", field="place", max=PLACE_MAX))
    if draft.materials and len(draft.materials) > MATERIALS_MAX:
        out.append(InvalidInput("meetings.error.too_long", field="materials", max=MATERIALS_MAX))
    directory = Directory(session)
    for user in (draft.chair, draft.note_taker):
        if directory.department_of(user) is None:
            field_id = "chair" if user == draft.chair else "note_taker"
            out.append(InvalidInput("meetings.error.not_in_org", field=field_id, user=user))
            break
    if draft.room is not None:
        rooms = {room.id for room in directory.rooms()}
        if draft.room not in rooms:
            out.append(InvalidInput("meetings.error.unknown_room", field="room"))
        elif draft.end > draft.start:
            taken = meetings_repo.booking(
                session, draft.room, draft.start, draft.end, other_than=other_than
            )
            if taken is not None:
                out.append(
                    InvalidInput(
                        "meetings.error.room_booked",
                        field="room",
                        number=number_text(taken.number),
                        topic=taken.topic[:80],
                        start=int(taken.starts_at.timestamp()),
                        end=int(taken.ends_at.timestamp()),
                    )
                )
    return out


def away(session: Session, draft: Draft, is_away: Callable[[str, datetime], bool]) -> list[str]:
    """Invited people who are on approved leave when the meeting starts."""
    return [user for user in invited(session, draft) if is_away(user, draft.start)]


def create(
    session: Session,
    draft: Draft,
    organiser: str,
    now: datetime,
    is_away: Callable[[str, datetime], bool],
) -> Meeting:
    """Check again (the room may have been booked since the preview) and save the meeting."""
    draft = clean(draft)
    meetings_repo.lock_schedule(session)
    found = problems(session, draft, organiser, now)
    if found:
        raise found[0]
    meeting = Meeting(
        number=meetings_repo.next_number(session),
        organiser=organiser,
        topic=draft.topic.strip(),
        starts_at=draft.start,
        ends_at=draft.end,
        room_id=draft.room,
        place=draft.place,
        chair=draft.chair,
        note_taker=draft.note_taker,
        agenda=list(draft.agenda),
        materials=draft.materials,
        channel=draft.channel,
        state="notified",
        carried=[],
        minutes_version=0,
        revision=0,
        created_at=now,
        updated_at=now,
    )
    session.add(meeting)
    session.flush()
    for user in invited(session, draft):
        session.add(
            MeetingAttendee(
                meeting_id=meeting.id,
                user_id=user,
                rsvp="pending",
                away=is_away(user, draft.start),
            )
        )
    session.flush()
    record(session, meeting, "meeting.notified", organiser, now, to_state="notified")
    return meeting


def record(
    session: Session,
    meeting: Meeting,
    action: str,
    actor: str,
    now: datetime,
    *,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    **detail: Any,
) -> None:
    audit.record(
        session,
        at=now,
        actor=actor,
        action=action,
        subject_type=SUBJECT,
        subject_id=str(meeting.id),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        detail=detail,
    )


RSVPS = ("yes", "no", "maybe")


def answer(
    session: Session, meeting_id: int, user: str, rsvp: str, reason: str | None, now: datetime
) -> Meeting:
    """An attendee's RSVP; anyone not invited is refused."""
    if rsvp not in RSVPS:
        raise InvalidInput("meetings.error.bad_rsvp")
    meeting = meetings_repo.get(session, meeting_id, for_update=True)
    if meeting is None:
        raise InvalidInput("meetings.error.not_found")
    if meeting.state != "notified":
        raise InvalidInput("meetings.error.cancelled")
    row = meetings_repo.attendee(session, meeting_id, user)
    if row is None:
        raise InvalidInput("meetings.error.not_invited")
    before = row.rsvp
    row.rsvp, row.reason, row.answered_at = rsvp, (reason or None), now
    meeting.updated_at = now
    record(session, meeting, "meeting.rsvp", user, now, from_state=before, to_state=rsvp)
    return meeting


def tally(rows: list[MeetingAttendee]) -> dict[str, int]:
    counts = {"yes": 0, "no": 0, "maybe": 0, "pending": 0}
    for row in rows:
        counts[row.rsvp if row.rsvp in counts else "pending"] += 1
    return counts


def local(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz)


def _own(session: Session, meeting_id: int, actor: str) -> Meeting:
    meeting = meetings_repo.get(session, meeting_id, for_update=True)
    if meeting is None:
        raise InvalidInput("meetings.error.not_found")
    if actor != meeting.organiser and not Directory(session).has_role(actor, "bot_admin"):
        raise InvalidInput("meetings.error.not_organiser")
    if meeting.state != "notified":
        raise InvalidInput("meetings.error.cancelled")
    return meeting


def cancel(session: Session, meeting_id: int, actor: str, now: datetime) -> Meeting:
    meeting = _own(session, meeting_id, actor)
    if meeting.ends_at <= now:
        raise InvalidInput("meetings.error.over")
    meeting.state, meeting.updated_at = "cancelled", now
    meeting.revision += 1
    record(
        session,
        meeting,
        "meeting.cancelled",
        actor,
        now,
        from_state="notified",
        to_state="cancelled",
    )
    return meeting


def move(
    session: Session, meeting_id: int, actor: str, start: datetime, end: datetime, now: datetime
) -> Meeting:
    """A new time, checked like a new meeting (its own booking aside); every RSVP is asked
    again, since an answer for the old time says nothing about the new one."""
    meetings_repo.lock_schedule(session)
    meeting = _own(session, meeting_id, actor)
    draft = Draft(
        topic=meeting.topic,
        start=start,
        end=end,
        chair=meeting.chair,
        note_taker=meeting.note_taker,
        attendees=tuple(row.user_id for row in meetings_repo.attendees(session, meeting.id)),
        room=meeting.room_id,
    )
    found = problems(session, draft, actor, now, other_than=meeting.id)
    if found:
        raise found[0]
    before = (meeting.starts_at.isoformat(), meeting.ends_at.isoformat())
    meeting.starts_at, meeting.ends_at, meeting.updated_at = start, end, now
    meeting.revision += 1
    for row in meetings_repo.attendees(session, meeting.id):
        row.rsvp, row.reason, row.answered_at = "pending", None, None
    record(
        session,
        meeting,
        "meeting.moved",
        actor,
        now,
        before=list(before),
        after=[start.isoformat(), end.isoformat()],
    )
    return meeting


def add_topic(session: Session, meeting_id: int, user: str, topic: str, now: datetime) -> Meeting:
    """Anyone invited adds an agenda item before the meeting starts."""
    meeting = meetings_repo.get(session, meeting_id, for_update=True)
    if meeting is None:
        raise InvalidInput("meetings.error.not_found")
    invited = {row.user_id for row in meetings_repo.attendees(session, meeting.id)}
    if user not in invited | {meeting.organiser}:
        raise InvalidInput("meetings.error.not_invited")
    if meeting.state != "notified":
        raise InvalidInput("meetings.error.cancelled")
    if meeting.starts_at <= now:
        raise InvalidInput("meetings.error.started")
    text = " ".join(strip_controls(topic).split())[:LINE_MAX]
    if not text:
        raise InvalidInput("meetings.error.topic_usage")
    agenda = list(meeting.agenda or [])
    if len(agenda) >= AGENDA_MAX:
        raise InvalidInput("meetings.error.agenda_long", max=AGENDA_MAX)
    meeting.agenda = [*agenda, text]
    meeting.updated_at = now
    record(session, meeting, "meeting.topic_added", user, now, topic=text)
    return meeting
