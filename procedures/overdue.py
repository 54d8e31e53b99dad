"""Cases past their deadline (a date field the procedure names in `overdue`): the owner is
nudged the next working morning, and some working days later their head is told.

Both are clock jobs scheduled when the case is filed, keyed under the case's timers so that a
case that ends (closed, withdrawn, returned) cancels them; a job that finds the case no longer
open does nothing. Each returns who must hear about it; the caller sends the DMs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from procedures import engine
from procedures.approvals import OPEN_STATES
from procedures.engine import Ctx
from procedures.policy.procedures import Overdue, ProcedureSpec
from store import audit, jobs, requests_repo
from store.models import Request

NUDGE, ESCALATE = "request.overdue", "request.overdue_escalate"
MORNING = time(9, 0)


@dataclass(frozen=True)
class Notice:
    """Who to tell that a case is overdue: the owner (nudge) or the owner's head (escalation)."""

    request_id: int
    deadline: date
    owner: str
    to: tuple[str, ...]
    escalated: bool


def deadline_of(rule: Overdue, request: Request) -> date | None:
    value = (request.payload or {}).get(rule.field)
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def nudge_time(ctx: Ctx, deadline: date) -> datetime:
    """Past the deadline: the first working morning after that day."""
    return datetime.combine(ctx.calendar.next_working_day(deadline), MORNING, ctx.tz)


def schedule(ctx: Ctx, spec: ProcedureSpec, request: Request) -> None:
    rule = spec.overdue
    deadline = deadline_of(rule, request) if rule is not None else None
    if rule is None or deadline is None:
        return
    nudge = nudge_time(ctx, deadline)
    later = ctx.calendar.add_working_days(nudge.date(), rule.escalate_after_working_days)
    base = f"{engine.timer_prefix(request)}r{request.round}:"
    payload = {"request_id": request.id}
    for kind, due in ((NUDGE, nudge), (ESCALATE, datetime.combine(later, MORNING, ctx.tz))):
        jobs.schedule(
            ctx.session,
            kind=kind,
            due_at=max(due, ctx.now),
            now=ctx.now,
            payload=payload,
            dedupe_key=f"{base}{kind.rsplit('.', 1)[-1]}",
        )


def _notice(ctx: Ctx, request_id: int, *, escalated: bool) -> Notice | None:
    request = requests_repo.get(ctx.session, request_id, for_update=True)
    if request is None or request.state not in OPEN_STATES:
        return None
    spec = ctx.spec(request.procedure)
    rule = spec.overdue
    deadline = deadline_of(rule, request) if rule is not None else None
    owner = (request.payload or {}).get(rule.owner) if rule is not None else None
    if rule is None or deadline is None or not isinstance(owner, str):
        return None
    if ctx.now.astimezone(ctx.tz).date() <= deadline:
        return None  # the deadline moved (a resubmission): not overdue after all
    if escalated:
        above = _above(ctx, rule, owner)
        to = (above,) if above else tuple(ctx.directory.users_with_role("bot_admin"))
    else:
        to = (owner,)
    engine.record(
        ctx,
        request,
        "request.overdue_escalated" if escalated else "request.overdue",
        audit.SYSTEM,
        users=list(to),
        deadline=deadline.isoformat(),
    )
    engine.sync(ctx, request)
    return Notice(request.id, deadline, owner, to, escalated)


def _above(ctx: Ctx, rule: Overdue, owner: str) -> str | None:
    """The owner's head (or director); for a head, the level above them."""
    dept = ctx.directory.department_of(owner)
    if dept is None:
        return None
    person: str | None = (
        (dept.director or dept.head) if rule.escalate_to == "director" else dept.head
    )
    if person == owner:
        person = engine.DirectoryOrg(ctx.directory).approver_above(owner)
    return person


def nudge(ctx: Ctx, request_id: int) -> Notice | None:
    return _notice(ctx, request_id, escalated=False)


def escalate(ctx: Ctx, request_id: int) -> Notice | None:
    return _notice(ctx, request_id, escalated=True)
