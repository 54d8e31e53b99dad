"""`/meeting`: the scheduling form and the one-line quick path (what it understood, with Send
notice / Edit), RSVPs on the notice, the note-taker's Record minutes button, and
`/meeting list|show|actions`. The notice, reminders and minutes are jobs (handlers/meeting_jobs.py).

A meeting is its own row, not a request of the approval engine: it has no decision of its own.
Its minutes are (procedure `minutes`: the note-taker files, the chair approves or returns), and
so are its action items (procedure `meeting_action`: the owner's action task, chased by the
engine's overdue rule)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from slack_bolt import App

from handlers import meeting_jobs
from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from handlers.meeting_info import (
    actions_csv,
    actions_text,
    home_section,
    list_text,
    owners_for,
    show_text,
)
from handlers.meeting_series import series_tick
from handlers.modules import ProcedureModule
from procedures.dates import DateParseError
from procedures.dates.ranges import parse_time_range
from procedures.engine import Ctx
from procedures.errors import DomainError, InvalidInput, NotFound
from procedures.forms import strip_controls
from procedures.meetings import DOMAIN, actions, scheduling, series
from procedures.meetings.hooks import MINUTES, latest_approved
from procedures.meetings.policy import MeetingsPolicy
from procedures.meetings.quick import parse_quick
from procedures.meetings.scheduling import Draft, number_text
from slackui.commands import FormEntry, HelpEntry
from slackui.i18n import Translator
from slackui.views import meeting_forms as forms
from slackui.views import meetings as views
from slackui.views import request_modals as modals
from slackui.views.meetings import MeetingAction, MeetingCallback
from store import meetings_repo, requests_repo
from store.directory import Directory


def register(app: App, deps: Deps) -> None:
    on = listener(deps)
    section = deps.policy.section(MeetingsPolicy)

    @app.command("/meeting")
    @on
    def meeting_command(i: Interaction) -> None:
        i.ack()
        text = " ".join((i.body.get("text") or "").split())
        word, _, rest = text.partition(" ")
        if not text:
            deps.client.views_open(trigger_id=i.body["trigger_id"], view=_form(deps, i.user, i.t))
            return
        if word.lower() in ("help", "帮助"):
            i.reply(_help(i.t))
        elif word.lower() in ("list", "列表"):
            i.reply(list_text(deps, i.user, i.t))
        elif word.lower() in ("show", "查看"):
            i.reply(show_text(deps, i.user, i.t, rest))
        elif word.lower() in ("actions", "任务"):
            words = rest.split()
            owners = owners_for(deps, i.user, words)
            if any(w.lower() == "csv" for w in words):
                content, title = actions_csv(deps, owners), i.t("meetings.actions.title")
                i.later(lambda: _send_csv(deps, i.user, title, content))
                i.reply(i.t("meetings.actions.csv_sent"))
            else:
                i.reply(actions_text(deps, i.user, i.t, owners if words else None))
        elif word.lower() in ("add-topic", "议题"):
            number_word, _, topic = rest.partition(" ")
            number = _number(number_word)
            i.run(lambda ctx: _add_topic(deps, ctx, number, i.user, topic))
            i.reply(i.t("meetings.done.topic", number=number_text(number)))
        elif word.lower() in ("cancel", "取消"):
            number_word, _, scope = rest.partition(" ")
            number = _number(number_word)
            # `all` / `全部`: this occurrence and the rest of its weekly series.
            ends = scope.strip().lower() in ("all", "series", "全部", "例会")
            i.run(lambda ctx: _cancel(deps, ctx, number, i.user, ends_series=ends))
            key = "meetings.done.series_cancelled" if ends else "meetings.done.cancelled"
            i.reply(i.t(key, number=number_text(number)))
        elif word.lower() in ("move", "改期"):
            number_word, _, when = rest.partition(" ")
            number = _number(number_word)
            try:
                found = parse_time_range(
                    when, now=deps.clock.now(), tz=i.me.tz, default_minutes=None
                )
            except DateParseError:
                raise InvalidInput("meetings.error.move_usage") from None
            i.run(lambda ctx: _move(deps, ctx, number, i.user, found.start, found.end))
            i.reply(i.t("meetings.done.moved", number=number_text(number)))
        else:
            _quick(i, text, section)

    @app.action(MeetingAction.SEND)
    @on
    def send_clicked(i: Interaction) -> None:
        draft = _draft_of(i.body["actions"][0]["value"])
        meeting = i.run(lambda ctx: _create(deps, ctx, draft, i.user))
        assert i.respond is not None
        i.ack()
        i.respond(
            text=i.t("meetings.quick.sent", number=meeting[0], count=meeting[1]),
            replace_original=True,
            response_type="ephemeral",
        )

    @app.action(MeetingAction.EDIT)
    @on
    def edit_clicked(i: Interaction) -> None:
        i.ack()
        draft = _draft_of(i.body["actions"][0]["value"])
        view = _form(deps, i.user, i.t, draft)
        deps.client.views_open(trigger_id=i.body["trigger_id"], view=view)

    @app.view(MeetingCallback.FORM)
    @on
    def form_submitted(i: Interaction) -> None:
        tz = i.me.tz
        raw = forms.read_form(i.view["state"]["values"], tz)
        if raw["start"] is None or raw["end"] is None:
            missing = "start" if raw["start"] is None else "end"
            i.field_errors({missing: i.t("meetings.error.past")})
            return
        try:
            repeat = json.loads(i.view.get("private_metadata") or "{}").get("repeat")
        except (ValueError, AttributeError):
            raise DomainError("error.bad_payload") from None
        draft = scheduling.clean(Draft(**raw, repeat=repeat if isinstance(repeat, int) else None))
        with deps.sessions.begin() as session:
            found = scheduling.problems(session, draft, i.user, deps.clock.now())
            away = scheduling.away(
                session, draft, lambda user, when: deps.is_away(session, user, when)
            )
        if found:
            errors: dict[str, str] = {}
            for problem in found:
                errors.setdefault(problem.field or "topic", views.problem_text(i.t, problem, tz))
            i.field_errors(errors)
            return
        if away and forms.confirm_fits(draft):
            # Flag who is on leave before anything is sent; the organiser decides.
            i.ack(response_action="update", view=forms.confirm_modal(i.t, draft, away))
            return
        i.run(lambda ctx: _create(deps, ctx, draft, i.user), once=True)

    @app.view(MeetingCallback.CONFIRM)
    @on
    def confirmed(i: Interaction) -> None:
        draft = _draft_of(i.view.get("private_metadata") or "")
        i.run(lambda ctx: _create(deps, ctx, draft, i.user), once=True)

    @app.action(MeetingAction.ATTEND)
    @app.action(MeetingAction.TENTATIVE)
    @on
    def rsvp_clicked(i: Interaction) -> None:
        meeting_id, answer = _rsvp_value(i.body["actions"][0]["value"])
        i.run(lambda ctx: _answer(deps, ctx, meeting_id, i.user, answer, None))

    @app.action(MeetingAction.DECLINE)
    @on
    def decline_clicked(i: Interaction) -> None:
        i.ack()
        meeting_id = _meeting_id(i.body["actions"][0]["value"])
        deps.client.views_open(
            trigger_id=i.body["trigger_id"], view=forms.decline_modal(i.t, meeting_id)
        )

    @app.view(MeetingCallback.DECLINE)
    @on
    def decline_submitted(i: Interaction) -> None:
        meeting_id = _meeting_id(i.view.get("private_metadata") or "")
        values = i.view["state"]["values"]
        typed = str(((values.get("reason") or {}).get("value") or {}).get("value") or "")
        reason = " ".join(strip_controls(typed).split())[:500] or None
        i.run(lambda ctx: _answer(deps, ctx, meeting_id, i.user, "no", reason), once=True)

    @app.action(MeetingAction.RECORD)
    @on
    def record_clicked(i: Interaction) -> None:
        i.ack()
        meeting_id = _meeting_id(i.body["actions"][0]["value"])
        spec = deps.policy.procedure(MINUTES)
        if spec is None or not spec.enabled:
            raise NotFound("request.error.unknown_procedure", procedure=MINUTES)
        with deps.sessions.begin() as session:
            meeting = meetings_repo.get(session, meeting_id)
            if meeting is None:
                raise InvalidInput("meetings.error.not_found")
            if meeting.note_taker != i.user:
                raise InvalidInput("meetings.error.not_note_taker")
            came = [
                row.user_id
                for row in meetings_repo.attendees(session, meeting.id)
                if row.rsvp != "no" and not row.away  # the note-taker corrects it
            ]
            initial = {"meeting": number_text(meeting.number), "chair": meeting.chair}
            # A correction starts from the version it corrects.
            last = latest_approved(session, meeting.number)
        if last is not None:
            initial = {**last, **initial}
        else:
            initial["present"] = ", ".join(deps.people.view(u, refresh=False).name for u in came)
        modal = modals.form_modal(spec, i.t, initial=initial)
        deps.client.views_open(trigger_id=i.body["trigger_id"], view=modal)

    @app.action(MeetingAction.EXTEND)
    @on
    def extend_clicked(i: Interaction) -> None:
        i.ack()
        case_id = _meeting_id(i.body["actions"][0]["value"])
        with deps.sessions.read() as session:
            case = requests_repo.get(session, case_id)
            due = str((case.payload or {}).get("due") or "") if case is not None else ""
        if case is None or not due:
            raise NotFound("request.error.not_found")
        modal = forms.extend_modal(i.t, case_id, due)
        deps.client.views_open(trigger_id=i.body["trigger_id"], view=modal)

    @app.view(MeetingCallback.EXTEND)
    @on
    def extend_submitted(i: Interaction) -> None:
        case_id = _meeting_id(i.view.get("private_metadata") or "")
        values = i.view["state"]["values"]
        picked = ((values.get("due") or {}).get("value") or {}).get("selected_date")
        typed = str(((values.get("reason") or {}).get("value") or {}).get("value") or "")
        reason = " ".join(strip_controls(typed).split())[:500]
        if not reason:
            i.field_errors({"reason": i.t("meetings.error.extend_reason")})
            return
        try:
            new_due = date.fromisoformat(str(picked))
        except ValueError:
            i.field_errors({"due": i.t("meetings.error.extend_later", due="")})
            return
        i.error_block = "due"
        i.run(lambda ctx: actions.extend(ctx, case_id, i.user, new_due, reason), once=True)


def _help(t: Translator) -> str:
    lines = [
        "`/meeting` — " + t("help.meeting"),
        "`/meeting 明天下午2点到4点 301会议室 Q4预算评审 @bob @carol`",
        "`/meeting budget review friday 3-4pm room 301 @bob`",
        "`/meeting list` — " + t("help.meeting.list"),
        "`/meeting show MT-0001` — " + t("help.meeting.show"),
        "`/meeting actions` — " + t("help.meeting.actions"),
        "`/meeting move MT-0001 friday 3-4pm` — " + t("help.meeting.move"),
        "`/meeting cancel MT-0001 [all]` — " + t("help.meeting.cancel"),
        "`/meeting every monday 10-11am ops weekly @ops`",
        "`/meeting 每周一上午10点到11点 部门例会 @ops`",
        "`/meeting add-topic MT-0002 …` — " + t("help.meeting.add_topic"),
    ]
    return "\n".join(lines)


def _form(deps: Deps, user: str, t: Translator, draft: Draft | None = None) -> dict[str, Any]:
    with deps.sessions.read() as session:
        directory = Directory(session)
        rooms, departments = directory.rooms(), directory.departments()
    return forms.form_modal(t, rooms=rooms, departments=departments, organiser=user, draft=draft)


def _draft_of(value: str) -> Draft:
    try:
        return Draft.from_json(json.loads(value))
    except (ValueError, TypeError, KeyError):
        raise DomainError("error.bad_payload") from None


def _meeting_id(value: str) -> int:
    if not value.isdigit() or len(value) > 12:
        raise DomainError("error.bad_payload")
    return int(value)


def _rsvp_value(value: str) -> tuple[int, str]:
    meeting, _, answer = value.partition(":")
    return _meeting_id(meeting), answer


def _quick(i: Interaction, text: str, section: MeetingsPolicy) -> None:
    deps, me = i.deps, i.me
    now = deps.clock.now()
    repeat, text = series.split_every(text)
    with deps.sessions.begin() as session:
        directory = Directory(session)
        rooms, departments = directory.rooms(), directory.departments()
        quick = parse_quick(
            text,
            now=now,
            tz=me.tz,
            rooms=rooms,
            departments=departments,
            find_user=lambda name: meetings_repo.user_by_name(session, [name]),
            default_minutes=section.default_minutes,
        )
        draft = scheduling.clean(
            Draft(
                topic=quick.topic,
                start=quick.start,
                end=quick.end,
                chair=quick.chair or i.user,
                note_taker=quick.note_taker or i.user,
                attendees=quick.attendees,
                departments=quick.departments,
                room=quick.room,
                place=quick.place,
                repeat=repeat,
                unknown=quick.unknown,
            )
        )
        found = scheduling.problems(session, draft, i.user, now)
        away = scheduling.away(session, draft, lambda user, when: deps.is_away(session, user, when))
    if not views.fits_in_button(draft):
        raise InvalidInput("meetings.error.topic_long", max=scheduling.TOPIC_MAX)
    problems = [views.problem_text(me.t, problem, me.tz) for problem in found]
    blocks = views.quick_summary(
        me.t,
        me.tz,
        rooms,
        departments,
        draft,
        away=away,
        problems=problems,
        mode=section.non_working_day,
    )
    i.reply(me.t("meetings.quick.title"), blocks)


def _send_csv(deps: Deps, user: str, title: str, content: bytes) -> None:
    # A file is shared into a conversation: the DM's id comes from a first message there.
    answer = deps.deliver.dm(user, text=title)
    channel = str(answer.get("channel") or user)
    deps.deliver.upload(channel, filename="action-items.csv", content=content, title=title)


def _number(text: str) -> int:
    number = scheduling.parse_number(text)
    if number is None:
        raise InvalidInput("meetings.error.not_found")
    return number


def _by_number(ctx: Ctx, number: int) -> int:
    meeting = meetings_repo.by_number(ctx.session, number)
    if meeting is None:
        raise InvalidInput("meetings.error.not_found")
    return meeting.id


def _cancel(deps: Deps, ctx: Ctx, number: int, user: str, *, ends_series: bool) -> None:
    meeting = scheduling.cancel(ctx.session, _by_number(ctx, number), user, ctx.now)
    if ends_series:
        series.end(ctx.session, meeting, user, ctx.now)
    ctx.jobs.extend(meeting_jobs.changed(deps, ctx, meeting, "cancelled"))


def _move(deps: Deps, ctx: Ctx, number: int, user: str, start: datetime, end: datetime) -> None:
    meeting = scheduling.move(ctx.session, _by_number(ctx, number), user, start, end, ctx.now)
    ctx.jobs.extend(meeting_jobs.changed(deps, ctx, meeting, "moved"))


def _add_topic(deps: Deps, ctx: Ctx, number: int, user: str, topic: str) -> None:
    meeting = scheduling.add_topic(ctx.session, _by_number(ctx, number), user, topic, ctx.now)
    for row in meetings_repo.attendees(ctx.session, meeting.id):
        ctx.jobs.extend(meeting_jobs.refresh(deps, ctx, meeting, row.user_id))


def _create(deps: Deps, ctx: Ctx, draft: Draft, organiser: str) -> tuple[str, int]:
    meeting = scheduling.create(
        ctx.session, draft, organiser, ctx.now, lambda user, when: ctx.is_away(user, when)
    )
    if draft.repeat is not None:
        meeting.series_id = series.create(ctx.session, draft, draft.repeat, organiser, ctx.now)
    count = len(meetings_repo.attendees(ctx.session, meeting.id))
    ctx.jobs.extend(meeting_jobs.schedule_notice(deps, ctx, meeting))
    return number_text(meeting.number), count


def _answer(
    deps: Deps, ctx: Ctx, meeting_id: int, user: str, answer: str, reason: str | None
) -> None:
    meeting = scheduling.answer(ctx.session, meeting_id, user, answer, reason, ctx.now)
    ctx.jobs.extend(meeting_jobs.refresh(deps, ctx, meeting, user))


def _open_notice(deps: Deps, body: dict[str, Any]) -> None:
    user = str((body.get("user") or {}).get("id") or "")
    t = deps.people.translator(user, refresh=False)
    deps.client.views_open(trigger_id=body["trigger_id"], view=_form(deps, user, t))


MODULE = ProcedureModule(
    domain=DOMAIN,
    commands=("/meeting",),
    forms=(FormEntry("meeting", "meetings.form", "meetings.new.name", "meetings.new.description"),),
    openers=lambda deps: {"meetings.form": _open_notice},
    help=(
        HelpEntry(
            "/meeting", "help.meeting", "/meeting 明天下午2点到4点 301会议室 Q4预算评审 @bob"
        ),
        HelpEntry("/meeting list", "help.meeting.list", "/meeting list"),
        HelpEntry("/meeting show", "help.meeting.show", "/meeting show MT-0001"),
        HelpEntry("/meeting actions", "help.meeting.actions", "/meeting actions"),
        HelpEntry("/meeting move", "help.meeting.move", "/meeting move MT-0001 friday 3-4pm"),
        HelpEntry("/meeting cancel", "help.meeting.cancel", "/meeting cancel MT-0001"),
        HelpEntry("/meeting add-topic", "help.meeting.add_topic", "/meeting add-topic MT-0002 …"),
    ),
    listeners=register,
    jobs=meeting_jobs.jobs_for,
    maintenance=lambda deps: [series_tick(deps)],
    home=home_section,
)
