"""After the meeting: the note-taker's Record minutes prompt and the late-minutes reminder,
the approved minutes to every attendee, and the reminder before an action item's due date."""

from __future__ import annotations

from typing import Any

from handlers.deps import Deps
from procedures.form_display import escape
from procedures.meetings.hooks import MINUTES
from procedures.meetings.minutes import parse_actions
from procedures.meetings.scheduling import number_text, parse_number
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.views import meetings as views
from slackui.views.meetings import MeetingAction
from store import meetings_repo, requests_repo
from store.jobs import ClaimedJob


def _t(deps: Deps, user: str) -> Translator:
    return deps.people.translator(user)


def prompt(deps: Deps, job: ClaimedJob, key: str = "meetings.minutes.prompt") -> None:
    with deps.sessions.read() as session:
        found = meetings_repo.get(session, job.payload["meeting_id"])
        who = found.note_taker if found is not None else None
    if who is None:
        return
    t = _t(deps, who)
    with deps.sessions.begin() as session:
        meeting = meetings_repo.get(session, job.payload["meeting_id"])
        if meeting is None or meeting.state != "notified":
            return
        if key != "meetings.minutes.prompt" and _has_minutes(session, meeting.number):
            return
        note_taker = meeting.note_taker
        blocks = views.record_prompt(t, meeting, key)
        text = t(key, number=number_text(meeting.number), topic=escape(meeting.topic[:100]))
    deps.deliver.dm(note_taker, text=text, blocks=blocks)


def minutes_due(deps: Deps, job: ClaimedJob) -> None:
    prompt(deps, job, "meetings.minutes.overdue")


def _has_minutes(session: Any, number: int) -> bool:
    return any(
        parse_number(str((r.payload or {}).get("meeting") or "")) == number
        for r in requests_repo.of_procedure(session, MINUTES)
    )


def minutes_sent(deps: Deps, job: ClaimedJob) -> None:
    """The approved minutes to every attendee (and the meeting's channel), once per version."""
    with deps.sessions.begin() as session:
        meeting = meetings_repo.get(session, job.payload["meeting_id"])
        request = requests_repo.get(session, job.payload["request_id"])
        if meeting is None or request is None:
            return
        payload = dict(request.payload or {})
        version = int((request.computed or {}).get("version") or meeting.minutes_version)
        changed = [str(k) for k in (request.computed or {}).get("changed") or []]
        tz = deps.org_tz(session)
        items = parse_actions(
            payload.get("actions"),
            now=request.created_at,
            tz=tz,
            find_user=lambda name: meetings_repo.user_by_name(session, [name]),
            check_past=False,
        )
        people = [row.user_id for row in meetings_repo.attendees(session, meeting.id)]
        channel = meeting.channel
        actions = [item.to_json() for item in items]
        facts = {"number": number_text(meeting.number), "topic": escape(meeting.topic[:80])}
        # Render per reader below, outside the transaction.
        snapshot = meeting
        session.expunge(snapshot)
    for user in people:
        t = _t(deps, user)
        blocks = views.minutes_blocks(t, snapshot, payload, version, actions, changed)
        text = t("meetings.minutes.sent_title", version=version, **facts)
        deps.deliver.dm(user, text=text, blocks=blocks)
    if channel:
        t = Translator(deps.org_language())
        blocks = views.minutes_blocks(t, snapshot, payload, version, actions, changed)
        deps.deliver.post(
            channel, text=t("meetings.minutes.sent_title", version=version, **facts), blocks=blocks
        )


def action_due(deps: Deps, job: ClaimedJob) -> None:
    """The owner of an open action item, unless away, hears it is due soon."""
    with deps.sessions.read() as session:
        case = requests_repo.get(session, job.payload["request_id"])
        if case is None or case.state not in ("pending", "returned"):
            return
        payload = dict(case.payload or {})
        owner = str(payload.get("owner") or "")
        if not owner or deps.is_away(session, owner, deps.clock.now()):
            return  # done already, or away: the overdue rule takes over after the date
        if job.payload.get("due") not in (None, payload.get("due")):
            return  # the date moved since; the new one has its own reminder
        spec = deps.policy.procedure(case.procedure)
        number = f"{spec.prefix if spec else 'AI'}-{case.number:04d}"
    t = _t(deps, owner)
    text = t(
        "meetings.actions.due_soon",
        number=number,
        task=escape(str(payload.get("task") or "")[:200]),
        due=str(payload.get("due") or ""),
    )
    more = b.button(t("meetings.actions.more_time"), MeetingAction.EXTEND, str(case.id))
    deps.deliver.dm(owner, text=text, blocks=b.to_dicts([b.section(text), b.actions(more)]))


def action_extended(deps: Deps, job: ClaimedJob) -> None:
    """The chair hears that an owner moved an action item's due date, and why."""
    with deps.sessions.read() as session:
        case = requests_repo.get(session, job.payload["request_id"])
        if case is None:
            return
        payload, chair = dict(case.payload or {}), case.requester
        spec = deps.policy.procedure(case.procedure)
        number = f"{spec.prefix if spec else 'AI'}-{case.number:04d}"
    t = _t(deps, chair)
    reason = job.payload.get("reason")
    text = t(
        "meetings.actions.extended",
        number=number,
        owner=f"<@{payload.get('owner')}>",
        task=escape(str(payload.get("task") or "")[:200]),
        before=str(job.payload.get("before") or ""),
        due=str(payload.get("due") or ""),
        reason=escape(str(reason)) if reason else t("common.none"),
    )
    deps.deliver.dm(chair, text=text, blocks=b.to_dicts([b.section(text)]))
