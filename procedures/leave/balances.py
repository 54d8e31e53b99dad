"""Leave balances: granted each year (by years of service, fixed, or earned by overtime),
carried over up to a cap until a use-by date, minus what was taken, minus what is pending.
Each calendar year has its own balance; a leave across New Year is charged to both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from procedures.calendar import calendar_for
from procedures.leave.policy import LeavePolicy, LeaveType
from procedures.leave.spans import Span
from store import leave_repo
from store.directory import Directory
from store.models import LeaveEntry

ZERO = Decimal(0)


@dataclass(frozen=True)
class BalanceRow:
    type: LeaveType
    granted: Decimal  # this year's quota, plus days earned by overtime
    carried: Decimal  # carried over from last year (only what was used, once it expired)
    used: Decimal  # taken, less what was restored
    pending: Decimal  # in requests still waiting for a decision

    @property
    def total(self) -> Decimal:
        return self.granted + self.carried

    @property
    def left(self) -> Decimal:
        return self.total - self.used - self.pending


def ensure_year(
    session: Session,
    policy: LeavePolicy,
    user: str,
    year: int,
    joined: date | None,
    now: datetime,
    *,
    existing: list[LeaveEntry] | None = None,
) -> bool:
    """The first time a year is looked at: grant its quotas and carry over last year's rest.
    True if it wrote anything.

    Every balance read comes here, so it first looks at the year's entries (`existing`, if
    the caller has read them) and writes only what is missing: one upsert per leave type on
    every read was most of what `/leave balance` cost. Two first reads at once still write
    each entry once (the upsert is keyed)."""
    entries = leave_repo.entries(session, user, year) if existing is None else existing
    have = {(e.leave_type, e.kind) for e in entries}
    missing_grants = [
        kind
        for kind in policy.types
        if kind.balance is not None and not kind.balance.earned and (kind.id, "grant") not in have
    ]
    carries = [
        kind
        for kind in policy.types
        if kind.balance is not None
        and kind.balance.carry_over_max
        and (kind.id, "carry") not in have
    ]
    if not missing_grants and not carries:
        return False
    wrote = False
    for kind in missing_grants:
        assert kind.balance is not None
        wrote |= leave_repo.add(
            session,
            user=user,
            leave_type=kind.id,
            year=year,
            kind="grant",
            days=kind.balance.quota(joined, year),
            on=date(year, 1, 1),
            key=f"grant:{user}:{kind.id}:{year}",
            at=now,
        )
    previous = leave_repo.entries(session, user, year - 1) if carries else []
    for kind in carries if previous else []:
        assert kind.balance is not None and kind.balance.carry_over_max
        rest = sum((e.days for e in previous if e.leave_type == kind.id), ZERO)
        carried = min(max(rest, ZERO), kind.balance.carry_over_max)
        if carried:
            wrote |= leave_repo.add(
                session,
                user=user,
                leave_type=kind.id,
                year=year,
                kind="carry",
                days=carried,
                on=date(year, 1, 1),
                key=f"carry:{user}:{kind.id}:{year}",
                at=now,
                note=f"carried over from {year - 1}",
            )
    return wrote


def _row(
    kind: LeaveType,
    entries: list[LeaveEntry],
    pending: Decimal,
    today: date,
    year: int,
    joined: date | None,
) -> BalanceRow:
    mine = [e for e in entries if e.leave_type == kind.id]
    granted = sum((e.days for e in mine if e.kind in ("grant", "earned")), ZERO)
    if year > today.year and kind.balance is not None and not kind.balance.earned:
        # A later year is not granted until it starts; its quota is known, its carry-over
        # is not (this year is not over), so it counts as nothing.
        granted += kind.balance.quota(joined, year)
    carried = sum((e.days for e in mine if e.kind == "carry"), ZERO)
    used = -sum((e.days for e in mine if e.kind in ("taken", "restored")), ZERO)
    deadline = kind.balance.carry_deadline(year) if kind.balance else None
    if carried and deadline is not None and today > deadline:
        # Carried days not used by the deadline lapse; days taken before it used them first.
        taken_early = -sum(
            (e.days for e in mine if e.kind in ("taken", "restored") and e.on <= deadline), ZERO
        )
        carried = min(carried, max(taken_early, ZERO))
    return BalanceRow(kind, granted, carried, used, pending)


def balances(
    session: Session,
    policy: LeavePolicy,
    user: str,
    *,
    today: date,
    joined: date | None,
    now: datetime,
    exclude_request: int | None = None,
    year: int | None = None,
) -> list[BalanceRow]:
    """The balance of every type that has one, for `year` (this year by default)."""
    year = today.year if year is None else year
    entries = leave_repo.entries(session, user, year)
    if year <= today.year and ensure_year(
        session, policy, user, year, joined, now, existing=entries
    ):
        entries = leave_repo.entries(session, user, year)
    calendar = calendar_for(Directory(session).calendar_of(user))
    pending: dict[str, Decimal] = {}
    for request in leave_repo.leave_requests(session, policy.procedure, [user], ["pending"]):
        dates = request.payload.get("dates")
        if request.id == exclude_request or not isinstance(dates, dict):
            continue
        part = Span.from_payload(dates).in_year(year)
        if part is not None:
            kind = str(request.payload.get("type"))
            pending[kind] = pending.get(kind, ZERO) + part.working_days(calendar)
    return [
        _row(kind, entries, pending.get(kind.id, ZERO), today, year, joined)
        for kind in policy.types
        if kind.balance is not None
    ]


def balance_of(rows: list[BalanceRow], type_id: str) -> BalanceRow | None:
    return next((row for row in rows if row.type.id == type_id), None)
