"""The meeting's deliveries, each a job committed with the change that caused it: the notice
to each attendee (with its .ics), the organiser's live tally, the channel copy, reminders
before the meeting, the note-taker's prompt after it and the reminder if minutes are late, and
the approved minutes to every attendee."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from handlers.deps import Deps
from handlers.meeting_followup import (
    action_due,
    action_extended,
    minutes_due,
    minutes_sent,
    prompt,
)
from procedures.engine import Ctx
from procedures.form_display import escape
from procedures.meetings.actions import ACTION_DUE, EXTENDED
from procedures.meetings.hooks import ATTENDEE, SENT
from procedures.meetings.ics import meeting_ics
from procedures.meetings.policy import MeetingsPolicy
from procedures.meetings.scheduling import number_text, tally
from scheduler.registry import JobHandler
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.timefmt import slack_time
from slackui.views import meetings as views
from store import jobs, meetings_repo, profiles
from store.directory import Directory
from store.jobs import ClaimedJob
from store.models.meetings import Meeting

NOTICE, TALLY, CHANNEL = "meetings.notice", "meetings.tally", "meetings.channel"
REMIND, PROMPT, MINUTES_DUE = "meetings.remind", "meetings.minutes_prompt", "meetings.minutes_due"
CHANGED = "meetings.changed"


def _key(meeting: Meeting, *parts: object) -> str:
    return ":".join(["meeting", str(meeting.id), *(str(p) for p in parts)])


def schedule_notice(deps: Deps, ctx: Ctx, meeting: Meeting) -> list[int]:
    """Everything a newly sent meeting has coming, in the caller's transaction."""
    due = [
        _once(ctx, meeting, NOTICE, ctx.now, _key(meeting, "notice", row.user_id), user=row.user_id)
        for row in meetings_repo.attendees(ctx.session, meeting.id)
    ]
    due.append(_arm(ctx, meeting, TALLY, _key(meeting, "tally")))
    if meeting.channel:
        due.append(_once(ctx, meeting, CHANNEL, ctx.now, _key(meeting, "channel")))
    schedule_timers(deps, ctx, meeting)
    return [job for job in due if job is not None]


def _once(
    ctx: Ctx, meeting: Meeting, kind: str, at: datetime, key: str, **payload: Any
) -> int | None:
    return jobs.schedule(
        ctx.session,
        kind=kind,
        due_at=max(at, ctx.now),
        now=ctx.now,
        payload={"meeting_id": meeting.id, **payload},
        dedupe_key=key,
    )


def _arm(ctx: Ctx, meeting: Meeting, kind: str, key: str, **payload: Any) -> int:
    return jobs.arm(
        ctx.session,
        kind=kind,
        key=key,
        due_at=ctx.now,
        now=ctx.now,
        payload={"meeting_id": meeting.id, **payload},
    )


def schedule_timers(deps: Deps, ctx: Ctx, meeting: Meeting) -> None:
    """Reminders before, the note-taker's prompt at the end and the late-minutes reminder.
    A move cancels the pending ones and schedules them anew (keys carry the revision)."""
    jobs.cancel(ctx.session, prefix=_key(meeting, "t", ""))
    rev = meeting.revision
    section = deps.policy.section(MeetingsPolicy)
    start = meeting.starts_at.astimezone(ctx.tz)
    for n, rule in enumerate(section.remind_before):
        if rule.minutes is not None:
            at = start - timedelta(minutes=rule.minutes)
        else:
            day = start.date()
            for _ in range(rule.working_days or 0):
                day = _previous_working_day(ctx, day)
            at = datetime.combine(day, start.timetz())
        if at > ctx.now:
            _once(ctx, meeting, REMIND, at, _key(meeting, "t", rev, "remind", n))
    _once(ctx, meeting, PROMPT, meeting.ends_at, _key(meeting, "t", rev, "prompt"))
    end = meeting.ends_at.astimezone(ctx.tz)
    late = ctx.calendar.add_working_days(end.date(), section.minutes_due_working_days)
    late_at = datetime.combine(late, end.timetz())
    _once(ctx, meeting, MINUTES_DUE, late_at, _key(meeting, "t", rev, "minutes_due"))


