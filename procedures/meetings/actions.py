"""Action items after they are filed: the owner asks for more time (a new due date; the
chair is told), which moves the case's overdue timers and its reminder with it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from procedures import engine, overdue
from procedures.approvals import OPEN_STATES
from procedures.engine import Ctx
from procedures.errors import InvalidInput, NotAllowed, NotFound
from procedures.meetings.policy import MeetingsPolicy
from store import jobs
from store.models import Request

ACTION = "meeting_action"
ACTION_DUE = "meetings.action_due"  # job: remind an action item's owner before its due date
EXTENDED = "meetings.action_extended"  # job: tell the chair an owner moved the due date


def remind_before(ctx: Ctx, case_id: int, due: date) -> None:
    """A reminder to the owner some working days before the due date, at 9:00."""
    before = ctx.policy.section(MeetingsPolicy).action_remind_before_days
    if before == 0:
        return
    day = due
    for _ in range(before):
        day -= timedelta(days=1)
        while not ctx.calendar.is_working_day(day):
            day -= timedelta(days=1)
    at = datetime.combine(day, time(9), ctx.tz)
    if at > ctx.now:
        jobs.schedule(
            ctx.session,
            kind=ACTION_DUE,
            due_at=at,
            now=ctx.now,
            payload={"request_id": case_id, "due": due.isoformat()},
            dedupe_key=f"meeting-action:{case_id}:due-soon:{due.isoformat()}",
        )


def extend(ctx: Ctx, case_id: int, user: str, new_due: date, reason: str | None) -> Request:
    request = engine.load(ctx, case_id)
    if request.procedure != ACTION:
        raise NotFound("request.error.not_found")
    payload = dict(request.payload or {})
    if payload.get("owner") != user:
        raise NotAllowed("meetings.error.not_owner")
    if request.state not in OPEN_STATES:
        raise InvalidInput("meetings.error.action_closed")
    old = date.fromisoformat(str(payload.get("due")))
    if new_due <= old or new_due < ctx.now.astimezone(ctx.tz).date():
        raise InvalidInput("meetings.error.extend_later", field="due", due=old.isoformat())
    payload["due"] = new_due.isoformat()
    request.payload = payload
    request.updated_at = ctx.now
    engine.record(
        ctx,
        request,
        "request.due_extended",
        user,
        reason=reason,
        before=old.isoformat(),
        after=new_due.isoformat(),
    )
    _move_overdue(ctx, request, new_due)
    remind_before(ctx, request.id, new_due)
    job = jobs.schedule(
        ctx.session,
        kind=EXTENDED,
        due_at=ctx.now,
        now=ctx.now,
        payload={"request_id": request.id, "before": old.isoformat(), "reason": reason},
        dedupe_key=f"meeting-action:{request.id}:extended:{new_due.isoformat()}",
    )
    if job is not None:
        ctx.jobs.append(job)
    engine.sync(ctx, request)
    return request


def _move_overdue(ctx: Ctx, request: Request, deadline: date) -> None:
    """The overdue nudge and escalation still pending move to the new date (the engine's
    own rule of when they fall)."""
    spec = ctx.spec(request.procedure)
    if spec.overdue is None:
        return
    nudge = overdue.nudge_time(ctx, deadline)
    later = ctx.calendar.add_working_days(nudge.date(), spec.overdue.escalate_after_working_days)
    base = f"{engine.timer_prefix(request)}r{request.round}:"
    jobs.reschedule(ctx.session, f"{base}overdue", nudge)
    jobs.reschedule(
        ctx.session, f"{base}overdue_escalate", datetime.combine(later, overdue.MORNING, ctx.tz)
    )
