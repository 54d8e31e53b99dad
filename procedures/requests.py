"""Filing requests: check, submit, resubmit after a return, withdraw, ask to cancel, comment.

Decisions (approve, reject, return, delegate) and the clock's timers are in
`procedures.decisions`. Everything here runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from procedures import approvals, engine, overdue
from procedures.approvals import State
from procedures.engine import Ctx
from procedures.errors import InvalidInput, NotAllowed, NotFound
from procedures.forms import strip_controls
from procedures.org_file import ROLE_NAMES
from procedures.policy.procedures import ProcedureSpec, StepSpec
from store import audit, requests_repo
from store.models import Request


@dataclass(frozen=True)
class Checked:
    """A submission that passed the procedure's own checks, with what its hooks computed."""

    payload: dict[str, Any]
    computed: dict[str, Any]


def check(
    ctx: Ctx,
    spec: ProcedureSpec,
    requester: str,
    payload: Mapping[str, Any],
    *,
    request_id: int | None = None,
) -> tuple[Checked, list[InvalidInput]]:
    """Run the procedure's hooks on an already form-valid payload; returns the problems."""
    require_may_file(ctx, spec, requester)
    hooks = ctx.hooks(spec)
    hook_ctx = ctx.hook_context(requester, request_id)
    computed = hooks.compute(hook_ctx, payload)
    problems = hooks.validate(hook_ctx, payload)
    return Checked(dict(payload), computed), problems


def require_may_file(ctx: Ctx, spec: ProcedureSpec, user: str) -> None:
    """Members of the org may file; a procedure with `filed_by` only those roles (the clause
    that says so is cited)."""
    if ctx.directory.department_of(user) is None:
        raise NotAllowed("error.not_in_org")
    if spec.filed_by and not any(ctx.directory.has_role(user, role) for role in spec.filed_by):
        names = [ROLE_NAMES[role] for role in spec.filed_by]
        raise NotAllowed(
            "request.error.filed_by",
            procedure=spec.name.model_dump(),
            roles={lang: " / ".join(n[lang] for n in names) for lang in ("en", "zh")},
            cite=spec.cite,
        )


def _require_no_problems(problems: list[InvalidInput]) -> None:
    if problems:
        raise problems[0]


