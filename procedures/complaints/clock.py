"""What the clock does for complaints: the nudge and the escalation of a response deadline,
and the monthly report, armed one occurrence ahead so that a clock that was down sends it late
rather than never."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from procedures import cron
from procedures.complaints import ComplaintsPolicy
from procedures.complaints.cases import REPORT, number_of
from procedures.complaints.figures import Case, MonthFigures, compute
from store import audit, complaints_repo, jobs
from store.models.complaints import Complaint

Due = Literal["nudge", "escalate"]


def due(session: Session, complaint_id: int, what: Due, now: datetime) -> Complaint | None:
    """The complaint to nudge or escalate, marked and audited; None when it was responded to
    meanwhile or was already told (a job run twice sends once)."""
    row = complaints_repo.get(session, complaint_id)
    if row is None or row.responded_at is not None:
        return None
    column = "nudged_at" if what == "nudge" else "escalated_at"
    if getattr(row, column) is not None:
        return None
    complaints_repo.mark(session, row.id, **{column: now})
    audit.record(
        session,
        at=now,
        actor="procedo",
        action=f"complaint.{'nudged' if what == 'nudge' else 'escalated'}",
        subject_type="complaint",
        subject_id=str(row.id),
        detail={"number": number_of(row), "respond_by": row.respond_by.isoformat()},
    )
    session.refresh(row)
    return row


def month_bounds(year: int, month: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(date(year, month, 1), time(), tzinfo=tz)
    following = date(year + month // 12, month % 12 + 1, 1)
    return start, datetime.combine(following, time(), tzinfo=tz)


def previous_month(day: date) -> tuple[int, int]:
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)


def month_complaints(session: Session, year: int, month: int, tz: ZoneInfo) -> list[Complaint]:
    return complaints_repo.received_between(session, *month_bounds(year, month, tz))


def as_case(row: Complaint) -> Case:
    return Case(
        received_at=row.received_at,
        respond_by=row.respond_by,
        responded_at=row.responded_at,
        resolved_at=row.resolved_at,
        revisited_at=row.revisited_at,
        handling_score=row.handling_score,
        satisfaction_score=row.satisfaction_score,
    )


def figures_of(rows: list[Complaint], policy: ComplaintsPolicy) -> MonthFigures:
    return compute([as_case(r) for r in rows], policy.targets, policy.score.satisfied_at)


def next_report(policy: ComplaintsPolicy, now: datetime, tz: ZoneInfo) -> datetime | None:
    fire: datetime | None = cron.trigger(policy.report_cron, tz).get_next_fire_time(None, now)
    return fire


def arm_report(
    session: Session, policy: ComplaintsPolicy, now: datetime, tz: ZoneInfo
) -> int | None:
    """The next report's job, once (keyed by the month it reports); None when it exists."""
    fire = next_report(policy, now, tz)
    if fire is None:
        return None
    year, month = previous_month(fire.astimezone(tz).date())
    return jobs.schedule(
        session,
        kind=REPORT,
        due_at=fire,
        now=now,
        payload={"year": year, "month": month},
        dedupe_key=f"complaints:report:{year:04d}-{month:02d}",
    )
