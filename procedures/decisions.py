"""Deciding requests: approve, reject, return, delegate, admin override; and the clock's timers
(remind, escalate, expire).

A decision names the round and step it was clicked on. If the request has moved on, the click
is stale (`Stale`); if two decisions race, the request's version column lets exactly one commit
(the other's flush raises StaleDataError, which the caller turns into `Stale` after a rollback).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from procedures import approvals, engine, flow
from procedures.approvals import Decision, State
from procedures.engine import Ctx
from procedures.engine import Stale as Stale
from procedures.errors import Conflict, InvalidInput, NotAllowed
from store import audit, requests_repo
from store.models import Request, RequestApprover, RequestStep

TimerAction = Callable[[Ctx, int, int, int], None]


@dataclass(frozen=True)
class Outcome:
    kind: Literal["decided", "vote", "refused", "needs_override"]
    request_id: int
    state: str
    why: str = "request.error.not_approver"  # the catalog key for a refusal


_open_step = engine.open_step


def decide(
    ctx: Ctx,
    request_id: int,
    actor: str,
    decision: Decision,
    *,
    round_: int,
    position: int,
    reason: str | None = None,
    override: bool = False,
) -> Outcome:
    request = engine.load(ctx, request_id)
    step = _open_step(ctx, request, round_, position)
    if step.task != "decision":
        raise Stale("request.error.stale", request_id=request.id)
    own_allowed = step.kind == "field"
    if actor == request.requester and not own_allowed:
        # Returned, not raised: the refusal is audited, and a raise would roll it back.
        engine.record(ctx, request, "request.refused", actor, attempted=str(decision), own=True)
        return Outcome("refused", request.id, request.state, why="request.error.own")
    reason = (reason or "").strip() or None
    rows = requests_repo.approvers(ctx.session, step)
    waiting = engine.undecided(ctx, step)  # in order: only the one whose turn it is
    power = approvals.authority(
        actor,
        waiting,
        requester=request.requester,
        is_bot_admin=ctx.is_bot_admin(actor),
        own_allowed=own_allowed,
    )
    if power is None:
        engine.record(ctx, request, "request.refused", actor, attempted=str(decision))
        return Outcome("refused", request.id, request.state)
    if power.kind == "override" and not override:
        return Outcome("needs_override", request.id, request.state)
    if (override or decision != Decision.APPROVE) and reason is None:
        raise InvalidInput("request.error.reason_required", field="reason")
    if decision == Decision.RETURN and request.state == State.CANCELLING:
        raise Conflict("request.error.not_now", state=request.state)
    declared = engine.step_spec(ctx.spec(request.procedure), step)
    if declared is not None and str(decision) not in declared.decisions:
        raise NotAllowed("request.error.not_offered")

    verdict = {"approve": "approved", "reject": "rejected", "return": "returned"}[decision]
    if power.kind == "override":
        ctx.session.add(
            RequestApprover(
                step_id=step.id,
                request_id=request.id,
                user_id=actor,
                source="override",
                active=True,
                decision=verdict,
                decided_at=ctx.now,
            )
        )
        result: str = verdict
        engine.record(ctx, request, "request.override", actor, reason=reason, decision=verdict)
    else:
        for row in rows:
            if row.user_id == actor and row.decision is None:
                row.decision, row.decided_at = verdict, ctx.now
        votes = [approvals.Vote(row.user_id, row.decision) for row in rows]
        result = approvals.step_result(step.mode, votes)
    request.updated_at = ctx.now

    if result == "open":  # an all-mode or in-order step still waits for others
        if step.mode == "in_order":
            step.assignment += 1  # the next one's turn: they are prompted
        engine.record(ctx, request, "request.vote", actor, decision=verdict)
        ctx.session.flush()
        engine.sync(ctx, request)
        return Outcome("vote", request.id, request.state)

    spec = ctx.spec(request.procedure)
    step.state = result
    engine.stop_timers(ctx, request, step)
    before = request.state
    sends_back = result == "returned" and declared is not None and declared.returns_to
    if result == "approved" or sends_back:
        where = flow.after_step(ctx, request, spec, step, actor, result, reason)
        if where != "last":
            ctx.session.flush()
            engine.sync(ctx, request)
            return Outcome("decided", request.id, request.state)
        request.state = approvals.transition(before, flow.end_event(spec, before))
    else:
        request.state = approvals.transition(before, "reject" if result == "rejected" else "return")
        request.reason = reason
    engine.settle(ctx, request, before, actor)
    action = {
        State.APPROVED: "request.cancel_refused"
        if before == State.CANCELLING
        else "request.approved",
        State.CANCELLED: "request.cancelled",
        State.CLOSED: "request.closed",
        State.REJECTED: "request.rejected",
        State.RETURNED: "request.returned",
    }[State(request.state)]
    engine.record(
        ctx, request, action, actor, from_state=before, to_state=request.state, reason=reason
    )
    ctx.session.flush()
    engine.sync(ctx, request)
    return Outcome("decided", request.id, request.state)


def delegate(
    ctx: Ctx, request_id: int, actor: str, to: str, *, round_: int, position: int
) -> Request:
    """An approver hands their decision on this step to someone else."""
    request = engine.load(ctx, request_id)
    step = _open_step(ctx, request, round_, position)
    rows = requests_repo.approvers(ctx.session, step)
    mine = [row for row in rows if row.user_id == actor and row.decision is None]
    if not mine:
        raise NotAllowed("request.error.not_approver")
    if to in (actor, request.requester):
        raise InvalidInput("request.error.bad_delegate", field="delegate")
    if ctx.directory.department_of(to) is None:
        raise InvalidInput("request.error.delegate_not_in_org", field="delegate")
    if any(row.user_id == to for row in rows):
        raise InvalidInput("request.error.already_approver", field="delegate")
    for row in mine:
        row.active = False
    engine.assign(
        ctx,
        request,
        step,
        to,
        on_behalf_of=mine[0].on_behalf_of or actor,
        source="delegated",
        turn=mine[0].turn,
    )
    step.assignment += 1
    request.updated_at = ctx.now
    engine.record(ctx, request, "request.delegated", actor, to=to)
    ctx.session.flush()
    engine.sync(ctx, request)
    return request


def hand_over_waiting(ctx: Ctx, request_id: int, approver: str) -> bool:
    """A standing delegation (or leave) of `approver` began while this request already waited
    on them: it goes to their delegate now, as a new request would. False if nothing moved."""
    request = requests_repo.get(ctx.session, request_id, for_update=True)
    step = engine.current_step(ctx, request) if request is not None else None
    if request is None or step is None:
        return False
    moved = engine.hand_over(ctx, request, step, only=approver)
    if not moved:
        return False
    step.assignment += 1
    request.updated_at = ctx.now
    engine.record(ctx, request, "request.delegated", approver, to=moved[0][0], standing=True)
    ctx.session.flush()
    engine.sync(ctx, request)
    return True


def _timer_step(
    ctx: Ctx, request_id: int, round_: int, position: int
) -> tuple[Request, RequestStep] | None:
    request = requests_repo.get(ctx.session, request_id, for_update=True)
    if request is None:
        return None
    try:
        return request, _open_step(ctx, request, round_, position)
    except Stale:
        return None  # decided meanwhile: the timer has nothing to do


def remind(ctx: Ctx, request_id: int, round_: int, position: int) -> None:
    found = _timer_step(ctx, request_id, round_, position)
    if found is None:
        return
    request, step = found
    engine.record(ctx, request, "request.reminded", audit.SYSTEM, users=engine.undecided(ctx, step))
    engine.sync(ctx, request)


def escalate(ctx: Ctx, request_id: int, round_: int, position: int) -> None:
    """No decision in time: the level above each waiting approver may decide too."""
    found = _timer_step(ctx, request_id, round_, position)
    if found is None:
        return
    request, step = found
    org = engine.DirectoryOrg(ctx.directory)
    present = {row.user_id for row in requests_repo.approvers(ctx.session, step, active_only=False)}
    above = {org.approver_above(user) for user in engine.undecided(ctx, step)} - {
        None,
        request.requester,
    }
    added = sorted(user for user in above if user is not None and user not in present)
    if not added:
        added = sorted(
            u
            for u in ctx.directory.users_with_role("bot_admin")
            if u not in present and u != request.requester
        )
    for user in added:
        engine.assign(ctx, request, step, user, source="escalated")
    step.assignment += 1
    request.updated_at = ctx.now
    engine.record(ctx, request, "request.escalated", audit.SYSTEM, to=added)
    ctx.session.flush()
    engine.sync(ctx, request)


def expire(ctx: Ctx, request_id: int, round_: int, position: int) -> None:
    found = _timer_step(ctx, request_id, round_, position)
    if found is None:
        return
    request, step = found
    before = request.state
    request.state = approvals.transition(before, "expire")
    step.state = "expired"
    engine.settle(ctx, request, before, None)
    engine.record(
        ctx,
        request,
        "request.expired",
        audit.SYSTEM,
        from_state=before,
        to_state=request.state,
    )
    ctx.session.flush()
    engine.sync(ctx, request)
