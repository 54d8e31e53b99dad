"""Where a case goes once one of its tasks is finished: the procedure's hooks react first, then
the case moves to the next step, is sent back to an earlier one, or ends.

Shared by decisions (`procedures.decisions`) and action / input tasks (`procedures.tasks`);
everything runs in the caller's transaction.
"""

from __future__ import annotations

from typing import Literal

from procedures import approvals, engine
from procedures.approvals import State
from procedures.engine import Ctx
from procedures.errors import Conflict
from procedures.hooks import Finish, GoTo, SendBack, TaskOutcome
from procedures.policy.procedures import ProcedureSpec
from store import requests_repo
from store.models import Request, RequestStep

Next = Literal["advanced", "sent_back", "last"]


def outcome_of(
    ctx: Ctx,
    request: Request,
    spec: ProcedureSpec,
    step: RequestStep,
    actor: str,
    result: str,
    reason: str | None,
) -> TaskOutcome:
    declared = engine.step_spec(spec, step)
    rows = requests_repo.approvers(ctx.session, step, active_only=False)
    return TaskOutcome(
        request_id=request.id,
        step=declared.id if declared else None,
        position=step.position,
        round=step.round,
        kind=step.task,
        result=result,
        actor=actor,
        reason=reason,
        payload=dict(request.payload or {}),
        captured={row.user_id: dict(row.data) for row in rows if row.data is not None},
    )


def after_step(
    ctx: Ctx,
    request: Request,
    spec: ProcedureSpec,
    step: RequestStep,
    actor: str,
    result: str,
    reason: str | None,
) -> Next:
    """`step` just finished with `result` (approved, returned, done). Returns "last" when the
    case has nothing left to do: the caller ends it and records how."""
    directive = None
    if request.state == State.PENDING:  # a cancellation's approval is not a task of the case
        outcome = outcome_of(ctx, request, spec, step, actor, result, reason)
        hook_ctx = ctx.hook_context(request.requester, request.id)
        directive = ctx.hooks(spec).on_task(hook_ctx, outcome)
    declared = engine.step_spec(spec, step)
    if directive is None and result == "returned" and declared and declared.returns_to:
        directive = SendBack(declared.returns_to, reason)
    if isinstance(directive, SendBack):
        send_back(ctx, request, spec, directive.to, actor, directive.reason or reason, step)
        return "sent_back"
    if isinstance(directive, Finish):
        for later in requests_repo.steps(ctx.session, request):
            if later.position > step.position and later.state == "waiting":
                later.state = "skipped"  # the card shows them skipped, not still to come
        return "last"
    following = requests_repo.step_at(ctx.session, request, step.position + 1)
    if isinstance(directive, GoTo):
        following = skip_to(ctx, request, spec, step, directive.to, actor)
    if following is None:
        return "last"
    engine.activate(ctx, request, following, spec)
    if step.task == "decision":
        engine.record(
            ctx,
            request,
            "request.step_approved",
            actor,
            from_state=request.state,
            to_state=request.state,
            reason=reason,
            position=step.position,
        )
    return "advanced"


def skip_to(
    ctx: Ctx, request: Request, spec: ProcedureSpec, step: RequestStep, to: str, actor: str
) -> RequestStep:
    """The later step `to` of this round; the steps between are marked skipped."""
    index = spec.step_index(to)
    later = [s for s in requests_repo.steps(ctx.session, request) if s.position > step.position]
    target = next((s for s in later if s.spec_index == index), None)
    if target is None:
        raise Conflict("request.error.not_now", state=request.state)
    skipped = [s for s in later if s.position < target.position]
    for between in skipped:
        between.state = "skipped"
    engine.record(
        ctx,
        request,
        "request.steps_skipped",
        actor,
        positions=[s.position for s in skipped],
        to_position=target.position,
    )
    return target


def end_event(spec: ProcedureSpec, before: str) -> str:
    """The transition a case takes when its last task is done."""
    return "close" if spec.ends == "closed" and before == State.PENDING else "approve_last"


def send_back(
    ctx: Ctx,
    request: Request,
    spec: ProcedureSpec,
    to: str,
    actor: str,
    reason: str | None,
    from_step: RequestStep,
) -> None:
    """A new round that reopens step `to`: the steps before it carry over as they were (with
    what their people did), the rest wait again. The old round stays as it was: history."""
    target_index = spec.step_index(to)
    if target_index is None:
        raise Conflict("request.error.not_now", state=request.state)
    send_back_to(ctx, request, spec, target_index, actor, reason, from_step)


def send_back_to(
    ctx: Ctx,
    request: Request,
    spec: ProcedureSpec,
    target_index: int,
    actor: str,
    reason: str | None,
    from_step: RequestStep,
) -> None:
    """`send_back` to the declared step `target_index` (退回 to any earlier step)."""
    planned = engine.plan_steps(ctx, spec, request.requester, engine.values_of(request))
    route = [p.step for p in planned if p.step is not None]
    target = next((p for p in route if p.spec_index == target_index), None)
    # The same step may be reopened (a short delivery: receive the rest later).
    if target is None or target.position > from_step.position:
        raise Conflict("request.error.not_now", state=request.state)
    old = {s.spec_index: s for s in requests_repo.steps(ctx.session, request)}
    request.round, request.step = request.round + 1, target.position
    request.reason, request.updated_at = reason, ctx.now
    ctx.session.flush()
    steps = engine.start_route(ctx, request, planned)
    for step in steps[: target.position]:
        _carry(ctx, request, step, old.get(step.spec_index))
    engine.activate(ctx, request, steps[target.position], spec)
    engine.record(
        ctx,
        request,
        "request.sent_back",
        actor,
        from_state=request.state,
        to_state=request.state,
        reason=reason,
        position=target.position,
        from_position=from_step.position,
    )


def _carry(ctx: Ctx, request: Request, step: RequestStep, old: RequestStep | None) -> None:
    """An earlier step keeps its result in the new round: same state, same people's records."""
    for row in requests_repo.approvers(ctx.session, step, active_only=False):
        ctx.session.delete(row)
    ctx.session.flush()
    step.state = old.state if old is not None else "skipped"
    step.activated_at = old.activated_at if old is not None else None
    if old is None:
        return
    requests_repo.copy_approvers(ctx.session, old, step)


def finish(ctx: Ctx, request: Request, spec: ProcedureSpec, actor: str) -> None:
    """The last task is done: the case is approved (or closed) and its hooks act."""
    before = request.state
    request.state = approvals.transition(before, end_event(spec, before))
    engine.settle(ctx, request, before, actor)
    action = "request.closed" if request.state == State.CLOSED else "request.approved"
    engine.record(ctx, request, action, actor, from_state=before, to_state=request.state)
