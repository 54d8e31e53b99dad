"""Indicators and their alerts, after Alertmanager: an alert is its indicator and level, so a
repeated value updates the open alert rather than raising another; a critical alert inhibits
the warning of the same indicator; an alert moves firing → acknowledged → resolved, re-notifies
while nobody acknowledges it, escalates to the owner's head and then the director after working
hours, reopens when an acknowledgement times out, and may be silenced (author, reason, expiry).
A missing value is an alert of its own ("stale"). Every change arms the alert's Slack sync."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from procedures.engine import Ctx
from procedures.errors import Conflict, InvalidInput, NotAllowed, NotFound
from procedures.risks import indicators, scoring
from procedures.risks.policy import RisksPolicy
from store import audit, jobs, risks_repo
from store.models.risks import Alert, Indicator, IndicatorValue

SYNC = "risks.alert_sync"
REPEAT, ESCALATE, ACK_TIMEOUT = "risks.alert_repeat", "risks.alert_escalate", "risks.ack_timeout"
SILENCE_END = "risks.silence_end"
SUBJECT = "risk_alert"


@dataclass(frozen=True)
class Reported:
    key: str
    value: Decimal
    band: scoring.Band


def report(ctx: Ctx, section: RisksPolicy, key: str, value: Decimal, by: str) -> Reported:
    """A value arrives: record it, then bring the indicator's alerts in line with its band."""
    row = risks_repo.indicator(ctx.session, key)
    if row is None:
        raise NotFound("risks.error.no_such_indicator", key=key[:48])
    band = scoring.band(indicators.thresholds(row), value)
    ctx.session.add(IndicatorValue(indicator_id=row.id, value=value, band=band, by=by, at=ctx.now))
    row.last_value, row.last_at = value, ctx.now
    indicators.expect(ctx, row, ctx.now)
    _resolve(ctx, row, "stale", by)
    if band == "critical":
        _fire(ctx, section, row, "critical", value)
        warning = risks_repo.open_alert(ctx.session, row.id, "warning")
        if warning is not None and not warning.inhibited:
            warning.inhibited = True
            _changed(ctx, warning, "inhibited", by)
    elif band in ("warning", "approaching"):
        _resolve(ctx, row, "critical", by, value)
        _fire(ctx, section, row, "warning", value)
    else:
        _resolve(ctx, row, "critical", by, value)
        _resolve(ctx, row, "warning", by, value)
    ctx.session.flush()
    return Reported(key, value, band)


def _fire(
    ctx: Ctx, section: RisksPolicy, row: Indicator, level: str, value: Decimal | None
) -> Alert:
    alert = risks_repo.open_alert(ctx.session, row.id, level)
    if alert is not None:
        changed = alert.value != value or (alert.inhibited and level == "warning")
        alert.value, alert.updated_at = value, ctx.now
        if level == "warning" and alert.inhibited:
            alert.inhibited = False  # the critical one resolved: the warning speaks again
        if changed:
            _changed(ctx, alert, "updated", audit.SYSTEM)
        return alert
    alert = Alert(
        indicator_id=row.id,
        level=level,
        open_key=risks_repo.open_key(row.id, level),
        state="firing",
        inhibited=level == "warning"
        and risks_repo.open_alert(ctx.session, row.id, "critical") is not None,
        value=value,
        fired_at=ctx.now,
        updated_at=ctx.now,
        escalated=0,
        notices=0,
        shown=0,
    )
    ctx.session.add(alert)
    ctx.session.flush()
    _changed(ctx, alert, "fired", audit.SYSTEM)
    _start_clocks(ctx, section, alert, ctx.now)
    return alert


def _start_clocks(ctx: Ctx, section: RisksPolicy, alert: Alert, since: datetime) -> None:
    timings = section.alerts
    base = f"alert:{alert.id}:"
    alert.notices = 0  # the repeats' back-off starts again
    jobs.cancel(ctx.session, prefix=base)
    stamp = since.isoformat()
    payload = {"alert_id": alert.id}
    jobs.schedule(
        ctx.session,
        kind=REPEAT,
        due_at=since + timedelta(hours=timings.repeat_after_hours),
        now=ctx.now,
        payload=payload,
        dedupe_key=f"{base}repeat:{stamp}",
    )
    for stage, hours in (
        (1, timings.escalate_to_head_after_working_hours),
        (2, timings.escalate_to_director_after_working_hours),
    ):
        jobs.schedule(
            ctx.session,
            kind=ESCALATE,
            due_at=ctx.calendar.add_working_hours(since, hours, ctx.tz),
            now=ctx.now,
            payload={**payload, "stage": stage},
            dedupe_key=f"{base}escalate{stage}:{stamp}",
        )


