"""Action and input tasks: the task button (in the case's thread and the assignee's DM) opens
the task's modal; its submission is validated with the form machinery, committed, then acked.
Also the assignees' DMs (kept in line by the case's sync job) and the overdue jobs.

Both listeners run through `handlers.interaction`: validate, commit, ack, then deliver.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from handlers.decisions import current_view
from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from handlers.outbox import Post, schedule_posts
from procedures import forms, overdue, tasks
from procedures.engine import Stale
from procedures.errors import InvalidInput
from procedures.policy.forms import FieldSpec
from procedures.request_view import Event, RequestView, StepView, events, snapshot
from slackui import blocks as b
from slackui.ids import Action, Callback
from slackui.payloads import StepRef
from slackui.views import tasks as views
from slackui.views.forms import read_state, view_errors
from store import requests_repo
from store.models import RequestApprover, RequestStep


def register(app: App, deps: Deps) -> None:
    deps.jobs.register(overdue.NUDGE, lambda job: _overdue(deps, job.payload, escalated=False))
    deps.jobs.register(overdue.ESCALATE, lambda job: _overdue(deps, job.payload, escalated=True))

    on = listener(deps)

    @app.action(Action.TASK_OPEN)
    @on
    def task_clicked(i: Interaction) -> None:
        i.ack()
        ref = StepRef.parse(str(i.body["actions"][0]["value"]))
        view = current_view(deps, ref.request_id)
        step = _waiting_step(view, ref.round, ref.position)
        if step is None or i.user not in step.waiting:
            key = "task.told.moved_on" if step is None else "task.told.not_yours"
            i.reply(i.t(key, number=view.number, step=ref.position + 1))
            return
        t = i.t  # read before the session: the profile is a unit of work of its own
        with deps.sessions.read() as session:
            note = views.sent_back_note(view, events(session, view.id), t)
            fields = _fields(deps, session, view, step)
        deps.client.views_open(
            trigger_id=i.body["trigger_id"], view=views.modal(view, step, t, note, fields)
        )

    @app.view(Callback.TASK_FORM)
    @on
    def task_submitted(i: Interaction) -> None:
        meta = StepRef.load(i.view.get("private_metadata"))
        case = current_view(deps, meta.request_id)
        step = _waiting_step(case, meta.round, meta.position)
        declared = views.declared(case, step) if step is not None else None
        if step is None or declared is None:
            i.reply(i.t("task.told.moved_on", number=case.number))
            return
        today = deps.clock.now().astimezone(deps.org_tz()).date()
        with deps.sessions.read() as session:
            fields = _fields(deps, session, case, step)
        values, errors = forms.validate(
            fields, read_state(fields, i.view["state"]["values"]), today=today
        )
        if errors:
            i.field_errors(view_errors(errors, i.t))
            return
        try:
            outcome = i.run(
                lambda ctx: tasks.complete(
                    ctx, meta.request_id, i.user, values, round_=meta.round, position=meta.position
                ),
                once=True,
            )
        except Stale:
            i.reply(i.t("task.told.moved_on", number=case.number))
            return
        except InvalidInput as exc:  # a hook refused what was captured (more than reserved)
            if exc.field is None:
                raise
            i.field_errors({f"f:{exc.field}": i.t(exc.key, **exc.params)})
            return
        i.ack()
        if outcome.kind == "refused":
            i.reply(i.t("task.told.not_yours", number=case.number, step=meta.position + 1))


def _fields(deps: Deps, session: Session, view: RequestView, step: StepView) -> list[FieldSpec]:
    """The task's form: as declared, or as the procedure's hooks widen it for this case."""
    declared = views.declared(view, step)
    ctx = deps.engine_context(session)
    hooks = ctx.hooks(view.spec)
    return hooks.task_fields(
        ctx.hook_context(view.requester, view.id),
        view.id,
        declared.id if declared else None,
        declared.fields if declared else [],
    )


def _waiting_step(view: RequestView, round_: int, position: int) -> StepView | None:
    step = view.current
    if step is None or step.task == "decision" or view.round != round_ or view.step != position:
        return None
    return step


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
    _close_earlier_rounds(deps, view)


def _close_earlier_rounds(deps: Deps, view: RequestView) -> None:
    """A task that sent its case to a new round (a partial issue reopening the receipt) is in
    an earlier round than the view shows: its DM loses its button too."""
    with deps.sessions.read() as session:
        rows = session.execute(
            select(RequestApprover, RequestStep.position)
            .join(RequestStep, RequestStep.id == RequestApprover.step_id)
            .where(
                RequestApprover.request_id == view.id,
                RequestApprover.dm_open.is_(True),
                RequestStep.round < view.round,
            )
        ).all()
        stale = [
            (row.id, row.user_id, row.dm_channel, row.dm_ts, row.decision, position)
            for row, position in rows
        ]
    for row_id, user, channel, ts, decision, position in stale:
        if channel and ts:
            t = deps.people.translator(user)
            state = "task.state.done" if decision == "done" else "task.state.moved_on"
            text = t("task.prompt.closed", number=view.number, step=position + 1, outcome=t(state))
            deps.deliver.update(channel, ts, text=text, blocks=b.to_dicts([b.context(text)]))
        _save(deps, row_id, dm_open=False)


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
