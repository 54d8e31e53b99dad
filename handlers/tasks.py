"""Action and input tasks: the task button (in the case's thread and the assignee's DM) opens
the task's modal; its submission is validated with the form machinery, committed, then acked.
Also the assignees' DMs (kept in line by the case's sync job) and the overdue jobs.

No Web API call happens before `ack()`: a button acks first; a submission validates, commits,
acks, and only then runs what the commit scheduled.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from slack_bolt import Ack, App
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.deps import Deps
from bot.ids import Action, Callback
from bot.outbox import Post, schedule_posts
from bot.views import tasks as views
from bot.views.forms import read_state, view_errors
from bot.views.requests import parse_decision_value
from handlers.decisions import current_view
from procedures import forms, overdue, tasks
from procedures.decisions import Outcome
from procedures.engine import Ctx, Stale
from procedures.request_view import Event, RequestView, StepView, events, snapshot
from store import requests_repo
from store.models import RequestApprover

T = TypeVar("T")


def register(app: App, deps: Deps) -> None:
    deps.jobs.register(overdue.NUDGE, lambda job: _overdue(deps, job.payload, escalated=False))
    deps.jobs.register(overdue.ESCALATE, lambda job: _overdue(deps, job.payload, escalated=True))

    @app.action(Action.TASK_OPEN)
    def task_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        ack()
        user = body["user"]["id"]
        request_id, round_, position = parse_decision_value(action["value"])
        t = deps.people.translator(user, refresh=False)
        view = current_view(deps, request_id)
        step = _waiting_step(view, round_, position)
        if step is None or user not in step.waiting:
            key = "task.told.moved_on" if step is None else "task.told.not_yours"
            _tell(deps, body, user, t(key, number=view.number, step=position + 1))
            return
        with deps.sessions.begin() as session:
            note = views.sent_back_note(view, events(session, view.id), t)
        client.views_open(trigger_id=body["trigger_id"], view=views.modal(view, step, t, note))

    @app.view(Callback.TASK_FORM)
    def task_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        t = deps.people.translator(user, refresh=False)
        meta = json.loads(view["private_metadata"])
        request_id, round_, position = meta["request_id"], meta["round"], meta["position"]
        case = current_view(deps, request_id)
        step = _waiting_step(case, round_, position)
        declared = views.declared(case, step) if step is not None else None
        if step is None or declared is None:
            ack()
            _tell(deps, body, user, t("task.told.moved_on", number=case.number))
            return
        today = deps.clock.now().astimezone(deps.org_tz()).date()
        values, errors = forms.validate(
            declared.fields, read_state(declared.fields, view["state"]["values"]), today=today
        )
        if errors:
            ack(response_action="errors", errors=view_errors(errors, t))
            return
        try:
            outcome, jobs = _commit(
                deps,
                lambda ctx: tasks.complete(
                    ctx, request_id, user, values, round_=round_, position=position
                ),
            )
        except Stale:
            ack()
            _tell(deps, body, user, t("task.told.moved_on", number=case.number))
            return
        ack()
        deps.after_commit(jobs)
        if outcome.kind == "refused":
            _tell(deps, body, user, t("task.told.not_yours", number=case.number, step=position + 1))


def _waiting_step(view: RequestView, round_: int, position: int) -> StepView | None:
    step = view.current
    if step is None or step.task == "decision" or view.round != round_ or view.step != position:
        return None
    return step


def _commit(deps: Deps, work: Callable[[Ctx], Outcome]) -> tuple[Outcome, list[int]]:
    """One engine operation in one committed transaction, retried once if it lost a race on
    the version column (two people of an all-mode input submitting at once). The jobs it
    scheduled are returned, for the caller to run after it acked."""
    for attempt in (1, 2):
        try:
            with deps.sessions.begin() as session:
                ctx = deps.engine_context(session)
                result = work(ctx)
            return result, ctx.jobs
        except StaleDataError:
            if attempt == 2:
                raise Stale("request.error.stale") from None
    raise AssertionError("unreachable")


def _tell(deps: Deps, body: dict[str, Any], user: str, text: str) -> None:
    """A short answer after the ack: in the channel the button was in, else a DM."""
    channel = (body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get(
        "id"
    )
    if channel and not str(channel).startswith("D"):
        deps.deliver.ephemeral(channel, user, text=text)
    else:
        deps.deliver.dm(user, text=text)


# -- the assignees' DMs, kept in line by the case's sync job -------------------------------


def _save(deps: Deps, row_id: int, **values: object) -> None:
    # A plain UPDATE: Slack bookkeeping does not touch the case's version.
    with deps.sessions.begin() as session:
        session.execute(
            update(RequestApprover).where(RequestApprover.id == row_id).values(**values)
        )


def sync_assignee_dms(deps: Deps, view: RequestView, trail: list[Event]) -> None:
    """Each person an open action or input task waits on has a DM with its button; once the
    task no longer waits on them the DM says how it ended, without the button."""
    current = view.current
    for step in view.steps:
        if step.task == "decision":
            continue
        is_current = current is not None and step.id == current.id
        for person in step.approvers:
            waiting = is_current and person.active and person.decision is None
            if waiting and person.dm_ts is None:
                t = deps.people.translator(person.user)
                text, blocks = views.assignee_dm(
                    view, step, t, views.sent_back_note(view, trail, t)
                )
                sent = deps.deliver.dm(person.user, text=text, blocks=blocks)
                _save(deps, person.id, dm_channel=sent["channel"], dm_ts=sent["ts"], dm_open=True)
            elif not waiting and person.dm_open and person.dm_ts and person.dm_channel:
                t = deps.people.translator(person.user)
                text, blocks = views.closed(view, step, t)
                deps.deliver.update(person.dm_channel, person.dm_ts, text=text, blocks=blocks)
                _save(deps, person.id, dm_open=False)


# -- overdue cases --------------------------------------------------------------------------


def _overdue(deps: Deps, payload: dict[str, Any], *, escalated: bool) -> None:
    """Record it (the thread says so), then queue a DM to each person in their language. The
    DMs are jobs keyed per case and person, so a retry never sends one twice."""
    with deps.sessions.begin() as session:
        ctx = deps.engine_context(session)
        run = overdue.escalate if escalated else overdue.nudge
        notice = run(ctx, payload["request_id"])
        case = current_view_in(session, deps, notice.request_id) if notice else None
    jobs = list(ctx.jobs)
    if notice is not None and case is not None:
        # Languages are looked up outside the transaction (they may ask Slack).
        posts = [_overdue_post(deps, case, notice, user) for user in notice.to]
        jobs += [job for job in schedule_posts(deps, posts) if job is not None]
    deps.after_commit(jobs)


def current_view_in(session: Session, deps: Deps, request_id: int) -> RequestView:
    request = requests_repo.get(session, request_id)
    assert request is not None
    return snapshot(session, deps.policy, request)


def _overdue_post(deps: Deps, case: RequestView, notice: overdue.Notice, user: str) -> Post:
    t = deps.people.translator(user)  # a clock job: it may ask Slack for their language
    key = "task.overdue.escalated" if notice.escalated else "task.overdue.nudge"
    text = t(
        key,
        number=case.number,
        procedure=t.pick(case.spec.name.model_dump()),
        deadline=notice.deadline.isoformat(),
        owner=notice.owner,
    )
    kind = "escalated" if notice.escalated else "nudge"
    return Post(channel=user, text=text, key=f"overdue:{case.id}:{kind}:{user}")
