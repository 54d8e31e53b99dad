"""`/leave`: the form with a live working-day count, the one-line quick path, balances, my
leave, who is out; and the leave jobs: the team notice and the morning who-is-out post."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, time
from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond
from slack_sdk.errors import SlackApiError

from handlers import attendance
from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from handlers.leave_info import current_balances, home_section, register_info
from handlers.modules import ProcedureModule
from procedures import forms, requests
from procedures.errors import DomainError, InvalidInput
from procedures.leave import DOMAIN, balances, queries
from procedures.leave.hooks import NOTICE
from procedures.leave.policy import LeavePolicy
from procedures.leave.quick import parse_quick
from procedures.leave.spans import Span
from procedures.policy import Policy
from procedures.policy.procedures import ProcedureSpec
from scheduler.registry import JobHandler
from slackui.commands import HelpEntry
from slackui.i18n import Translator
from slackui.payloads import parse_object
from slackui.views import leave as views
from slackui.views import request_modals as modals
from slackui.views.forms import read_state
from store import jobs, requests_repo
from store.directory import Directory
from store.jobs import ClaimedJob

MORNING = "leave.morning"
LIVE_BLOCKS = re.compile(r"^f:(type|dates)")


def _leave_spec(policy: Policy) -> ProcedureSpec | None:
    spec = policy.procedure(policy.section(LeavePolicy).procedure)
    return spec if spec is not None and spec.enabled else None


def _enabled(policy: Policy) -> bool:
    """This installation has leave: the procedure is on and declares its types."""
    return _leave_spec(policy) is not None and bool(policy.section(LeavePolicy).types)


def _jobs(deps: Deps) -> dict[str, JobHandler]:
    return {
        NOTICE: lambda job: _post_notice(deps, job),
        MORNING: lambda job: _post_morning(deps, job),
    }


def register(app: App, deps: Deps) -> None:
    spec = _leave_spec(deps.policy)
    assert spec is not None  # `_enabled` said so
    info = register_info(deps)

    on = listener(deps)

    @app.command("/leave")
    @on
    def leave_command(i: Interaction) -> None:
        i.ack()
        user, text = i.user, (i.body.get("text") or "").strip()
        assert i.respond is not None  # a slash command always has a response_url
        if not text:
            modal = leave_modal(deps, spec, user)
            deps.client.views_open(trigger_id=i.trigger_id, view=modal)
            return
        word, _, rest = text.partition(" ")
        handler = info.get(word.lower())
        if handler is not None:
            handler(user, rest.strip(), i.respond)
            return
        _quick(deps, spec, user, text, i.respond)

    @app.action(views.LeaveAction.SUBMIT)
    @on
    def submit(i: Interaction) -> None:
        i.ack()
        payload = _normalized(deps, spec, parse_object(i.value))
        i.run(lambda ctx: requests.submit(ctx, spec, i.user, payload))
        assert i.respond is not None
        i.respond(
            text=i.t("leave.quick.submitted"), replace_original=True, response_type="ephemeral"
        )

    @app.action(views.LeaveAction.EDIT)
    @on
    def edit(i: Interaction) -> None:
        i.ack()
        view = leave_modal(deps, spec, i.user, initial=parse_object(i.value))
        deps.client.views_open(trigger_id=i.trigger_id, view=view)

    live = LiveViews()

    @app.action({"block_id": LIVE_BLOCKS, "action_id": "value"})
    @on
    def live_count(i: Interaction) -> None:
        i.ack()
        view = i.view
        meta = parse_object(view.get("private_metadata") or "{}")
        if meta.get("procedure") != spec.id:
            return
        raw = read_state(spec.fields, view.get("state", {}).get("values", {}))
        request_id = meta.get("request_id")
        if request_id is not None and not isinstance(request_id, int):
            raise InvalidInput("error.bad_payload")
        updated = leave_modal(deps, spec, i.user, initial=raw, request_id=request_id)
        actions = i.body.get("actions") or [{}]
        live.update(deps, view, updated, at=str(actions[0].get("action_ts") or ""))


class LiveViews:
    """Updates of one modal, one at a time and each on the hash the last one returned: quick
    changes (type, then start, then end) must not trip over each other's `hash_conflict`.
    Each is drawn from the view as its action saw it, so one that comes after a newer action's
    update (threads finish in any order) is dropped instead of undoing it."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._hashes: dict[str, str] = {}
        self._newest: dict[str, float] = {}  # the action_ts of the last update applied
        self._guard = threading.Lock()

    def update(
        self, deps: Deps, view: dict[str, Any], updated: dict[str, Any], at: str = ""
    ) -> None:
        view_id = view["id"]
        try:
            when = float(at)
        except ValueError:
            when = 0.0
        with self._guard:
            lock = self._locks.setdefault(view_id, threading.Lock())
        with lock:
            if when and when < self._newest.get(view_id, 0.0):
                return  # a newer change was already drawn
            known = self._hashes.get(view_id, view.get("hash"))
            try:
                response = deps.client.views_update(view_id=view_id, hash=known, view=updated)
            except SlackApiError as exc:
                if exc.response.get("error") not in ("hash_conflict", "not_found"):
                    raise
                return  # the user moved on (a newer change, or the modal is closed)
            self._hashes[view_id] = str((response.get("view") or {}).get("hash", ""))
            self._newest[view_id] = max(when, self._newest.get(view_id, 0.0))


