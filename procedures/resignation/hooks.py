"""What resignations add to the engine: the notice period (in working days) and the successor
checked on filing, the supplies issued to the leaver listed on the admin's checklist task, the
last-day transfer scheduled once HR opens the checklist, and HR's summary once it is done."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from procedures.calendar import calendar_for
from procedures.errors import InvalidInput
from procedures.form_display import show_date
from procedures.hooks import HookContext, Hooks, TaskOutcome
from procedures.modules import Owned
from procedures.policy.common import Text
from procedures.policy.forms import FieldSpec
from procedures.resignation.policy import ResignationPolicy
from store import jobs
from store.directory import Directory

TRANSFER = "resignation.transfer"
SUMMARY = "resignation.summary"
OPEN_STEP = "open"
EQUIPMENT_STEP = "equipment"
MAX_LISTED = 30  # issued items listed on a task's form (a hint is at most 2,000 characters)


def last_day(payload: Mapping[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(payload.get("last_day")))
    except ValueError:
        return None


def earliest_last_day(ctx: HookContext) -> date:
    section = ctx.policy.section(ResignationPolicy)
    calendar = calendar_for(Directory(ctx.session).calendar_of(ctx.requester))
    return calendar.add_working_days(ctx.today, section.notice_working_days)


def transfer_due(ctx: HookContext, day: date) -> datetime:
    at = ctx.policy.section(ResignationPolicy).transfer_at
    return datetime.combine(day, at, ctx.tz)


def _holdings_hint(items: Sequence[Owned]) -> Text:
    shown = items[:MAX_LISTED]
    more = len(items) - len(shown)
    en = "; ".join(item.label for item in shown)
    zh = "；".join(item.label_zh or item.label for item in shown)
    if more:
        en, zh = f"{en}; and {more} more", f"{zh}；另有 {more} 项"
    return Text(
        en=f"Issued to the leaver: {en}." if items else "No supplies were issued to the leaver.",
        zh=f"已向离职人发放：{zh}。" if items else "未向离职人发放办公用品。",
    )


class ResignationHooks(Hooks):
    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        problems: list[InvalidInput] = []
        cite = ctx.policy.section(ResignationPolicy).cite
        day, earliest = last_day(payload), earliest_last_day(ctx)
        if day is not None and day < earliest:
            days = ctx.policy.section(ResignationPolicy).notice_working_days
            problems.append(
                InvalidInput(
                    "resignation.error.notice",
                    field="last_day",
                    earliest={lang: show_date(earliest, lang) for lang in ("en", "zh")},
                    days=days,
                    cite=cite,
                )
            )
        successor = str(payload.get("successor") or "")
        if successor == ctx.requester:
            problems.append(InvalidInput("resignation.error.self", field="successor", cite=cite))
        elif successor and Directory(ctx.session).department_of(successor) is None:
            problems.append(
                InvalidInput("resignation.error.successor", field="successor", cite=cite)
            )
        return problems

    def task_fields(
        self, ctx: HookContext, request_id: int, step: str | None, declared: Sequence[FieldSpec]
    ) -> list[FieldSpec]:
        if step != EQUIPMENT_STEP or not declared:
            return list(declared)
        items = [
            item
            for domain in ctx.policy.domains
            if domain.holdings is not None
            for item in domain.holdings(ctx.session, ctx.requester)
        ]
        first, *rest = declared
        return [first.model_copy(update={"hint": _holdings_hint(items)}), *rest]

    def on_task(self, ctx: HookContext, outcome: TaskOutcome) -> None:
        """HR opened the checklist: the approval is final, so the transfer is due on the last
        day (at once when that has passed). The job checks the case again when it runs."""
        if outcome.step != OPEN_STEP:
            return
        day = last_day(outcome.payload) or ctx.today
        job = jobs.schedule(
            ctx.session,
            kind=TRANSFER,
            due_at=max(transfer_due(ctx, day), ctx.now),
            now=ctx.now,
            payload={"request_id": outcome.request_id},
            dedupe_key=f"{TRANSFER}:{outcome.request_id}",
        )
        if job is not None and transfer_due(ctx, day) <= ctx.now + timedelta(seconds=1):
            ctx.jobs.append(job)
        return

    def on_approved(self, ctx: HookContext, request_id: int, payload: Mapping[str, Any]) -> None:
        """The checklist is complete: HR gets its summary."""
        job = jobs.schedule(
            ctx.session,
            kind=SUMMARY,
            due_at=ctx.now,
            now=ctx.now,
            payload={"request_id": request_id},
            dedupe_key=f"{SUMMARY}:{request_id}",
        )
        if job is not None:
            ctx.jobs.append(job)