def _resolve(
    ctx: Ctx, row: Indicator, level: str, by: str, value: Decimal | None = None
) -> Alert | None:
    alert = risks_repo.open_alert(ctx.session, row.id, level)
    if alert is None:
        return None
    before = alert.state
    alert.state, alert.open_key, alert.resolved_at, alert.updated_at = (
        "resolved",
        None,
        ctx.now,
        ctx.now,
    )
    if value is not None:
        alert.value = value
    jobs.cancel(ctx.session, prefix=f"alert:{alert.id}:")
    _changed(ctx, alert, "resolved", by, from_state=before)
    if level == "critical":
        warning = risks_repo.open_alert(ctx.session, row.id, "warning")
        if warning is not None and warning.inhibited:
            warning.inhibited = False
            _changed(ctx, warning, "uninhibited", by)
    return alert


def _changed(
    ctx: Ctx,
    alert: Alert,
    what: str,
    actor: str,
    *,
    from_state: str | None = None,
    **detail: object,
) -> None:
    audit.record(
        ctx.session,
        at=ctx.now,
        actor=actor,
        action=f"alert.{what}",
        subject_type=SUBJECT,
        subject_id=str(alert.id),
        from_state=from_state,
        to_state=alert.state,
        detail={"level": alert.level, "value": str(alert.value), **detail},
    )
    ctx.session.flush()
    arm_sync(ctx, alert.id)


def arm_sync(ctx: Ctx, alert_id: int) -> None:
    ctx.jobs.append(
        jobs.arm(
            ctx.session,
            kind=SYNC,
            key=f"sync:alert:{alert_id}",
            due_at=ctx.now,
            now=ctx.now,
            payload={"alert_id": alert_id},
        )
    )


# -- people act on an alert ----------------------------------------------------------------


def may_act(ctx: Ctx, alert: Alert, user: str) -> bool:
    """The risk role, the linked risk's owner and the people it escalates to, bot admins."""
    d = ctx.directory
    if d.has_role(user, "risk") or d.has_role(user, "bot_admin"):
        return True
    owner = owner_of(ctx, alert)
    if owner is None:
        return False
    dept = d.department_of(owner)
    return user in (owner, dept.head if dept else None, dept.director if dept else None)


def owner_of(ctx: Ctx, alert: Alert) -> str | None:
    row = risks_repo.indicator_by_id(ctx.session, alert.indicator_id)
    risk = risks_repo.get(ctx.session, row.risk_id) if row and row.risk_id else None
    return risk.owner if risk else None


def _open_for(ctx: Ctx, alert_id: int, user: str) -> Alert:
    alert = risks_repo.alert(ctx.session, alert_id, for_update=True)
    if alert is None:
        raise NotFound("risks.error.no_such_alert")
    if not may_act(ctx, alert, user):
        raise NotAllowed("risks.error.not_yours")
    if alert.state == "resolved":
        raise Conflict("risks.error.alert_resolved")
    return alert


def acknowledge(ctx: Ctx, section: RisksPolicy, alert_id: int, user: str) -> Alert:
    alert = _open_for(ctx, alert_id, user)
    if alert.state == "acknowledged":
        raise Conflict("risks.error.already_acked", user=alert.acked_by or "")
    alert.state, alert.acked_by, alert.acked_at, alert.updated_at = (
        "acknowledged",
        user,
        ctx.now,
        ctx.now,
    )
    base = f"alert:{alert.id}:"
    jobs.cancel(ctx.session, prefix=base)  # an acknowledgement stops repeats and escalation
    due = ctx.now + timedelta(hours=section.alerts.ack_timeout_hours)
    jobs.schedule(
        ctx.session,
        kind=ACK_TIMEOUT,
        due_at=due,
        now=ctx.now,
        payload={"alert_id": alert.id, "acked_at": ctx.now.isoformat()},
        dedupe_key=f"{base}ack-timeout:{ctx.now.isoformat()}",
    )
    _changed(ctx, alert, "acknowledged", user, from_state="firing")
    return alert


def silence(
    ctx: Ctx, section: RisksPolicy, alert_id: int, user: str, hours: float, reason: str
) -> Alert:
    alert = _open_for(ctx, alert_id, user)
    if not reason.strip():
        raise InvalidInput("risks.error.silence_reason", field="reason")
    if not 0 < hours <= section.alerts.silence_max_days * 24:
        raise InvalidInput(
            "risks.error.silence_hours", field="hours", max=section.alerts.silence_max_days * 24
        )
    alert.silenced_until = ctx.now + timedelta(hours=hours)
    alert.silenced_by, alert.silence_reason, alert.updated_at = user, reason.strip(), ctx.now
    base = f"alert:{alert.id}:"
    jobs.cancel(ctx.session, prefix=f"{base}repeat")
    jobs.cancel(ctx.session, prefix=f"{base}escalate")
    jobs.schedule(
        ctx.session,
        kind=SILENCE_END,
        due_at=alert.silenced_until,
        now=ctx.now,
        payload={"alert_id": alert.id, "until": alert.silenced_until.isoformat()},
        dedupe_key=f"{base}silence:{alert.silenced_until.isoformat()}",
    )
    _changed(ctx, alert, "silenced", user, reason=reason.strip()[:500], hours=hours)
    return alert


