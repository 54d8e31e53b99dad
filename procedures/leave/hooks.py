"""What leave adds to the approval engine: working days, the checks of regulations.md §1
(apply in advance, enough balance, no overlap), and the balance moving on approval and
cancellation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from procedures import handover
from procedures.calendar import WorkCalendar, calendar_for
from procedures.errors import InvalidInput
from procedures.hooks import HookContext, Hooks
from procedures.leave import balances, queries
from procedures.leave.policy import LeavePolicy, LeaveType
from procedures.leave.spans import Span
from store import jobs, leave_repo
from store.directory import Directory

NOTICE = "leave.notice"

# Leave is filed at most this far ahead (next year's quota counts, the year after's does not).
MAX_AHEAD_DAYS = 366


def _calendar(ctx: HookContext) -> WorkCalendar:
    return calendar_for(Directory(ctx.session).calendar_of(ctx.requester))


def _kind(ctx: HookContext, payload: Mapping[str, Any]) -> LeaveType | None:
    return ctx.policy.section(LeavePolicy).type(str(payload.get("type")))


def _span(payload: Mapping[str, Any]) -> Span | None:
    dates = payload.get("dates")
    return Span.from_payload(dates) if isinstance(dates, Mapping) and dates.get("start") else None


def show_days(days: Decimal) -> str:
    return f"{days.normalize():f}"


class LeaveHooks(Hooks):
    computed = ("days", "needs_approval", "over_limit")

    def compute(self, ctx: HookContext, payload: Mapping[str, Any]) -> dict[str, Any]:
        kind, span = _kind(ctx, payload), _span(payload)
        if kind is None or span is None:
            return {}
        days = span.working_days(_calendar(ctx))
        limit = kind.max_consecutive_days
        return {
            "days": show_days(days),
            "needs_approval": kind.approval,
            "over_limit": bool(limit is not None and days > limit),
        }

    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        kind, span = _kind(ctx, payload), _span(payload)
        if kind is None:
            return [InvalidInput("leave.error.unknown_type", field="type")]
        if span is None:
            return []  # the form already requires dates
        problems: list[InvalidInput] = []
        cite = kind.cite
        name = kind.name.model_dump()
        latest = ctx.today + timedelta(days=MAX_AHEAD_DAYS)
        if span.end > latest:  # sick leave has no notice, but 9999-12-31 is not a plan
            return [InvalidInput("leave.error.too_far", field="dates", latest=latest.isoformat())]
        calendar = _calendar(ctx)
        days = span.working_days(calendar)
        if span.has_half and not kind.half_days:
            problems.append(
                InvalidInput("leave.error.no_halves", field="dates", type=name, cite=cite)
            )
        elif days == 0:
            problems.append(InvalidInput("leave.error.no_working_days", field="dates", cite=cite))
        today = ctx.today
        if kind.backdate_days and span.start < today:
            if (today - span.start).days > kind.backdate_days:
                problems.append(
                    InvalidInput(
                        "leave.error.too_late",
                        field="dates",
                        type=name,
                        days=kind.backdate_days,
                        cite=cite,
                    )
                )
        elif not kind.backdate_days:
            earliest = (
                calendar.add_working_days(today, kind.notice_working_days)
                if kind.notice_working_days
                else today
            )
            if span.start < earliest:
                problems.append(
                    InvalidInput(
                        "leave.error.notice",
                        field="dates",
                        type=name,
                        days=kind.notice_working_days,
                        earliest=earliest.isoformat(),
                        cite=cite,
                    )
                )
        clash = queries.overlapping(
            ctx.session, ctx.policy, ctx.requester, span, exclude=ctx.request_id
        )
        if clash is not None:
            spec = ctx.policy.procedure(ctx.policy.section(LeavePolicy).procedure)
            prefix = spec.prefix if spec else "LV"
            problems.append(
                InvalidInput(
                    "leave.error.overlap",
                    field="dates",
                    number=f"{prefix}-{clash.request.number:04d}",
                    cite=cite,
                )
            )
        if kind.balance is not None and days:
            problems += self._balance_problems(ctx, kind, span, calendar)
        if kind.reason_required and not str(payload.get("reason") or "").strip():
            problems.append(InvalidInput("leave.error.reason_required", field="reason", type=name))
        return problems

    def _balance_problems(
        self, ctx: HookContext, kind: LeaveType, span: Span, calendar: WorkCalendar
    ) -> list[InvalidInput]:
        """Each year's part of the span against that year's balance."""
        directory = Directory(ctx.session)
        parts = span.by_year()
        problems: list[InvalidInput] = []
        for part in parts:
            days = part.working_days(calendar)
            if not days:
                continue
            rows = balances.balances(
                ctx.session,
                ctx.policy.section(LeavePolicy),
                ctx.requester,
                today=ctx.today,
                joined=directory.joined_on(ctx.requester),
                now=ctx.now,
                exclude_request=ctx.request_id,
                year=part.start.year,
            )
            row = balances.balance_of(rows, kind.id)
            if row is None or days <= row.left:
                continue
            params = {
                "type": kind.name.model_dump(),
                "days": show_days(days),
                "left": show_days(row.left),
                "cite": kind.cite,
            }
            if len(parts) > 1:
                problems.append(
                    InvalidInput(
                        "leave.error.balance_year", field="dates", year=part.start.year, **params
                    )
                )
            else:
                problems.append(InvalidInput("leave.error.balance", field="dates", **params))
        return problems

    def card_fields(
        self, payload: Mapping[str, Any], computed: Mapping[str, Any], lang: str
    ) -> list[str]:
        days = computed.get("days")
        if days is None:
            return []
        label = "工作日" if lang == "zh" else "Working days"
        return [f"*{label}*\n{days}"]

    def on_approved(self, ctx: HookContext, request_id: int, payload: Mapping[str, Any]) -> None:
        self._move_balance(ctx, request_id, payload, "taken", -1)
        self._notice(ctx, request_id, "approved")
        span = _span(payload)
        if span is not None and payload.get("handover"):
            # Decisions waiting on the requester go to their handover person once they are out.
            noon = span.start_half == "pm"
            starts = datetime.combine(span.start, time(12 if noon else 0), tzinfo=ctx.tz)
            job = handover.schedule(ctx.session, ctx.requester, starts, ctx.now)
            if job is not None:
                ctx.jobs.append(job)

    def on_closed(
        self, ctx: HookContext, request_id: int, payload: Mapping[str, Any], state: str
    ) -> None:
        if state == "cancelled":
            self._move_balance(ctx, request_id, payload, "restored", +1)
            self._notice(ctx, request_id, "cancelled")

    def _move_balance(
        self, ctx: HookContext, request_id: int, payload: Mapping[str, Any], kind: str, sign: int
    ) -> None:
        leave_type, span = _kind(ctx, payload), _span(payload)
        if leave_type is None or leave_type.balance is None or span is None:
            return
        calendar = _calendar(ctx)
        for part in span.by_year():
            days = part.working_days(calendar)
            if not days:
                continue
            leave_repo.add(
                ctx.session,
                user=ctx.requester,
                leave_type=leave_type.id,
                year=part.start.year,
                kind=kind,
                days=days * sign,
                on=part.start,
                key=f"{kind}:{request_id}:{part.start.year}",
                at=ctx.now,
                request_id=request_id,
            )

    def _notice(self, ctx: HookContext, request_id: int, event: str) -> None:
        """The team channel learns who is out and when (never the type or the reason)."""
        job = jobs.schedule(
            ctx.session,
            kind=NOTICE,
            due_at=ctx.now,
            now=ctx.now,
            payload={"request_id": request_id, "event": event},
            dedupe_key=f"leave:notice:{request_id}:{event}",
        )
        if job is not None:
            ctx.jobs.append(job)