def leave_modal(
    deps: Deps,
    spec: ProcedureSpec,
    user: str,
    *,
    initial: dict[str, Any] | None = None,
    request_id: int | None = None,
) -> dict[str, Any]:
    """The leave form: the type select shows what is left; a line on top counts the working
    days of the dates picked so far (recounted as they change)."""
    t = deps.people.translator(user, refresh=False)
    span = _span_of(initial)
    with deps.sessions.begin() as session:
        rows = current_balances(deps, session, user, exclude=request_id)
        days = span.working_days(deps.calendar(session, user)) if span else None
    intro = [views.count_block(t, deps.policy, span, days, rows)]
    view = modals.form_modal(
        spec, t, initial=initial, intro=intro, dispatch=("type", "dates"), request_id=request_id
    )
    views.label_options_with_balances(view["blocks"], t, rows)
    return view


def _span_of(payload: dict[str, Any] | None) -> Span | None:
    dates = (payload or {}).get("dates")
    try:
        return Span.from_payload(dates) if isinstance(dates, dict) and dates.get("end") else None
    except (KeyError, TypeError, ValueError):
        return None


def _normalized(deps: Deps, spec: ProcedureSpec, payload: dict[str, Any]) -> dict[str, Any]:
    today = deps.clock.now().astimezone(deps.org_tz()).date()
    normalized, errors = forms.validate(spec.fields, payload, today=today)
    if errors:
        first = errors[0]
        raise InvalidInput(first.key, field=first.field, **first.params)
    return normalized


def _quick(deps: Deps, spec: ProcedureSpec, user: str, text: str, respond: Respond) -> None:
    me = deps.people.view(user)
    quick = parse_quick(text, deps.policy.section(LeavePolicy), now=deps.clock.now(), tz=me.tz)
    payload = _normalized(deps, spec, quick.payload())
    with deps.sessions.begin() as session:
        ctx = deps.engine_context(session)
        checked, problems = requests.check(ctx, spec, user, payload)
        calendar = deps.calendar(session, user)
        days = quick.span.working_days(calendar)
        charges = [
            views.YearCharge(
                part.start.year,
                part.working_days(calendar),
                balances.balance_of(
                    current_balances(deps, session, user, year=part.start.year), quick.type.id
                ),
            )
            for part in quick.span.by_year()
        ]
    messages = [_problem_text(me.t, problem) for problem in problems]
    blocks = views.quick_summary(
        me.t,
        deps.policy,
        quick.type,
        quick.span,
        quick.reason,
        days,
        charges,
        messages,
        checked.payload,
    )
    respond(text=me.t("leave.quick.title"), blocks=blocks, response_type="ephemeral")


def _problem_text(t: Translator, problem: DomainError) -> str:
    return t(problem.key, **problem.params)


def _department_channel(deps: Deps, user: str) -> str | None:
    with deps.sessions.begin() as session:
        dept = Directory(session).department_of(user)
    return dept.channel if dept else None


def _post_notice(deps: Deps, job: ClaimedJob) -> None:
    with deps.sessions.begin() as session:
        request = requests_repo.get(session, job.payload["request_id"])
        if request is None:
            return
        requester, payload = request.requester, dict(request.payload)
    channel = _department_channel(deps, requester)
    span = _span_of(payload)
    if channel is None or span is None:
        return
    t = Translator(deps.org_language())
    text = views.notice_text(
        t, deps.policy, job.payload["event"], requester, span, payload.get("handover")
    )
    deps.deliver.post(channel, text=text)


def _post_morning(deps: Deps, job: ClaimedJob) -> None:
    day = date.fromisoformat(job.payload["date"])
    with deps.sessions.begin() as session:
        directory = Directory(session)
        dept = directory.department(job.payload["department"])
        if dept is None or dept.channel is None:
            return
        out = [
            (leave.user, leave.span)
            for leave in queries.out_on(session, deps.policy, directory.members(dept.id), day, day)
        ]
    if not out:
        return  # nobody out: no post, no noise
    title, blocks = views.morning_blocks(Translator(deps.org_language()), deps.policy, day, out)
    deps.deliver.post(dept.channel, text=title, blocks=blocks)


def _morning_scheduler(deps: Deps) -> Any:
    """Each working day at the policy's hour, one who-is-out job per department channel."""
    done: set[date] = set()
    morning_post = deps.policy.section(LeavePolicy).morning_post
    hour, minute = (int(x) for x in (morning_post or "09:00").split(":"))

    def schedule_morning(now: datetime) -> None:
        if morning_post is None:
            return
        with deps.sessions.begin() as session:
            tz = deps.org_tz(session)
            local = now.astimezone(tz)
            today = local.date()
            if today in done or local.time() < time(hour, minute):
                return
            if deps.calendar(session).is_working_day(today):
                for dept in Directory(session).departments():
                    if dept.channel:
                        jobs.schedule(
                            session,
                            kind=MORNING,
                            due_at=now,
                            now=now,
                            payload={"department": dept.id, "date": today.isoformat()},
                            dedupe_key=f"leave:morning:{today.isoformat()}:{dept.id}",
                        )
        done.add(today)

    return schedule_morning


MODULE = ProcedureModule(
    domain=DOMAIN,
    commands=("/leave",),
    help=(
        HelpEntry("/leave", "help.leave", "/leave annual 12月1日下午到12月3日 家里有事"),
        HelpEntry("/leave balance", "help.leave.balance", "/leave balance"),
        HelpEntry("/leave mine", "help.leave.mine", "/leave mine"),
        HelpEntry("/leave who", "help.leave.who", "/leave who tomorrow"),
    ),
    listeners=register,
    jobs=_jobs,
    maintenance=lambda deps: [_morning_scheduler(deps)],
    prompt_extras=attendance.prompt_extras,
    openers=attendance.openers,
    home=home_section,
    enabled=_enabled,
)