def plan_started(ctx: Ctx, alert_id: int, user: str) -> Alert:
    alert = _open_for(ctx, alert_id, user)
    alert.plan_started_by, alert.updated_at = user, ctx.now
    _changed(ctx, alert, "plan_started", user)
    return alert


# -- the clock -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """Someone must be told about an alert now (a repeat, an escalation, a reopening)."""

    alert_id: int
    kind: str  # repeat, escalated, reopened, silence_ended, stale
    to: tuple[str, ...]


def _live(ctx: Ctx, alert_id: int) -> Alert | None:
    alert = risks_repo.alert(ctx.session, alert_id, for_update=True)
    return alert if alert is not None and alert.state != "resolved" else None


def _quiet(alert: Alert, now: datetime) -> bool:
    return alert.inhibited or (alert.silenced_until is not None and alert.silenced_until > now)


def repeat(ctx: Ctx, section: RisksPolicy, alert_id: int) -> Notice | None:
    alert = _live(ctx, alert_id)
    if alert is None or alert.state != "firing":
        return None
    quiet = _quiet(alert, ctx.now)
    if not quiet:
        alert.notices += 1
    # Back off: each repeat waits twice as long as the one before, up to the cap (four-hourly
    # repeats for a week are noise, alertmanager #2595).
    timings = section.alerts
    hours = min(timings.repeat_after_hours * 2 ** max(alert.notices, 0), timings.repeat_max_hours)
    jobs.schedule(
        ctx.session,
        kind=REPEAT,
        due_at=ctx.now + timedelta(hours=hours),
        now=ctx.now,
        payload={"alert_id": alert.id},
        dedupe_key=f"alert:{alert.id}:repeat:{ctx.now.isoformat()}",
    )
    if quiet:
        return None
    _changed(ctx, alert, "repeated", audit.SYSTEM, notices=alert.notices)
    owner = owner_of(ctx, alert)
    return Notice(alert.id, "repeat", (owner,) if owner else ())


def escalate(ctx: Ctx, alert_id: int, stage: int) -> Notice | None:
    alert = _live(ctx, alert_id)
    if alert is None or alert.state != "firing" or alert.escalated >= stage:
        return None
    if _quiet(alert, ctx.now):
        return None
    owner = owner_of(ctx, alert)
    dept = ctx.directory.department_of(owner) if owner else None
    if stage == 1:
        target = dept.head if dept else None
    else:
        target = (dept.director or dept.head) if dept else None
    if target is None or target == owner:
        people = ctx.directory.users_with_role("risk")
        target = people[0] if people else None
    alert.escalated = stage
    _changed(ctx, alert, "escalated", audit.SYSTEM, stage=stage, to=target)
    return Notice(alert.id, "escalated", (target,) if target else ())


def ack_timed_out(ctx: Ctx, section: RisksPolicy, alert_id: int, acked_at: str) -> Notice | None:
    alert = _live(ctx, alert_id)
    if alert is None or alert.state != "acknowledged" or alert.acked_at is None:
        return None
    if alert.acked_at.isoformat() != datetime.fromisoformat(acked_at).isoformat():
        return None  # acknowledged again since
    who = alert.acked_by
    alert.state, alert.acked_by, alert.acked_at, alert.updated_at = "firing", None, None, ctx.now
    alert.escalated = 0
    _start_clocks(ctx, section, alert, ctx.now)
    _changed(ctx, alert, "reopened", audit.SYSTEM, from_state="acknowledged", was=who)
    return Notice(alert.id, "reopened", (who,) if who else ())


def silence_ended(ctx: Ctx, section: RisksPolicy, alert_id: int, until: str) -> Notice | None:
    alert = _live(ctx, alert_id)
    if alert is None or alert.silenced_until is None:
        return None
    if alert.silenced_until.isoformat() != datetime.fromisoformat(until).isoformat():
        return None
    by = alert.silenced_by
    alert.silenced_until, alert.updated_at = None, ctx.now
    if alert.state == "firing":
        _start_clocks(ctx, section, alert, ctx.now)
    _changed(ctx, alert, "silence_ended", audit.SYSTEM, by=by)
    return Notice(alert.id, "silence_ended", (by,) if by else ())


def went_stale(ctx: Ctx, section: RisksPolicy, indicator_id: int) -> Alert | None:
    """No value arrived in time: the "not reported" alert (a value resolves it)."""
    row = risks_repo.indicator_by_id(ctx.session, indicator_id)
    if row is None:
        return None
    since = row.last_at or row.created_at
    if ctx.now < since + timedelta(days=row.every_days):
        return None
    return _fire(ctx, section, row, "stale", row.last_value)