def changed(deps: Deps, ctx: Ctx, meeting: Meeting, event: str) -> list[int]:
    """The meeting moved or was cancelled: every notice is updated in place, the tally too,
    and each attendee is told once (with the calendar file brought up to date)."""
    out: list[int | None] = []
    rev = meeting.revision
    for row in meetings_repo.attendees(ctx.session, meeting.id):
        out.append(
            _arm(ctx, meeting, ATTENDEE, _key(meeting, "attendee", row.user_id), user=row.user_id)
        )
        out.append(
            _once(
                ctx,
                meeting,
                CHANGED,
                ctx.now,
                _key(meeting, "changed", rev, row.user_id),
                user=row.user_id,
                event=event,
            )
        )
    out.append(_arm(ctx, meeting, TALLY, _key(meeting, "tally")))
    if meeting.state == "notified":
        schedule_timers(deps, ctx, meeting)
    return [job for job in out if job is not None]


def _previous_working_day(ctx: Ctx, day: Any) -> Any:
    probe = day - timedelta(days=1)
    while not ctx.calendar.is_working_day(probe):
        probe -= timedelta(days=1)
    return probe


def refresh(deps: Deps, ctx: Ctx, meeting: Meeting, user: str) -> list[int]:
    """An RSVP changed: the attendee's notice shows it, the organiser's tally counts it."""
    return [
        _arm(ctx, meeting, ATTENDEE, _key(meeting, "attendee", user), user=user),
        _arm(ctx, meeting, TALLY, _key(meeting, "tally")),
    ]


def jobs_for(deps: Deps) -> dict[str, JobHandler]:
    handlers: dict[str, Callable[[Deps, ClaimedJob], None]] = {
        NOTICE: _notice,
        ATTENDEE: _attendee,
        TALLY: _tally,
        CHANNEL: _channel,
        REMIND: _remind,
        PROMPT: prompt,
        MINUTES_DUE: minutes_due,
        SENT: minutes_sent,
        CHANGED: _changed,
        ACTION_DUE: action_due,
        EXTENDED: action_extended,
    }

    def bind(fn: Callable[[Deps, ClaimedJob], None]) -> JobHandler:
        return lambda job: fn(deps, job)

    return {kind: bind(fn) for kind, fn in handlers.items()}


def _t(deps: Deps, user: str) -> Translator:
    return deps.people.translator(user)


def _notice(deps: Deps, job: ClaimedJob) -> None:
    user = job.payload["user"]
    t = _t(deps, user)
    with deps.sessions.begin() as session:
        meeting = meetings_repo.get(session, job.payload["meeting_id"])
        row = meetings_repo.attendee(session, job.payload["meeting_id"], user)
        if meeting is None or row is None or meeting.state != "notified":
            return
        if row.dm_ts is not None:
            return  # posted before the retry
        tz, rooms = deps.org_tz(session), Directory(session).rooms()
        blocks = views.notice_blocks(t, tz, rooms, meeting, answer=row)
        text = t("meetings.notice.title", topic=escape(meeting.topic[:100]))
        ics = _ics(deps, session, meeting, rooms, t)
        number = number_text(meeting.number)
    answer = deps.deliver.dm(user, text=text, blocks=blocks)
    channel, ts = str(answer.get("channel") or user), str(answer.get("ts") or "")
    with deps.sessions.begin() as session:
        row = meetings_repo.attendee(session, job.payload["meeting_id"], user)
        if row is not None:
            row.dm_channel, row.dm_ts = channel, ts
    deps.deliver.upload(
        channel,
        filename=f"{number}.ics",
        content=ics,
        title=t("meetings.notice.ics"),
    )


def _changed(deps: Deps, job: ClaimedJob) -> None:
    """One DM per attendee per change: moved (new time, RSVP again) or cancelled."""
    user = job.payload["user"]
    t = _t(deps, user)
    with deps.sessions.begin() as session:
        meeting = meetings_repo.get(session, job.payload["meeting_id"])
        row = meetings_repo.attendee(session, job.payload["meeting_id"], user)
        if meeting is None or row is None:
            return
        tz, rooms = deps.org_tz(session), Directory(session).rooms()
        number = number_text(meeting.number)
        key = (
            "meetings.changed.cancelled"
            if meeting.state == "cancelled"
            else "meetings.changed.moved"
        )
        text = t(
            key,
            number=number,
            topic=escape(meeting.topic[:100]),
            start=slack_time(meeting.starts_at, tz, t.lang),
        )
        ics = _ics(deps, session, meeting, rooms, t)
        channel = row.dm_channel or user
    deps.deliver.dm(user, text=text, blocks=b.to_dicts([b.section(text)]))
    deps.deliver.upload(
        channel, filename=f"{number}.ics", content=ics, title=t("meetings.notice.ics")
    )