def submit(ctx: Ctx, spec: ProcedureSpec, requester: str, payload: Mapping[str, Any]) -> Request:
    if not spec.enabled:
        raise NotFound("request.error.unknown_procedure", procedure=spec.id)
    checked, problems = check(ctx, spec, requester, payload)
    _require_no_problems(problems)
    planned = engine.plan_steps(ctx, spec, requester, {**checked.payload, **checked.computed})
    request = Request(
        procedure=spec.id,
        number=requests_repo.next_number(ctx.session, spec.id),
        requester=requester,
        payload=checked.payload,
        computed=checked.computed,
        state=State.PENDING,
        round=1,
        step=0,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.session.add(request)
    ctx.session.flush()
    engine.record(ctx, request, "request.submitted", requester, to_state=State.PENDING)
    _start(ctx, spec, request, planned)
    overdue.schedule(ctx, spec, request)
    engine.sync(ctx, request)
    return request


def _start(
    ctx: Ctx, spec: ProcedureSpec, request: Request, planned: list[approvals.Planned]
) -> None:
    """Wait for the first step; a request no step applies to (leave that needs no approval)
    is approved on the spot."""
    steps = engine.start_route(ctx, request, planned)
    if steps:
        engine.activate(ctx, request, steps[0], spec)
        return
    request.state, request.decided_at = State.APPROVED, ctx.now
    ctx.session.flush()
    ctx.hooks(spec).on_approved(
        ctx.hook_context(request.requester, request.id), request.id, request.payload
    )
    engine.record(
        ctx,
        request,
        "request.approved",
        audit.SYSTEM,
        from_state=State.PENDING,
        to_state=State.APPROVED,
    )


def resubmit(ctx: Ctx, request_id: int, actor: str, payload: Mapping[str, Any]) -> Request:
    """The requester corrected a returned request: same number, same history, a new round."""
    request = engine.load(ctx, request_id)
    if actor != request.requester:
        raise NotAllowed("request.error.not_yours")
    spec = ctx.spec(request.procedure)
    new_state = approvals.transition(request.state, "resubmit")
    checked, problems = check(ctx, spec, actor, payload, request_id=request.id)
    _require_no_problems(problems)
    planned = engine.plan_steps(ctx, spec, actor, {**checked.payload, **checked.computed})
    changed = sorted(
        k for k in checked.payload if checked.payload[k] != (request.payload or {}).get(k)
    )
    before = request.state
    request.payload, request.computed = checked.payload, checked.computed
    request.state, request.round, request.step = new_state, request.round + 1, 0
    request.reason, request.updated_at = None, ctx.now
    ctx.session.flush()
    engine.record(
        ctx,
        request,
        "request.resubmitted",
        actor,
        from_state=before,
        to_state=new_state,
        changed=changed,
    )
    _start(ctx, spec, request, planned)
    overdue.schedule(ctx, spec, request)
    engine.sync(ctx, request)
    return request


def withdraw(ctx: Ctx, request_id: int, actor: str) -> Request:
    """The requester takes a pending or returned request back (or drops a cancellation ask)."""
    request = engine.load(ctx, request_id)
    if actor != request.requester:
        raise NotAllowed("request.error.not_yours")
    before = request.state
    after = approvals.transition(before, "withdraw")
    step = engine.current_step(ctx, request)
    if step is not None:
        step.state = "withdrawn"
    request.state = after
    if after == State.WITHDRAWN:
        engine.settle(ctx, request, before, actor)
    else:  # a cancellation asked for and dropped: the request stays approved
        request.updated_at = ctx.now
        engine.stop_timers(ctx, request)
    engine.record(ctx, request, "request.withdrawn", actor, from_state=before, to_state=after)
    ctx.session.flush()
    engine.sync(ctx, request)
    return request


CANCEL_STEP = StepSpec(approver="requester")


def ask_cancel(ctx: Ctx, request_id: int, actor: str, reason: str) -> Request:
    """An approved request of a cancellable procedure: the requester asks their approver."""
    request = engine.load(ctx, request_id)
    if actor != request.requester:
        raise NotAllowed("request.error.not_yours")
    spec = ctx.spec(request.procedure)
    if not spec.cancellable:
        raise NotAllowed("request.error.not_cancellable")
    if not reason.strip():
        raise InvalidInput("request.error.reason_required", field="reason")
    before = request.state
    after = approvals.transition(before, "cancel")
    route = approvals.route(
        [CANCEL_STEP],
        actor,
        {},
        engine.DirectoryOrg(ctx.directory),
        fallback=lambda: ctx.directory.users_with_role("bot_admin"),
    )
    request.state, request.round, request.step = after, request.round + 1, 0
    request.reason, request.updated_at = reason.strip(), ctx.now
    ctx.session.flush()
    steps = engine.create_steps(ctx, request, route)
    for step in steps:
        step.spec_index = None  # the procedure's own timings
    engine.activate(ctx, request, steps[0], spec)
    engine.record(
        ctx,
        request,
        "request.cancel_requested",
        actor,
        from_state=before,
        to_state=after,
        reason=reason.strip(),
    )
    engine.sync(ctx, request)
    return request


def comment(ctx: Ctx, request_id: int, user: str, text: str) -> Request | None:
    """A message typed in a request's thread joins its history."""
    request = requests_repo.get(ctx.session, request_id)
    text = strip_controls(text).strip()
    if request is None or not text:
        return None
    engine.record(ctx, request, "request.comment", user, text=text[:3000])
    return request


def number_of(spec: ProcedureSpec, request: Request) -> str:
    return f"{spec.prefix}-{request.number:04d}"


def find_by_number(ctx: Ctx, text: str) -> Request:
    """`LV-0042`, `lv-42` or `LV42` → the request."""
    cleaned = text.strip().upper().replace(" ", "")
    prefix = "".join(ch for ch in cleaned if ch.isalpha())
    digits = "".join(ch for ch in cleaned if ch.isdigit())
    spec = ctx.policy.procedure_by_prefix(prefix) if prefix and digits else None
    # A number beyond any counter (and the integer column) is simply not found.
    fits = digits.isascii() and 0 < len(digits) <= 9
    request = requests_repo.by_number(ctx.session, spec.id, int(digits)) if spec and fits else None
    if request is None:
        raise NotFound("request.error.no_such_number", number=text.strip()[:20])
    return request


def can_see(ctx: Ctx, request: Request, user: str) -> bool:
    """The requester, the approvers of its chain, bot admins, and the roles the procedure names."""
    if user == request.requester or ctx.is_bot_admin(user):
        return True
    if requests_repo.involved(ctx.session, request.id, user):
        return True
    spec = ctx.policy.procedure(request.procedure)
    return bool(spec and any(ctx.directory.has_role(user, role) for role in spec.visible_to))
