"""`/meeting list`, `/meeting show MT-0001` and `/meeting actions`: answers in words."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from handlers.deps import Deps
from procedures import spreadsheet
from procedures.errors import InvalidInput, NotAllowed
from procedures.form_display import escape
from procedures.meetings.hooks import ACTION, MINUTES
from procedures.meetings.scheduling import number_text, parse_number, tally
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.timefmt import slack_time
from slackui.views import meetings as views
from store import meetings_repo, requests_repo
from store.directory import Directory
from store.models import Request

OPEN = ("pending", "returned")
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


def _meeting_number(request: Request) -> int | None:
    return parse_number(str((request.payload or {}).get("meeting") or ""))


def _case_number(deps: Deps, request: Request) -> str:
    spec = deps.policy.procedure(request.procedure)
    prefix = spec.prefix if spec is not None else "?"
    return f"{prefix}-{request.number:04d}"


def list_text(deps: Deps, user: str, t: Translator) -> str:
    with deps.sessions.read() as session:
        tz, rooms = deps.org_tz(session), Directory(session).rooms()
        meetings = meetings_repo.upcoming_for(session, user, deps.clock.now())
        lines = []
        for meeting in meetings:
            row = meetings_repo.attendee(session, meeting.id, user)
            lines.append(
                views.list_line(t, tz, rooms, meeting, row.rsvp if row is not None else "pending")
            )
    if not lines:
        return t("meetings.list.none")
    return "\n".join([f"*{t('meetings.list.title')}*", *lines])


def show_text(deps: Deps, user: str, t: Translator, text: str) -> str:
    number = parse_number(text)
    with deps.sessions.read() as session:
        meeting = meetings_repo.by_number(session, number) if number is not None else None
        if meeting is None:
            raise InvalidInput("meetings.error.not_found")
        rows = meetings_repo.attendees(session, meeting.id)
        invited = {row.user_id for row in rows} | {meeting.organiser, meeting.chair}
        if user not in invited and not Directory(session).has_role(user, "bot_admin"):
            raise InvalidInput("meetings.error.not_invited")
        tz, rooms = deps.org_tz(session), Directory(session).rooms()
        facts = views.place_text(t, rooms, meeting.room_id, meeting.place)
        head = [
            f"*{number_text(meeting.number)} · {escape(b.clip(meeting.topic, 150))}*",
            t(
                "meetings.notice.time",
                start=slack_time(meeting.starts_at, tz, t.lang),
                end=slack_time(meeting.ends_at, tz, t.lang),
            ).replace("\n", " "),
            t("meetings.notice.place", place=facts).replace("\n", " "),
            views.tally_text(t, tally(rows)),
        ]
        people = [
            t(
                "meetings.tally.person",
                who=f"<@{row.user_id}>",
                answer=t(f"meetings.rsvp.{row.rsvp}"),
                reason=(f" — {escape(b.clip(row.reason, 120))}" if row.reason else "")
                + (t("meetings.tally.away") if row.away else ""),
            )
            for row in rows[:40]
        ]
        minutes = [
            r
            for r in requests_repo.of_procedure(session, MINUTES)
            if _meeting_number(r) == meeting.number
        ]
        pending = next((r for r in minutes if r.state in OPEN), None)
        pending_text = (
            t("meetings.show.minutes_pending", number=_case_number(deps, pending))
            if pending
            else ""
        )
        head.append(
            t("meetings.show.minutes", versions=meeting.minutes_version, pending=pending_text)
        )
        items = [
            r
            for r in requests_repo.of_procedure(session, ACTION)
            if _meeting_number(r) == meeting.number
        ]
        action_lines = [
            t(
                "meetings.actions.show_line",
                number=_case_number(deps, r),
                task=escape(b.clip(str(r.payload.get("task") or ""), 100)),
                owner=f"<@{r.payload.get('owner')}>",
                due=str(r.payload.get("due") or ""),
                state=t(
                    "meetings.actions.state_open"
                    if r.state in OPEN
                    else "meetings.actions.state_done"
                ),
            )
            for r in items[:30]
        ]
    out = [*head, *people]
    if action_lines:
        out.append(t("meetings.show.actions", text="\n".join(action_lines)))
    return b.clip("\n".join(out), 3900)


def open_actions(deps: Deps, owners: Collection[str]) -> list[Request]:
    with deps.sessions.read() as session:
        return [
            r
            for r in requests_repo.open_of(session, ACTION)
            if (r.payload or {}).get("owner") in owners
        ]


def owners_for(deps: Deps, user: str, words: Sequence[str]) -> list[str]:
    """Whose action items `user` asks for: theirs; a person's (their own head or director,
    or a bot admin); a department's (its head or director, or a bot admin)."""
    wanted = [w for w in words if w.lower() != "csv"]
    if not wanted:
        return [user]
    word = wanted[0]
    with deps.sessions.read() as session:
        directory = Directory(session)
        admin = directory.has_role(user, "bot_admin")
        mention = MENTION.match(word)
        if mention:
            other = mention.group(1)
            dept = directory.department_of(other)
            if other == user or admin or (dept is not None and user in (dept.head, dept.director)):
                return [other]
            raise NotAllowed("meetings.error.actions_not_yours")
        dept = next(
            (
                d
                for d in directory.departments()
                if word.lower() in (d.id, d.name_en.lower()) or word == d.name_zh
            ),
            None,
        )
        if dept is None:
            raise InvalidInput("meetings.error.actions_usage")
        if not admin and user not in (dept.head, dept.director):
            raise NotAllowed("meetings.error.actions_not_yours")
        return directory.members(dept.id)