def _ics(deps: Deps, session: Any, meeting: Meeting, rooms: Any, t: Translator) -> bytes:
    emails = []
    for row in meetings_repo.attendees(session, meeting.id):
        profile = profiles.get(session, row.user_id)
        if profile is not None and profile.email:
            emails.append(profile.email)
    organiser = profiles.get(session, meeting.organiser)
    agenda = "\n".join(f"{n}. {line}" for n, line in enumerate(meeting.agenda or [], start=1))
    return meeting_ics(
        uid=f"procedo-meeting-{meeting.id}@procedo",
        topic=meeting.topic,
        start=meeting.starts_at,
        end=meeting.ends_at,
        now=deps.clock.now(),
        location=" · ".join(
            p for p in (views.room_name(rooms, meeting.room_id, t.lang), meeting.place) if p
        )
        or None,
        description=agenda,
        organiser_email=organiser.email if organiser is not None else None,
        attendee_emails=emails,
        # Calendar apps keep the newest by SEQUENCE: one more for each move or cancellation.
        sequence=meeting.revision,
        cancelled=meeting.state == "cancelled",
    )


def _attendee(deps: Deps, job: ClaimedJob) -> None:
    user = job.payload["user"]
    t = _t(deps, user)
    with deps.sessions.begin() as session:
        meeting = meetings_repo.get(session, job.payload["meeting_id"])
        row = meetings_repo.attendee(session, job.payload["meeting_id"], user)
        if meeting is None or row is None or row.dm_ts is None or row.dm_channel is None:
            return
        tz, rooms = deps.org_tz(session), Directory(session).rooms()
        blocks = views.notice_blocks(t, tz, rooms, meeting, answer=row)
        text = t("meetings.notice.title", topic=escape(meeting.topic[:100]))
        channel, ts = row.dm_channel, row.dm_ts
    deps.deliver.update(channel, ts, text=text, blocks=blocks)


def _tally(deps: Deps, job: ClaimedJob) -> None:
    with deps.sessions.read() as session:
        meeting = meetings_repo.get(session, job.payload["meeting_id"])
        organiser = meeting.organiser if meeting is not None else None
    if organiser is None:
        return
    t = _t(deps, organiser)
    with deps.sessions.begin() as session:
        meeting = meetings_repo.get(session, job.payload["meeting_id"])
        if meeting is None:
            return
        rows = meetings_repo.attendees(session, meeting.id)
        counts = tally(rows)
        tz, rooms = deps.org_tz(session), Directory(session).rooms()
        blocks = views.tally_blocks(t, tz, rooms, meeting, rows, counts)
        text = views.tally_text(t, counts)
        where, ts, organiser = meeting.tally_channel, meeting.tally_ts, meeting.organiser
    if where is not None and ts is not None:
        deps.deliver.update(where, ts, text=text, blocks=blocks)
        return
    answer = deps.deliver.dm(organiser, text=text, blocks=blocks)
    with deps.sessions.begin() as session:
        meeting = meetings_repo.get(session, job.payload["meeting_id"])
        if meeting is not None:
            meeting.tally_channel = str(answer.get("channel") or organiser)
            meeting.tally_ts = str(answer.get("ts") or "")


def _channel(deps: Deps, job: ClaimedJob) -> None:
    t = Translator(deps.org_language())
    with deps.sessions.begin() as session:
        meeting = meetings_repo.get(session, job.payload["meeting_id"])
        if meeting is None or meeting.channel is None:
            return
        tz, rooms = deps.org_tz(session), Directory(session).rooms()
        blocks = views.notice_blocks(t, tz, rooms, meeting)
        text = t("meetings.notice.title", topic=escape(meeting.topic[:100]))
        channel = meeting.channel
    deps.deliver.post(channel, text=text, blocks=blocks)


def _remind(deps: Deps, job: ClaimedJob) -> None:
    """To everyone invited but those who declined and those on leave then."""
    with deps.sessions.begin() as session:
        meeting = meetings_repo.get(session, job.payload["meeting_id"])
        if meeting is None or meeting.state != "notified" or meeting.starts_at <= deps.clock.now():
            return
        rooms = Directory(session).rooms()
        who = [
            row.user_id
            for row in meetings_repo.attendees(session, meeting.id)
            if row.rsvp != "no" and not deps.is_away(session, row.user_id, meeting.starts_at)
        ]
        tz = deps.org_tz(session)
        facts = (meeting.number, meeting.topic, meeting.starts_at, meeting.room_id, meeting.place)
    number, topic, start, room, place = facts
    for user in who:
        t = _t(deps, user)
        text = t(
            "meetings.remind.text",
            number=number_text(number),
            topic=escape(topic[:100]),
            start=slack_time(start, tz, t.lang),
            place=views.place_text(t, rooms, room, place),
        )
        deps.deliver.dm(user, text=text, blocks=b.to_dicts([b.section(text)]))
