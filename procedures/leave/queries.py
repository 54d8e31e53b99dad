"""Who is out when: the questions other procedures and the clock ask about leave."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from procedures.errors import NotAllowed
from procedures.leave.policy import LeavePolicy
from procedures.leave.spans import AM, PM, Span
from procedures.policy import Policy
from store import leave_repo
from store.directory import DepartmentInfo, Directory
from store.models import Request

ON = ("approved", "cancelling")  # leave that is in force (a cancellation not yet agreed)
OPEN = ("pending", "approved", "cancelling")  # leave that blocks an overlapping request


@dataclass(frozen=True)
class Leave:
    request: Request
    span: Span

    @property
    def user(self) -> str:
        return self.request.requester

    @property
    def type(self) -> str:
        return str(self.request.payload.get("type"))


def leaves(
    session: Session, policy: Policy, users: Iterable[str], states: Iterable[str]
) -> list[Leave]:
    found = []
    for request in leave_repo.leave_requests(
        session, policy.section(LeavePolicy).procedure, users, states
    ):
        dates = request.payload.get("dates")
        if isinstance(dates, dict):
            found.append(Leave(request, Span.from_payload(dates)))
    return found


def is_on_leave(session: Session, policy: Policy, user: str, when: datetime, tz: ZoneInfo) -> bool:
    """Is `user` on approved leave at that instant (their half of that day, in the org's zone)?"""
    local = when.astimezone(tz)
    slot = AM if local.hour < 12 else PM
    return any(
        leave.span.covers(local.date(), slot) for leave in leaves(session, policy, [user], ON)
    )


def out_on(
    session: Session, policy: Policy, users: Iterable[str], first: date, last: date
) -> list[Leave]:
    """Approved leave of `users` touching the days from `first` to `last`."""
    window = Span(first, last)
    return [leave for leave in leaves(session, policy, users, ON) if leave.span.overlaps(window)]


def overlapping(
    session: Session, policy: Policy, user: str, span: Span, *, exclude: int | None
) -> Leave | None:
    """The user's own pending or approved leave that shares a half day with `span`."""
    for leave in leaves(session, policy, [user], OPEN):
        if leave.request.id != exclude and leave.span.overlaps(span):
            return leave
    return None


def handover_delegates(
    session: Session, policy: Policy, users: Iterable[str], at: datetime, tz: ZoneInfo
) -> dict[str, str]:
    """Approvers away on leave who named a handover person: decisions go to that person."""
    local = at.astimezone(tz)
    slot = AM if local.hour < 12 else PM
    out: dict[str, str] = {}
    for leave in leaves(session, policy, users, ON):
        handover = leave.request.payload.get("handover")
        if handover and leave.span.covers(local.date(), slot):
            out[leave.user] = str(handover)
    return out


def who_department(directory: Directory, user: str, asked: DepartmentInfo | None) -> DepartmentInfo:
    """Whose absences `user` may list: their own department; any department for heads, HR
    and bot admins (absences are personal: members of other teams see only their own)."""
    own = directory.department_of(user)
    if asked is None:
        if own is None:
            raise NotAllowed("error.not_in_org")
        return own
    allowed = (
        (own is not None and own.id == asked.id)
        or any(d.head == user for d in directory.departments())
        or directory.has_role(user, "hr")
        or directory.has_role(user, "bot_admin")
    )
    if not allowed:
        raise NotAllowed("leave.error.who_dept")
    return asked
