"""The approval engine's shared machinery: its context, routing against the directory, step
activation with delegations, timers, the audit trail and the Slack sync job.

Every operation runs inside the caller's transaction and returns the ids of jobs to run right
after the commit (`Effects.jobs`): the sync job that brings Slack in line with the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from procedures import approvals
from procedures.approvals import RouteStep
from procedures.calendar import WorkCalendar
from procedures.errors import Conflict, NotFound
from procedures.hooks import HookContext, Hooks
from procedures.org_view import DirectoryOrg as DirectoryOrg
from procedures.org_view import copy_list
from procedures.policy import Policy
from procedures.policy.procedures import ProcedureSpec, StepSpec, Timings
from store import audit, jobs, requests_repo
from store.directory import Directory
from store.models import Request, RequestApprover, RequestStep

SYNC = "request.sync"
REMIND, ESCALATE, EXPIRE = "request.remind", "request.escalate", "request.expire"
SUBJECT = "request"


class Stale(Conflict):
    """The click was on a step that is no longer waiting for it."""


@dataclass
class Ctx:
    """One unit of work in the engine."""

    session: Session
    now: datetime
    policy: Policy
    calendar: WorkCalendar  # the org's, for working hours
    tz: ZoneInfo
    is_away: Callable[[str, datetime], bool] = lambda _user, _when: False
    # Approvers away now (on leave) -> who covers for them (their handover person).
    away_delegates: Callable[[Sequence[str]], dict[str, str]] = lambda _people: {}
    directory: Directory = field(init=False)
    jobs: list[int] = field(default_factory=list)
    ended: list[Request] = field(default_factory=list)  # cases whose CC list is to be told

    def __post_init__(self) -> None:
        self.directory = Directory(self.session)

    def spec(self, procedure: str) -> ProcedureSpec:
        spec = self.policy.procedure(procedure)
        if spec is None:
            raise NotFound("request.error.unknown_procedure", procedure=procedure)
        return spec

    def hooks(self, spec: ProcedureSpec) -> Hooks:
        return self.policy.hooks_for(spec.hooks)

    def hook_context(self, requester: str, request_id: int | None = None) -> HookContext:
        return HookContext(
            self.session, self.now, self.tz, self.policy, requester, request_id, self.jobs
        )

    def is_bot_admin(self, user: str) -> bool:
        return self.directory.has_role(user, "bot_admin")


def load(ctx: Ctx, request_id: int) -> Request:
    """The request, locked for this transaction (`FOR UPDATE` on PostgreSQL): everything the
    operation reads after this sees the state the last committed change left."""
    request = requests_repo.get(ctx.session, request_id, for_update=True)
    if request is None:
        raise NotFound("request.error.not_found")
    return request


def values_of(request: Request) -> dict[str, Any]:
    return {**(request.payload or {}), **(request.computed or {})}


def record(
    ctx: Ctx,
    request: Request,
    action: str,
    actor: str,
    *,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    **detail: Any,
) -> None:
    audit.record(
        ctx.session,
        at=ctx.now,
        actor=actor,
        action=action,
        subject_type=SUBJECT,
        subject_id=str(request.id),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        detail={"round": request.round, "step": request.step, **detail},
    )


def sync(ctx: Ctx, request: Request) -> None:
    """Arm the request's Slack sync (one at a time per request; never a change missed)."""
    if request in ctx.ended:
        ctx.ended.remove(request)
        copy_to(ctx, request, ctx.spec(request.procedure))
    ctx.jobs.append(
        jobs.arm(
            ctx.session,
            kind=SYNC,
            key=f"sync:req:{request.id}",
            due_at=ctx.now,
            now=ctx.now,
            payload={"request_id": request.id},
        )
    )


def rules_for(spec: ProcedureSpec) -> Callable[[StepSpec], approvals.Rules]:
    return lambda step: approvals.Rules(**spec.special_rules(step))


def plan_steps(
    ctx: Ctx, spec: ProcedureSpec, requester: str, values: Mapping[str, Any]
) -> list[approvals.Planned]:
    return approvals.plan(
        spec.chain,
        requester,
        values,
        DirectoryOrg(ctx.directory),
        fallback=lambda: ctx.directory.users_with_role("bot_admin"),
        rules=rules_for(spec),
    )


