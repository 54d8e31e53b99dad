"""Approval actions people in China expect (Feishu / DingTalk 审批), on the one engine:

- 加签 `add_approver`: the current approver adds someone before themselves (前加签: the new
  person decides first, then it comes back; the route goes on in a new round, so buttons
  shown for the old places are stale) or after (后加签: a new step right after this one),
  with a reason. The new step is a step of the case's route like any other.
- 转交 `transfer`: the current assignee's task moves to someone else, who owns it (unlike a
  delegation, nobody acts "on behalf of"); with an optional reason.
- 退回 `return_to`: back to any earlier step of the route (a new round, see
  `flow.send_back_to`), or to the requester (`START`: the request is returned for changes).
- 催办 `nudge`: the requester reminds the current assignees, at most once an hour.
- 抄送: who is told when a case ends (the procedure's `cc`; `engine.settle` records it).

Authority is checked here, not in Slack: only whoever the current step waits on may add,
transfer or return; only the requester nudges. Every action is audited; a refused one too.
Everything runs in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from procedures import approvals, engine, flow
from procedures.approvals import State
from procedures.engine import Ctx
from procedures.engine import Stale as Stale
from procedures.errors import Conflict, InvalidInput, NotAllowed
from procedures.policy.procedures import ProcedureSpec
from store import audit, requests_repo
from store.models import Request, RequestStep

NUDGE_EVERY = timedelta(hours=1)
START = "start"  # 退回 to the requester: the request is returned for changes
Where = Literal["before", "after"]


def _mine(ctx: Ctx, request: Request, step: RequestStep, actor: str, attempted: str) -> None:
    """`actor` is whom the step waits on now; else the attempt is audited and refused."""
    if actor not in engine.undecided(ctx, step):
        engine.record(ctx, request, "request.refused", actor, attempted=attempted)
        raise NotAllowed("request.error.not_assignee")


def _colleague(ctx: Ctx, request: Request, step: RequestStep, actor: str, to: str) -> None:
    if to in (actor, request.requester):
        raise InvalidInput("request.error.bad_delegate", field="person")
    if ctx.directory.department_of(to) is None:
        raise InvalidInput("request.error.delegate_not_in_org", field="person")
    if any(row.user_id == to for row in requests_repo.approvers(ctx.session, step)):
        raise InvalidInput("request.error.already_approver", field="person")


def _reason(reason: str | None, *, required: bool) -> str | None:
    cleaned = (reason or "").strip() or None
    if required and cleaned is None:
        raise InvalidInput("request.error.reason_required", field="reason")
    return cleaned


def add_approver(
    ctx: Ctx,
    request_id: int,
    actor: str,
    to: str,
    where: Where,
    reason: str | None,
    *,
    round_: int,
    position: int,
) -> Request:
    """加签: a new decision step for `to`, before or after the current one."""
    request = engine.load(ctx, request_id)
    step = engine.open_step(ctx, request, round_, position)
    if step.task != "decision" or request.state != State.PENDING:
        raise Conflict("request.error.not_now", state=request.state)
    _mine(ctx, request, step, actor, "add_approver")
    _colleague(ctx, request, step, actor, to)
    why = _reason(reason, required=True)
    spec = ctx.spec(request.procedure)
    if where == "before":
        # The current step moves one place on, so a button shown for it would now name the
        # new step: the route continues in a new round (the old one stays as history, and
        # every button shown for it is stale).
        at = step.position
        engine.stop_timers(ctx, request, step)
        step.state = "waiting"
        _next_round(ctx, request, shift_from=at)
    else:
        at = step.position + 1  # later steps were never shown: they just move on
        _shift(ctx, request, at)
    added = RequestStep(
        request_id=request.id,
        round=request.round,
        position=at,
        kind="added",
        task="decision",
        spec_index=None,
        label={},
        mode="any",
        state="waiting",
        assignment=1,
        special=None,
    )
    ctx.session.add(added)
    ctx.session.flush()
    engine.assign(ctx, request, added, to, source="added", turn=0)
    if where == "before":
        engine.activate(ctx, request, added, spec)
    request.updated_at = ctx.now
    engine.record(
        ctx,
        request,
        "request.approver_added",
        actor,
        reason=why,
        to=to,
        where=where,
        position=at,
    )
    ctx.session.flush()
    engine.sync(ctx, request)
    return request


def _shift(ctx: Ctx, request: Request, at: int) -> None:
    """Make room at `at`: this round's steps from there move one place on, last first (the
    position is unique per round, and PostgreSQL checks that row by row)."""
    for later in reversed(requests_repo.steps(ctx.session, request)):
        if later.position < at:
            break
        later.position += 1
        ctx.session.flush()


def _next_round(ctx: Ctx, request: Request, *, shift_from: int) -> None:
    """A new round with this round's steps as they stand (states and what their people did),
    those from `shift_from` one place on."""
    old = requests_repo.steps(ctx.session, request)
    request.round += 1
    ctx.session.flush()
    for step in old:
        copy = RequestStep(
            request_id=request.id,
            round=request.round,
            position=step.position + (1 if step.position >= shift_from else 0),
            kind=step.kind,
            task=step.task,
            spec_index=step.spec_index,
            label=dict(step.label or {}),
            mode=step.mode,
            state=step.state,
            activated_at=step.activated_at,
            assignment=step.assignment,
            special=dict(step.special) if step.special else None,
        )
        ctx.session.add(copy)
        ctx.session.flush()
        requests_repo.copy_approvers(ctx.session, step, copy)


def transfer(
    ctx: Ctx,
    request_id: int,
    actor: str,
    to: str,
    reason: str | None,
    *,
    round_: int,
    position: int,
) -> Request:
    """转交: `actor`'s place on the current task (any kind) becomes `to`'s."""
    request = engine.load(ctx, request_id)
    step = engine.open_step(ctx, request, round_, position)
    _mine(ctx, request, step, actor, "transfer")
    _colleague(ctx, request, step, actor, to)
    why = _reason(reason, required=False)
    mine = [row for row in requests_repo.approvers(ctx.session, step) if row.user_id == actor]
    for row in mine:
        row.active = False
    engine.assign(ctx, request, step, to, source="transferred", turn=mine[0].turn)
    step.assignment += 1
    request.updated_at = ctx.now
    engine.record(
        ctx, request, "request.transferred", actor, reason=why, to=to, position=step.position
    )
    ctx.session.flush()
    engine.sync(ctx, request)
    return request


@dataclass(frozen=True)
class Target:
    """An earlier step a decision may be returned to (or START: the requester)."""

    key: str  # the declared step's index as text, or START
    position: int | None
    label: dict[str, str]


def return_targets(spec: ProcedureSpec, steps: list[RequestStep], current: int) -> list[Target]:
    """Where the current step may send the case back: the requester, and every earlier step
    of this round that is declared in the policy (an added step is not a place to go back
    to: a new round re-plans the declared route)."""
    out = [Target(START, None, {})]
    for step in steps:
        if step.position >= current or step.spec_index is None:
            continue
        out.append(Target(str(step.spec_index), step.position, dict(step.label or {})))
    return out


def return_to(
    ctx: Ctx,
    request_id: int,
    actor: str,
    target: str,
    reason: str | None,
    *,
    round_: int,
    position: int,
) -> Request:
    """退回: back to an earlier step (a new round that reopens it) or to the requester."""
    request = engine.load(ctx, request_id)
    step = engine.open_step(ctx, request, round_, position)
    if step.task != "decision" or request.state != State.PENDING:
        raise Conflict("request.error.not_now", state=request.state)
    _mine(ctx, request, step, actor, "return_to")
    why = _reason(reason, required=True)
    spec = ctx.spec(request.procedure)
    for row in requests_repo.approvers(ctx.session, step):
        if row.user_id == actor and row.decision is None:
            row.decision, row.decided_at = "returned", ctx.now
    step.state = "returned"
    engine.stop_timers(ctx, request, step)
    request.updated_at = ctx.now
    if target == START:
        before = request.state
        request.state = approvals.transition(before, "return")
        request.reason = why
        engine.settle(ctx, request, before, actor)
        engine.record(
            ctx,
            request,
            "request.returned",
            actor,
            from_state=before,
            to_state=request.state,
            reason=why,
        )
    else:
        allowed = return_targets(spec, requests_repo.steps(ctx.session, request), step.position)
        if target not in {t.key for t in allowed if t.key != START}:
            raise InvalidInput("request.error.bad_target", field="target")
        flow.send_back_to(ctx, request, spec, int(target), actor, why, step)
    ctx.session.flush()
    engine.sync(ctx, request)
    return request


@dataclass(frozen=True)
class Nudged:
    request_id: int
    users: tuple[str, ...]


def nudge(ctx: Ctx, request_id: int, actor: str) -> Nudged:
    """催办: the requester reminds whoever the case waits on; once an hour at most."""
    request = engine.load(ctx, request_id)
    if actor != request.requester:
        raise NotAllowed("request.error.not_yours")
    step = engine.current_step(ctx, request)
    if request.state not in approvals.OPEN_STATES or step is None:
        raise Conflict("request.error.not_now", state=request.state)
    last = last_nudge(ctx, request)
    if last is not None and ctx.now - last < NUDGE_EVERY:
        raise Conflict("request.error.nudged_recently", minutes=_minutes_left(ctx.now, last))
    users = tuple(engine.undecided(ctx, step))
    # The Slack side DMs each of them once (see the sync job).
    engine.record(ctx, request, "request.nudged", actor, users=list(users))
    engine.sync(ctx, request)
    return Nudged(request.id, users)


def _minutes_left(now: datetime, last: datetime) -> int:
    return max(1, int((NUDGE_EVERY - (now - last)).total_seconds() // 60) + 1)


def last_nudge(ctx: Ctx, request: Request) -> datetime | None:
    nudges = [
        e.at
        for e in audit.entries_for(ctx.session, engine.SUBJECT, str(request.id))
        if e.action == "request.nudged"
    ]
    return max(nudges) if nudges else None
