"""Standing delegations (`/procedo delegate`): who may cover for whom, for how long, audited.

A delegation routes new decisions to the delegate during its period; what already waits on
the approver moves when the period begins (`handover.schedule`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from procedures import handover
from procedures.errors import InvalidInput, NotAllowed
from store import audit, requests_repo
from store.directory import Directory
from store.models import Delegation


@dataclass(frozen=True)
class Period:
    starts: datetime
    ends: datetime  # exclusive: midnight after the last day


MAX_DAYS = 366  # a standing delegation covers an absence, not a career


def period(first: date | None, last: date, *, now: datetime, tz: ZoneInfo) -> Period:
    """Whole days in `tz`, from `first` (today when None) through `last`; never in the past,
    and ending within MAX_DAYS of today."""
    today = now.astimezone(tz).date()
    if (last - today).days > MAX_DAYS:
        raise InvalidInput("delegation.too_far", days=MAX_DAYS)
    first = first or today
    starts = max(now, datetime.combine(first, time(0), tz))
    return Period(starts, datetime.combine(last + timedelta(days=1), time(0), tz))


def delegate(session: Session, approver: str, to: str, when: Period, now: datetime) -> int | None:
    """Record the delegation and its audit row; returns the hand-over job (for after commit)."""
    directory = Directory(session)
    if directory.department_of(approver) is None:
        raise NotAllowed("error.not_in_org")  # only the org's approvers have decisions to hand on
    if to == approver or when.ends <= now:
        raise InvalidInput("delegation.usage")
    if directory.department_of(to) is None:
        raise InvalidInput("request.error.delegate_not_in_org")
    session.add(
        Delegation(
            approver=approver,
            delegate=to,
            starts_at=when.starts,
            ends_at=when.ends,
            created_at=now,
        )
    )
    audit.record(
        session,
        at=now,
        actor=approver,
        action="delegation.set",
        subject_type="delegation",
        subject_id=approver,
        detail={"to": to, "starts_at": when.starts.isoformat(), "ends_at": when.ends.isoformat()},
    )
    # What already waits on the approver moves too, now or when the period starts.
    return handover.schedule(session, approver, when.starts, now)


def refused(session: Session, approver: str, now: datetime, why: str) -> None:
    """A refused attempt to set a delegation, audited (in a unit of work of its own)."""
    audit.record(
        session,
        at=now,
        actor=approver,
        action="delegation.refused",
        subject_type="delegation",
        subject_id=approver,
        detail={"why": why},
    )


def revoke(session: Session, approver: str, now: datetime) -> int:
    """End every current or future delegation of `approver`; returns how many."""
    count = requests_repo.revoke_delegations(session, approver, now)
    audit.record(
        session,
        at=now,
        actor=approver,
        action="delegation.revoked",
        subject_type="delegation",
        subject_id=approver,
    )
    return count


def current(session: Session, approver: str, now: datetime) -> list[Delegation]:
    return requests_repo.delegations_of(session, approver, now)