def plan_route(
    ctx: Ctx, spec: ProcedureSpec, requester: str, values: Mapping[str, Any]
) -> list[RouteStep]:
    return [p.step for p in plan_steps(ctx, spec, requester, values) if p.step is not None]


def start_route(
    ctx: Ctx, request: Request, planned: Sequence[approvals.Planned]
) -> list[RequestStep]:
    """The round's steps from a plan; a step a special-case rule skipped is recorded (the
    card says why it is missing)."""
    for item in planned:
        if item.skipped == "rule" and item.special is not None:
            record(
                ctx,
                request,
                "request.step_skipped",
                audit.SYSTEM,
                spec_index=item.spec_index,
                special=dict(item.special),
            )
    return create_steps(ctx, request, [p.step for p in planned if p.step is not None])


def create_steps(ctx: Ctx, request: Request, route: Sequence[RouteStep]) -> list[RequestStep]:
    rows = []
    for planned in route:
        step = RequestStep(
            request_id=request.id,
            round=request.round,
            position=planned.position,
            kind=planned.kind,
            task=planned.task,
            spec_index=planned.spec_index,
            label=dict(planned.label),
            mode=planned.mode,
            state="waiting",
            assignment=1,
            special=dict(planned.special) if planned.special else None,
        )
        ctx.session.add(step)
        ctx.session.flush()
        for turn, user in enumerate(planned.approvers):
            ctx.session.add(
                RequestApprover(
                    step_id=step.id,
                    request_id=request.id,
                    user_id=user,
                    source="route",
                    active=True,
                    turn=turn,
                )
            )
        rows.append(step)
    ctx.session.flush()
    return rows


def activate(ctx: Ctx, request: Request, step: RequestStep, spec: ProcedureSpec) -> None:
    """Make `step` the one waiting for decisions: standing delegations (and approvers on leave
    who named a delegate) route to the delegate; timers start."""
    step.state, step.activated_at = "active", ctx.now
    request.step = step.position
    hand_over(ctx, request, step)
    start_timers(ctx, request, step, spec)


def hand_over(
    ctx: Ctx, request: Request, step: RequestStep, *, only: str | None = None
) -> list[tuple[str, str]]:
    """Give the undecided approvers' places (or only `only`'s) to whoever covers for them now:
    a standing delegate, else the handover person while on leave. Returns (delegate, approver)
    pairs; nothing is recorded here, the caller says why it happened."""
    rows = requests_repo.approvers(ctx.session, step)
    people = [row.user_id for row in rows]
    # A standing delegation wins over a leave handover: it was set for exactly this.
    delegates = {
        **ctx.away_delegates(people),
        **requests_repo.delegations_in_force(ctx.session, ctx.now),
    }
    rules = approvals.DelegationRules(delegates)
    moved: list[tuple[str, str]] = []
    for row, (person, on_behalf_of) in zip(
        rows, rules.apply(people, request.requester), strict=True
    ):
        if on_behalf_of is None or row.decision is not None or only not in (None, on_behalf_of):
            continue
        row.active = False
        assign(
            ctx, request, step, person, on_behalf_of=on_behalf_of, source="standing", turn=row.turn
        )
        moved.append((person, on_behalf_of))
    ctx.session.flush()
    return moved


def assign(
    ctx: Ctx,
    request: Request,
    step: RequestStep,
    user: str,
    *,
    source: str,
    on_behalf_of: str | None = None,
    turn: int | None = None,
) -> None:
    """Make `user` an approver of `step` (in an in-order step, at `turn`: by default after
    everyone). Someone who held the place before and handed it on (bob → erin → bob) gets
    their row back: one row per person and step."""
    if on_behalf_of == user:
        on_behalf_of = None  # handed back to the approver it was for
    existing = next(
        (
            row
            for row in requests_repo.approvers(ctx.session, step, active_only=False)
            if row.user_id == user
        ),
        None,
    )
    if turn is None:
        rows = requests_repo.approvers(ctx.session, step, active_only=False)
        turn = max((row.turn for row in rows), default=-1) + 1
    if existing is not None:
        existing.active, existing.source, existing.on_behalf_of = True, source, on_behalf_of
        existing.turn = turn
        return
    ctx.session.add(
        RequestApprover(
            step_id=step.id,
            request_id=request.id,
            user_id=user,
            on_behalf_of=on_behalf_of,
            source=source,
            active=True,
            turn=turn,
        )
    )


