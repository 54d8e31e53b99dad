"""Filing and following requests: `/procedo new|pending|requests|show|delegate`, the form
(new or resubmitted), and comments typed in a request's thread."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta
from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond

from handlers.decisions import audit_refusal, current_view, refuse
from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from procedures import dates, delegations, forms, requests
from procedures.errors import DomainError, NotAllowed, NotFound
from procedures.form_display import escape
from procedures.policy.procedures import ProcedureSpec
from procedures.request_view import events, snapshot
from slackui.commands import HelpEntry, Subcommand
from slackui.ids import Action, Callback
from slackui.payloads import FormMeta, RequestRef
from slackui.views import request_lists as lists
from slackui.views import request_modals as modals
from slackui.views.forms import read_state, view_errors
from store import requests_repo, slack_repo

log = logging.getLogger("procedo.requests")

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|^([UW][A-Z0-9]{2,})\b")


def register(app: App, deps: Deps) -> None:
    deps.commands.add_help(
        HelpEntry("/procedo new", "help.procedo.new", "/procedo new expense"),
        HelpEntry("/procedo pending", "help.procedo.pending", "/procedo pending"),
        HelpEntry("/procedo requests", "help.procedo.requests", "/procedo requests"),
        HelpEntry("/procedo show", "help.procedo.show", "/procedo show EX-0007"),
        HelpEntry(
            "/procedo delegate", "help.procedo.delegate", "/procedo delegate @carol until 12月10日"
        ),
    )
    deps.commands.add_subcommand(Subcommand("new", _new, aliases=("file", "申请")))
    deps.commands.add_subcommand(Subcommand("pending", _pending, aliases=("待办", "审批")))
    deps.commands.add_subcommand(Subcommand("requests", _mine, aliases=("mine", "我的")))
    deps.commands.add_subcommand(Subcommand("show", _show, aliases=("查看",)))
    deps.commands.add_subcommand(Subcommand("delegate", _delegate, aliases=("转交",)))

    on = listener(deps)

    @app.action(re.compile(rf"^{re.escape(Action.REQUEST_NEW)}(:[a-z0-9_-]+)?$"))
    @on
    def new_clicked(i: Interaction) -> None:
        i.ack()
        open_form(deps, i.trigger_id, i.user, i.value)

    @app.action(Action.REQUEST_RESUBMIT)
    @on
    def resubmit_clicked(i: Interaction) -> None:
        i.ack()
        view = current_view(deps, RequestRef.parse(i.value).request_id)
        if view.requester != i.user:
            refuse(i, view.id, "resubmit", NotAllowed("request.error.not_yours"))
        if view.state != "returned":
            raise DomainError("request.error.not_now", state=view.state)
        with deps.sessions.read() as session:
            returned = next(
                (e for e in reversed(events(session, view.id)) if e.action == "request.returned"),
                None,
            )
        modal = modals.form_modal(
            view.spec,
            i.t,
            request_id=view.id,
            number=view.number,
            initial=view.payload,
            returned=(returned.actor, returned.reason or "") if returned else None,
        )
        deps.client.views_open(trigger_id=i.trigger_id, view=modal)

    @app.view(Callback.REQUEST_FORM)
    @on
    def form_submitted(i: Interaction) -> None:
        submit_form(i)

    @app.event("message")
    @on
    def thread_message(i: Interaction) -> None:
        event = i.body.get("event")
        if not isinstance(event, dict) or event.get("subtype") or event.get("bot_id"):
            return
        thread_ts, user, channel = event.get("thread_ts"), event.get("user"), event.get("channel")
        if not thread_ts:
            return  # not in a thread: not a comment on a request
        text = event.get("text") or ""
        if not (isinstance(thread_ts, str) and isinstance(user, str) and user):
            log.warning("ignored a message event without a valid thread or user")
            return
        if not (isinstance(channel, str) and channel and isinstance(text, str)):
            log.warning("ignored a message event without a channel or text")
            return
        with deps.sessions.read() as session:
            request_id = slack_repo.request_by_card(session, channel, thread_ts)
        if request_id is None:
            return
        i.run(lambda ctx: requests.comment(ctx, request_id, user, text))


def open_form(deps: Deps, trigger_id: str, user: str, procedure: str) -> None:
    body = {"trigger_id": trigger_id, "user": {"id": user}}
    entry = deps.commands.form(procedure)
    if entry is not None and entry.opener in deps.openers:
        deps.openers[entry.opener](deps, body)  # a module's own form (a meeting notice)
        return
    spec = deps.policy.procedure(procedure)
    if spec is None or not spec.enabled:
        raise NotFound("request.error.unknown_procedure", procedure=procedure[:40])
    if not spec.offered:
        deps.people.translator(user)  # the refusal speaks their Slack language, even the first time
        raise NotAllowed(
            "request.error.not_offered", procedure=spec.name.model_dump(), cite=spec.cite
        )
    refused: NotAllowed | None = None
    with deps.sessions.read() as session:  # never behind a write: the trigger dies in 3 s
        try:
            requests.require_may_file(deps.engine_context(session), spec, user)
        except NotAllowed as exc:
            refused = exc
    if refused is not None:
        deps.people.translator(user)  # the refusal speaks their Slack language, even the first time
        raise refused
    own = deps.openers.get(f"new:{procedure}")  # a module's own form (supplies: its lines)
    if own is not None:
        own(deps, body)
        return
    t = deps.people.translator(user, refresh=False)
    deps.client.views_open(trigger_id=trigger_id, view=modals.form_modal(spec, t))


def submit_form(i: Interaction) -> None:
    """Validate in the ack (field errors in the user's language), then file or resubmit, once
    per view; the ack closes the modal and the requester's DM confirms the number."""
    deps, user, t = i.deps, i.user, i.t
    meta = FormMeta.load(i.view.get("private_metadata"))
    spec = deps.policy.procedure(meta.procedure)
    if spec is None:
        raise NotFound("request.error.unknown_procedure", procedure=meta.procedure[:40])
    today = deps.clock.now().astimezone(deps.org_tz()).date()
    payload, errors = forms.validate(
        spec.fields, read_state(spec.fields, i.state_values), today=today
    )
    if errors:
        i.field_errors(view_errors(errors, t))
        return
    request_id = meta.request_id
    try:
        i.run(
            lambda ctx: (
                requests.resubmit(ctx, request_id, user, payload)
                if request_id
                else requests.submit(ctx, spec, user, payload)
            ),
            once=True,
        )
    except DomainError as exc:
        if request_id and isinstance(exc, NotAllowed):
            i.run(lambda ctx: audit_refusal(ctx, request_id, user, "resubmit"))
        i.field_errors(problem_errors(spec, exc, t))
        return
    i.ack()


def problem_errors(spec: ProcedureSpec, error: DomainError, t: Any) -> dict[str, str]:
    """A problem found beyond the form goes on its field, or on the first field."""
    field = getattr(error, "field", None) or spec.fields[0].id
    params = {k: str(v) for k, v in t.localized(error.params).items()}
    error_as_field = forms.FieldError(field=field, key=error.key, params=params)
    return view_errors([error_as_field], t, fields=spec.fields)


def _new(deps: Deps, user: str, respond: Respond, rest: str, **kwargs: Any) -> None:
    command = kwargs["command"]
    if rest:
        open_form(deps, command["trigger_id"], user, rest.split()[0].lower())
        return
    t = deps.people.translator(user)
    offered = [spec for spec in deps.policy.active_procedures() if spec.offered]
    forms = [f for f in deps.commands.forms if f.opener in deps.openers]
    blocks = lists.new_blocks(offered, forms, t)
    respond(text=t("request.new.title"), blocks=blocks, response_type="ephemeral")


def _pending(deps: Deps, user: str, respond: Respond, _rest: str, **_: Any) -> None:
    me = deps.people.view(user)
    with deps.sessions.read() as session:
        items = [
            snapshot(session, deps.policy, request)
            for request, _step in requests_repo.pending_for(session, user)
            if deps.policy.procedure(request.procedure)
        ]
    respond(
        text=me.t("request.list.pending_title"),
        blocks=lists.pending_blocks(items, me.t, me.tz),
        response_type="ephemeral",
    )


def _mine(deps: Deps, user: str, respond: Respond, _rest: str, **_: Any) -> None:
    me = deps.people.view(user)
    with deps.sessions.read() as session:
        items = [
            snapshot(session, deps.policy, request)
            for request in requests_repo.mine(session, user)
            if deps.policy.procedure(request.procedure)
        ]
    respond(
        text=me.t("request.list.mine_title"),
        blocks=lists.mine_blocks(items, me.t, me.tz),
        response_type="ephemeral",
    )


def _show(deps: Deps, user: str, respond: Respond, rest: str, **_: Any) -> None:
    me = deps.people.view(user)
    if not rest:
        respond(text=me.t("request.show.usage"), response_type="ephemeral")
        return
    with deps.sessions.read() as session:
        ctx = deps.engine_context(session)
        request = requests.find_by_number(ctx, rest)
        if not requests.can_see(ctx, request, user):
            raise NotAllowed("request.error.not_visible", number=rest.strip()[:20])
        view = snapshot(session, deps.policy, request)
        trail = events(session, request.id)
    blocks = lists.show_blocks(view, trail, me.t, me.tz)
    respond(text=view.number, blocks=blocks, response_type="ephemeral")


def _delegate(deps: Deps, user: str, respond: Respond, rest: str, **_: Any) -> None:
    me = deps.people.view(user)
    now = deps.clock.now()
    if rest.strip().lower() in ("off", "stop", "none", "关闭", "取消"):
        with deps.sessions.begin() as session:
            count = delegations.revoke(session, user, now)
        respond(text=me.t("delegation.off", count=count), response_type="ephemeral")
        return
    match = MENTION.search(rest.strip())
    if not rest.strip():
        with deps.sessions.read() as session:
            existing = delegations.current(session, user, now)
        lines = [
            me.t(
                "delegation.current",
                to=d.delegate,
                start=_day(d.starts_at, me.tz),
                end=_day(d.ends_at - timedelta(seconds=1), me.tz),
            )
            for d in existing
        ]
        respond(text="\n".join(lines) or me.t("delegation.none"), response_type="ephemeral")
        return
    if match is None:
        respond(text=me.t("delegation.usage"), response_type="ephemeral")
        return
    to = match.group(1) or match.group(2)
    when_text = rest[match.end() :].strip()
    when_text = re.sub(
        r"^(until|till|to|through|直到|到|至)\s*", "", when_text, flags=re.IGNORECASE
    )
    when_text = re.sub(r"^(from|从)\s*", "", when_text, flags=re.IGNORECASE)
    try:
        when = dates.parse_when(when_text, now=now, tz=me.tz)
    except dates.DateParseError:
        text = me.t("delegation.bad_date", text=escape(when_text[:100]))
        respond(text=text, response_type="ephemeral")
        return
    first = _as_date(when.start) if when.end != when.start else None
    span = delegations.period(first, _as_date(when.end), now=now, tz=me.tz)
    try:
        with deps.sessions.begin() as session:
            job = delegations.delegate(session, user, to, span, now)
    except NotAllowed as exc:
        with deps.sessions.begin() as session:
            delegations.refused(session, user, now, exc.key)
        raise
    deps.after_commit([job])
    respond(
        text=me.t(
            "delegation.set",
            to=to,
            start=_day(span.starts, me.tz),
            end=_day(span.ends - timedelta(seconds=1), me.tz),
        ),
        response_type="ephemeral",
    )


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _day(when: datetime, tz: Any) -> str:
    return when.astimezone(tz).date().isoformat()
