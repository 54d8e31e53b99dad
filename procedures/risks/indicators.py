"""Key risk indicators: declared in the policy or added by the risk role, each with its
thresholds, how often a value is expected (a missing one raises "not reported"), and the
hashed token other systems report values with."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from procedures.engine import Ctx
from procedures.errors import Conflict, InvalidInput, NotAllowed, NotFound
from procedures.form_display import escape
from procedures.risks import scoring
from procedures.risks.policy import IndicatorSpec, RisksPolicy
from store import audit, jobs, risks_repo
from store.models.risks import Indicator

STALE = "risks.indicator_stale"
MAX_VALUE = Decimal("1e12")


def thresholds(indicator: Indicator) -> scoring.Thresholds:
    return scoring.Thresholds(
        direction="lower" if indicator.direction == "lower" else "higher",
        warning=Decimal(indicator.warning),
        critical=Decimal(indicator.critical),
        approaching=Decimal(indicator.approaching or 0),
    )


def parse_value(text: str) -> Decimal:
    """A reported value: a plain number (a trailing % is allowed), finite and in range."""
    cleaned = text.strip().rstrip("%").strip().replace(",", "")
    try:
        value = Decimal(cleaned)
    except (InvalidOperation, ValueError):
        raise InvalidInput("risks.error.value", value=escape(text.strip()[:30])) from None
    if not value.is_finite() or abs(value) >= MAX_VALUE:
        raise InvalidInput("risks.error.value", value=escape(text.strip()[:30]))
    return value.quantize(Decimal("0.0001"))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def sync_policy_indicators(ctx: Ctx, section: RisksPolicy) -> None:
    """The indicators the policy declares exist as rows (thresholds follow the policy)."""
    for spec in section.indicators:
        row = risks_repo.indicator(ctx.session, spec.id)
        if row is None:
            row = Indicator(key=spec.id, from_policy=True, created_at=ctx.now)
            ctx.session.add(row)
            _apply(row, spec)
            ctx.session.flush()
            expect(ctx, row, ctx.now)
        elif row.from_policy:
            _apply(row, spec)


def _apply(row: Indicator, spec: IndicatorSpec) -> None:
    row.name = spec.name.model_dump()
    row.unit, row.direction = spec.unit, spec.direction
    row.warning, row.critical, row.approaching = spec.warning, spec.critical, spec.approaching
    row.every_days, row.reporter_role = spec.every_days, spec.reporter_role


def add_indicator(ctx: Ctx, user: str, spec: IndicatorSpec, risk_id: int | None) -> str:
    """The risk role adds an indicator; returns its HTTP token (shown once, stored hashed)."""
    if not ctx.directory.has_role(user, "risk"):
        raise NotAllowed("risks.error.risk_role")
    if risks_repo.indicator(ctx.session, spec.id) is not None:
        raise Conflict("risks.error.indicator_exists", key=spec.id)
    token = secrets.token_urlsafe(24)
    row = Indicator(key=spec.id, from_policy=False, created_at=ctx.now, risk_id=risk_id)
    _apply(row, spec)
    row.token_hash = hash_token(token)
    ctx.session.add(row)
    ctx.session.flush()
    expect(ctx, row, ctx.now)
    audit.record(
        ctx.session,
        at=ctx.now,
        actor=user,
        action="risk.indicator_added",
        subject_type="risk_indicator",
        subject_id=str(row.id),
    )
    return token


def new_token(ctx: Ctx, user: str, key: str) -> str:
    if not ctx.directory.has_role(user, "risk"):
        raise NotAllowed("risks.error.risk_role")
    row = risks_repo.indicator(ctx.session, key)
    if row is None:
        raise NotFound("risks.error.no_such_indicator", key=key[:48])
    token = secrets.token_urlsafe(24)
    row.token_hash = hash_token(token)
    return token


def expect(ctx: Ctx, row: Indicator, since: datetime) -> None:
    """The next value is due `every_days` after the last one; missing it raises "stale"."""
    jobs.cancel(ctx.session, prefix=f"indicator:{row.id}:stale:")
    due = since + timedelta(days=row.every_days)
    jobs.schedule(
        ctx.session,
        kind=STALE,
        due_at=due,
        now=ctx.now,
        payload={"indicator_id": row.id},
        # A fresh key each time: a cancelled row keeps its key, and a value may arrive twice
        # in one instant (the first expectation and the first value).
        dedupe_key=f"indicator:{row.id}:stale:{due.isoformat()}:{secrets.token_hex(4)}",
    )