def settle(ctx: Ctx, request: Request, before: str, by: str | None) -> None:
    """A request just left its open state: note who decided and when, stop its timers, and
    let the procedure's hooks act (leave: deduct on approval, restore on cancellation)."""
    request.decided_at, request.decided_by, request.updated_at = ctx.now, by, ctx.now
    stop_timers(ctx, request)
    spec = ctx.spec(request.procedure)
    hooks, hook_ctx = ctx.hooks(spec), ctx.hook_context(request.requester, request.id)
    if request.state in ("approved", "closed") and before == "pending":
        hooks.on_approved(hook_ctx, request.id, request.payload)
    elif request.state in ("rejected", "withdrawn", "expired", "cancelled"):
        hooks.on_closed(hook_ctx, request.id, request.payload, request.state)
    if before == "pending" and request.state in COPIED_STATES:
        ctx.ended.append(request)  # its CC list is told once the outcome is recorded


COPIED_STATES = frozenset({"approved", "closed", "rejected"})


def copy_to(ctx: Ctx, request: Request, spec: ProcedureSpec) -> None:
    """抄送: a case just ended; its procedure's CC list is recorded as told, and the Slack
    side DMs each of them once."""
    if spec.cc is None:
        return
    told = copy_list(spec.cc, request.requester, ctx.directory)
    if told:
        record(ctx, request, "request.copied", audit.SYSTEM, users=told, state=request.state)


def step_spec(spec: ProcedureSpec, step: RequestStep) -> StepSpec | None:
    """The declared step behind a step row (None for a cancellation's approval)."""
    return spec.step_spec(step.spec_index)


def timings_for(spec: ProcedureSpec, step: RequestStep) -> Timings:
    declared = step_spec(spec, step)
    return spec.step_timings(declared) if declared is not None else spec.timings


def timer_prefix(request: Request, step: RequestStep | None = None) -> str:
    base = f"timer:req:{request.id}:"
    return base if step is None else f"{base}r{step.round}:s{step.position}:"


def start_timers(ctx: Ctx, request: Request, step: RequestStep, spec: ProcedureSpec) -> None:
    timings = timings_for(spec, step)
    payload = {"request_id": request.id, "round": step.round, "position": step.position}
    for kind, hours in (
        (REMIND, timings.remind_after_hours),
        (ESCALATE, timings.escalate_after_hours),
        (EXPIRE, timings.expire_after_hours),
    ):
        if hours is None:
            continue
        jobs.schedule(
            ctx.session,
            kind=kind,
            due_at=ctx.calendar.add_working_hours(ctx.now, hours, ctx.tz),
            now=ctx.now,
            payload=payload,
            dedupe_key=f"{timer_prefix(request, step)}{kind.rsplit('.', 1)[-1]}",
        )


def stop_timers(ctx: Ctx, request: Request, step: RequestStep | None = None) -> None:
    jobs.cancel(ctx.session, prefix=timer_prefix(request, step))


def open_step(ctx: Ctx, request: Request, round_: int, position: int) -> RequestStep:
    """The step a click was for, if it still waits; else `Stale`."""
    step = current_step(ctx, request)
    if (
        request.state not in approvals.OPEN_STATES
        or step is None
        or request.round != round_
        or request.step != position
    ):
        raise Stale("request.error.stale", request_id=request.id)
    return step


def current_step(ctx: Ctx, request: Request) -> RequestStep | None:
    step = requests_repo.step_at(ctx.session, request, request.step)
    return step if step is not None and step.state == "active" else None


def waiting_rows(ctx: Ctx, step: RequestStep) -> list[RequestApprover]:
    """The active approvers whose decision the step waits for now: every undecided one; in an
    in-order step only the first undecided one (依次)."""
    rows = [row for row in requests_repo.approvers(ctx.session, step) if row.decision is None]
    if step.mode == "in_order":
        return sorted(rows, key=lambda row: (row.turn, row.id))[:1]
    return rows


def undecided(ctx: Ctx, step: RequestStep) -> list[str]:
    return [row.user_id for row in waiting_rows(ctx, step)]