def actions_csv(deps: Deps, owners: Collection[str]) -> bytes:
    """Every action item of these owners, open or done, as CSV (UTF-8 with a BOM for Excel)."""
    lines: list[list[object]] = []
    with deps.sessions.read() as session:
        for r in requests_repo.of_procedure(session, ACTION):
            payload = r.payload or {}
            if payload.get("owner") in owners:
                lines.append(
                    [
                        _case_number(deps, r),
                        str(payload.get("task") or ""),
                        payload.get("owner"),
                        payload.get("due"),
                        payload.get("meeting"),
                        r.state,
                    ]
                )
    return spreadsheet.to_csv(["number", "task", "owner", "due", "meeting", "state"], lines)


def actions_text(
    deps: Deps, user: str, t: Translator, owners: Collection[str] | None = None
) -> str:
    today = deps.clock.now().astimezone(deps.org_tz()).date()
    items = open_actions(deps, owners if owners is not None else [user])
    if not items:
        return t("meetings.actions.none")
    lines = [f"*{t('meetings.actions.title')}*"]
    for r in items[:40]:
        due = str(r.payload.get("due") or "")
        try:
            late = date.fromisoformat(due) < today
        except ValueError:
            late = False
        lines.append(
            t(
                "meetings.actions.line",
                number=_case_number(deps, r),
                task=escape(b.clip(str(r.payload.get("task") or ""), 100))
                + ("" if owners is None else f" · <@{r.payload.get('owner')}>"),
                due=due,
                meeting=escape(str(r.payload.get("meeting") or "")),
                overdue=t("meetings.actions.overdue") if late else "",
            )
        )
    return "\n".join(lines)


def home_section(deps: Deps, user: str) -> list[dict[str, Any]]:
    """App Home: the next meetings and my open action items (a few of each)."""
    t = deps.people.view(user, refresh=False).t
    upcoming = list_text(deps, user, t)
    items = actions_text(deps, user, t)
    lines = [upcoming] if "*" in upcoming else [f"*{t('meetings.list.title')}*", upcoming]
    lines += [items] if "*" in items else [f"*{t('meetings.actions.title')}*", items]
    return b.to_dicts([b.divider(), *b.sections(lines)])
