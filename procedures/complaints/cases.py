"""A complaint's lifecycle (004 §4.2): filed → an owner assigned by the service lead → the
response, within its severity's time → the resolution → the revisit (回访) with two scores.
Each step is a conditional update from the state before it (a step out of order, or recorded
twice at once, is refused), is audited, and brings the card up to date through a job.

The response deadline is in plain clock hours from receipt: a customer waits through weekends
and nights too. A nudge to the owner comes `nudge_before_hours` before it, an escalation to
the service lead at it; both are jobs keyed by the complaint, so each is sent at most once, and
the response cancels them (their handlers check again when they run)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from procedures.complaints import CHANNELS, STATE_NAMES, ComplaintsPolicy
from procedures.errors import Conflict, InvalidInput, NotAllowed, NotFound
from store import audit, complaints_repo, jobs, requests_repo
from store.directory import Directory
from store.models.complaints import Complaint

COUNTER = "complaints"  # CP-0001, from the request counters
SYNC = "complaints.sync"  # a job: post or update the card
ASSIGNED = "complaints.assigned"  # a job: DM the new owner
NUDGE = "complaints.nudge"  # a job: the response deadline is near
ESCALATE = "complaints.escalate"  # a job: the response deadline has passed
REPORT = "complaints.report"  # a job: the month's figures in the service channel
REPORT_CSV = "complaints.report_csv"  # its CSV, a job of its own so a retry posts nothing twice
STATES = ("open", "assigned", "responded", "resolved", "revisited")
MAX_NUMBER = 10**9


def number_of(row: Complaint) -> str:
    return f"CP-{row.number:04d}"


def parse_number(text: str) -> int | None:
    """`CP-0001`, `cp-1` or `1` → 1; anything else → None."""
    raw = text.strip().upper().removeprefix("CP-").removeprefix("CP")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw)


def _due_key(complaint_id: int, what: str) -> str:
    return f"complaints:due:{complaint_id}:{what}"


def sync_job(session: Session, complaint_id: int, now: datetime) -> int:
    return jobs.arm(
        session,
        kind=SYNC,
        key=f"complaints:sync:{complaint_id}",
        due_at=now,
        now=now,
        payload={"id": complaint_id},
    )


def _audit(
    session: Session, row: Complaint, actor: str, action: str, now: datetime, **kw: object
) -> None:
    audit.record(
        session,
        at=now,
        actor=actor,
        action=f"complaint.{action}",
        subject_type="complaint",
        subject_id=str(row.id),
        **kw,  # type: ignore[arg-type]
    )


def refused(session: Session, complaint_id: int, actor: str, attempted: str, now: datetime) -> None:
    """A refused attempt, audited in a unit of work of its own (the refused one rolled back)."""
    audit.record(
        session,
        at=now,
        actor=actor,
        action="complaint.refused",
        subject_type="complaint",
        subject_id=str(complaint_id),
        detail={"attempted": attempted},
    )


@dataclass(frozen=True)
class Filed:
    id: int
    number: str
    jobs: list[int]


def file(
    session: Session,
    policy: ComplaintsPolicy,
    *,
    user: str,
    customer: str,
    channel: str,
    description: str,
    severity: str,
    now: datetime,
) -> Filed:
    directory = Directory(session)
    if directory.department_of(user) is None and not directory.roles_of(user):
        raise NotAllowed("complaints.error.not_in_org", cite=policy.cite)
    level = policy.severity(severity)
    if level is None:
        raise InvalidInput("complaints.error.severity", field="severity", cite=policy.cite)
    if channel not in CHANNELS:
        raise InvalidInput("complaints.error.channel", field="channel", cite=policy.cite)
    if not customer.strip() or not description.strip():
        raise InvalidInput("complaints.error.empty", field="description", cite=policy.cite)
    respond_by = now + timedelta(hours=level.response_hours)
    row = complaints_repo.add(
        session,
        Complaint(
            number=requests_repo.next_number(session, COUNTER),
            customer=customer.strip(),
            channel=channel,
            description=description.strip(),
            severity=severity,
            state="open",
            filed_by=user,
            received_at=now,
            respond_by=respond_by,
        ),
    )
    _audit(session, row, user, "filed", now, to_state="open", detail={"severity": severity})
    out = [sync_job(session, row.id, now)]
    nudge_at = max(now, respond_by - timedelta(hours=policy.nudge_before_hours))
    for kind, what, due in ((NUDGE, "nudge", nudge_at), (ESCALATE, "escalate", respond_by)):
        job = jobs.schedule(
            session,
            kind=kind,
            due_at=due,
            now=now,
            payload={"id": row.id},
            dedupe_key=_due_key(row.id, what),
        )
        if job is not None and due <= now:
            out.append(job)
    return Filed(row.id, number_of(row), out)


def load(session: Session, complaint_id: int) -> Complaint:
    row = complaints_repo.get(session, complaint_id)
    if row is None:
        raise NotFound("complaints.error.no_such")
    return row


def leads(session: Session, policy: ComplaintsPolicy) -> list[str]:
    return Directory(session).users_with_role(policy.lead_role)


def _step(
    session: Session,
    policy: ComplaintsPolicy,
    row: Complaint,
    *,
    actor: str,
    action: str,
    from_state: str,
    to_state: str,
    now: datetime,
    reason: str | None = None,
    **values: object,
) -> list[int]:
    if row.state != from_state or not complaints_repo.advance(
        session, row.id, from_state=from_state, state=to_state, **values
    ):
        session.refresh(row)
        raise Conflict(
            "complaints.error.out_of_order",
            number=number_of(row),
            state=STATE_NAMES.get(row.state, row.state),
            cite=policy.cite,
        )
    _audit(
        session, row, actor, action, now, from_state=from_state, to_state=to_state, reason=reason
    )
    return [sync_job(session, row.id, now)]


def assign(
    session: Session,
    policy: ComplaintsPolicy,
    complaint_id: int,
    *,
    actor: str,
    owner: str,
    now: datetime,
) -> list[int]:
    """The service lead names the owner, who is told by DM."""
    if actor not in leads(session, policy):
        raise NotAllowed("complaints.error.not_lead", cite=policy.cite)
    directory = Directory(session)
    if directory.department_of(owner) is None and not directory.roles_of(owner):
        raise InvalidInput("complaints.error.owner_not_in_org", field="owner", cite=policy.cite)
    row = load(session, complaint_id)
    out = _step(
        session,
        policy,
        row,
        actor=actor,
        action="assigned",
        from_state="open",
        to_state="assigned",
        now=now,
        owner=owner,
        assigned_by=actor,
        assigned_at=now,
    )
    job = jobs.schedule(
        session,
        kind=ASSIGNED,
        due_at=now,
        now=now,
        payload={"id": complaint_id},
        dedupe_key=f"complaints:assigned:{complaint_id}",
    )
    return [*out, *([job] if job is not None else [])]


def _owner_only(row: Complaint, actor: str, policy: ComplaintsPolicy) -> None:
    if actor != row.owner:
        raise NotAllowed("complaints.error.not_owner", number=number_of(row), cite=policy.cite)


def _text(value: str, field: str, policy: ComplaintsPolicy) -> str:
    if not value.strip():
        raise InvalidInput("complaints.error.empty", field=field, cite=policy.cite)
    return value.strip()


def respond(
    session: Session,
    policy: ComplaintsPolicy,
    complaint_id: int,
    *,
    actor: str,
    response: str,
    now: datetime,
) -> list[int]:
    """The owner's first answer to the customer; the nudge and escalation are no longer due."""
    row = load(session, complaint_id)
    _owner_only(row, actor, policy)
    text = _text(response, "text", policy)
    out = _step(
        session,
        policy,
        row,
        actor=actor,
        action="responded",
        from_state="assigned",
        to_state="responded",
        now=now,
        reason=text,
        response=text,
        responded_at=now,
    )
    jobs.cancel(session, prefix=f"complaints:due:{complaint_id}:")
    return out


