"""Action and input tasks: the task button (in the case's thread and the assignee's DM) opens
the task's modal; its submission is validated with the form machinery, committed, then acked.
Also the overdue jobs (the assignees' DMs are kept in line by `handlers.assignee_dms`).

Both listeners run through `handlers.interaction`: validate, commit, ack, then deliver.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from sqlalchemy.orm import Session

from handlers.decisions import current_view
from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from handlers.outbox import Post, schedule_posts
from procedures import forms, overdue, tasks
from procedures.engine import Stale
from procedures.errors import InvalidInput
from procedures.policy.forms import FieldSpec
from procedures.request_view import RequestView, StepView, events, snapshot
from slackui.ids import Action, Callback
from slackui.payloads import StepRef
from slackui.views import tasks as views
from slackui.views.forms import read_state, view_errors
from store import requests_repo


def register(app: App, deps: Deps) -> None:
    deps.jobs.register(overdue.NUDGE, lambda job: _overdue(deps, job.payload, escalated=False))
    deps.jobs.register(overdue.ESCALATE, lambda job: _overdue(deps, job.payload, escalated=True))

    on = listener(deps)

    @app.action(Action.TASK_OPEN)
    @on
    def task_clicked(i: Interaction) -> None:
        i.ack()
        ref = StepRef.parse(i.value)
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
            trigger_id=i.trigger_id, view=views.modal(view, step, t, note, fields)
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
        values, errors = forms.validate(fields, read_state(fields, i.state_values), today=today)
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