def resolve(
    session: Session,
    policy: ComplaintsPolicy,
    complaint_id: int,
    *,
    actor: str,
    resolution: str,
    now: datetime,
) -> list[int]:
    row = load(session, complaint_id)
    _owner_only(row, actor, policy)
    text = _text(resolution, "text", policy)
    return _step(
        session,
        policy,
        row,
        actor=actor,
        action="resolved",
        from_state="responded",
        to_state="resolved",
        now=now,
        reason=text,
        resolution=text,
        resolved_at=now,
    )


def may_revisit(session: Session, policy: ComplaintsPolicy, row: Complaint, user: str) -> bool:
    return user == row.owner or user in Directory(session).users_with_role(policy.revisit_role)


def revisit(
    session: Session,
    policy: ComplaintsPolicy,
    complaint_id: int,
    *,
    actor: str,
    handling_score: int,
    satisfaction_score: int,
    note: str | None,
    now: datetime,
) -> list[int]:
    """The follow-up visit (回访): the owner or the revisit role records the customer's two
    scores, on the policy's scale."""
    row = load(session, complaint_id)
    if not may_revisit(session, policy, row, actor):
        raise NotAllowed("complaints.error.not_revisitor", number=number_of(row), cite=policy.cite)
    scale = policy.score
    for field, score in (("handling", handling_score), ("satisfaction", satisfaction_score)):
        if not scale.min <= score <= scale.max:
            raise InvalidInput("complaints.error.score", field=field, min=scale.min, max=scale.max)
    return _step(
        session,
        policy,
        row,
        actor=actor,
        action="revisited",
        from_state="resolved",
        to_state="revisited",
        now=now,
        reason=note,
        revisited_by=actor,
        revisited_at=now,
        handling_score=handling_score,
        satisfaction_score=satisfaction_score,
        revisit_note=note,
    )
