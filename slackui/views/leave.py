"""Leave in Slack: the quick-path summary, the live count in the form, balances, my leave,
who is out, and the team notice (which never shows the type or the reason)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from procedures import form_display
from procedures.leave.balances import BalanceRow
from procedures.leave.hooks import show_days
from procedures.leave.policy import LeavePolicy, LeaveType
from procedures.leave.spans import Span
from procedures.policy import Policy
from slackui import blocks as b
from slackui.i18n import Translator


class LeaveAction(StrEnum):
    SUBMIT = "leave.submit"
    EDIT = "leave.edit"


COUNT_BLOCK = "leave:count"


def show_span(policy: Policy, span: Span, lang: str) -> str:
    spec = policy.procedure(policy.section(LeavePolicy).procedure)
    field = next((f for f in spec.fields if f.id == "dates"), None) if spec else None
    if field is None:
        return f"{span.start.isoformat()} – {span.end.isoformat()}"
    return form_display.display(field, span.to_payload(), "zh" if lang == "zh" else "en")


def type_name(t: Translator, kind: LeaveType) -> str:
    return t.pick(kind.name.model_dump())


@dataclass(frozen=True)
class YearCharge:
    """The part of a leave charged to one year's balance (None: the type keeps none)."""

    year: int
    days: Decimal
    row: BalanceRow | None


def quick_summary(
    t: Translator,
    policy: Policy,
    kind: LeaveType,
    span: Span,
    reason: str,
    days: Decimal,
    charges: Sequence[YearCharge],
    problems: Sequence[str],
    payload: dict[str, Any],
) -> list[dict[str, Any]]:
    items = [
        t("leave.type", type=type_name(t, kind)),
        t("leave.dates", dates=show_span(policy, span, t.lang)),
        t("leave.days", days=show_days(days)),
    ]
    kept = [(c, c.row) for c in charges if c.row is not None]
    if len(kept) == 1:
        charge, row = kept[0]
        items.append(
            t("leave.after", left=show_days(row.left - charge.days), total=show_days(row.total))
        )
    elif kept:
        per_year = (
            t(
                "leave.after_year",
                year=c.year,
                days=show_days(c.days),
                left=show_days(row.left - c.days),
                total=show_days(row.total),
            )
            for c, row in kept
        )
        items.append(t("leave.after_by_year", years="\n".join(per_year)))  # a line per year
    else:
        items.append(t("leave.no_balance", paid=t("leave.paid" if kind.paid else "leave.unpaid")))
    if reason:
        items.append(t("leave.reason", reason=form_display.escape(reason)))
    out: list[Any] = [b.section(t("leave.quick.title")), b.fields(items)]
    value = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    buttons = [b.button(t("leave.quick.edit"), LeaveAction.EDIT, value)]
    if problems:
        out.append(
            b.section(t("leave.quick.refused") + "\n" + "\n".join(f"• {p}" for p in problems))
        )
    else:
        buttons.insert(
            0, b.button(t("leave.quick.submit"), LeaveAction.SUBMIT, value, style="primary")
        )
    out.append(b.actions(*buttons))
    return b.to_dicts(out)


def count_block(
    t: Translator,
    policy: Policy,
    span: Span | None,
    days: Decimal | None,
    rows: Sequence[BalanceRow],
) -> dict[str, Any]:
    """The live line at the top of the leave form: the days it counts, and the balances."""
    if span is None or days is None:
        line = t("leave.modal.pick")
    else:
        line = t(
            "leave.modal.count",
            days=show_days(days),
            from_=span.start.isoformat(),
            to=span.end.isoformat(),
        )
    left = t.join(f"{type_name(t, r.type)} {show_days(r.left)}" for r in rows if r.total or r.used)
    text = line + ("\n" + t("leave.modal.balances", balances=left) if left else "")
    return b.section(text, block_id=COUNT_BLOCK).to_dict()


def label_options_with_balances(
    blocks: list[dict[str, Any]], t: Translator, rows: Sequence[BalanceRow]
) -> None:
    """Show what is left beside each type in the form's type select."""
    left = {row.type.id: row.left for row in rows}
    for block in blocks:
        if block.get("block_id") != "f:type":
            continue
        element = block.get("element", {})
        for option in [*element.get("options", []), element.get("initial_option") or {}]:
            value = option.get("value")
            if value in left and "text" in option:
                name = option["text"]["text"]
                option["text"]["text"] = b.clip(
                    t("leave.option_left", name=name, left=show_days(left[value])), 75
                )


def balance_blocks(
    t: Translator, year: int, rows: Sequence[BalanceRow], unkept: Sequence[LeaveType]
) -> list[dict[str, Any]]:
    lines = [
        t(
            "leave.balance.line",
            type=type_name(t, row.type),
            left=show_days(row.left),
            total=show_days(row.total),
            granted=show_days(row.granted),
            carried=show_days(row.carried),
            used=show_days(row.used),
            pending=show_days(row.pending),
        )
        for row in rows
    ]
    out: list[Any] = [b.header(t("leave.balance.title", year=year)), b.section("\n".join(lines))]
    if unkept:
        out.append(
            b.context(t("leave.balance.none_kept", types=t.join(type_name(t, k) for k in unkept)))
        )
    return b.to_dicts(out)


def who_blocks(
    t: Translator, policy: Policy, department: str, when: str, out_list: Sequence[tuple[str, Span]]
) -> list[dict[str, Any]]:
    out: list[Any] = [b.section(f"*{t('leave.who.title', department=department, when=when)}*")]
    if not out_list:
        out.append(b.context(t("leave.who.nobody")))
    else:
        lines = [
            t("leave.who.line", user=user, dates=show_span(policy, span, t.lang))
            for user, span in out_list
        ]
        out.append(b.section("\n".join(lines[:60])))
    return b.to_dicts(out)


def notice_text(
    t: Translator, policy: Policy, event: str, user: str, span: Span, handover: str | None
) -> str:
    key = "leave.notice.out" if event == "approved" else "leave.notice.cancelled"
    text = t(key, user=user, dates=show_span(policy, span, t.lang))
    if handover and event == "approved":
        text += " " + t("leave.notice.handover", user=handover)
    return text


def morning_blocks(
    t: Translator, policy: Policy, day: date, out_list: Sequence[tuple[str, Span]]
) -> tuple[str, list[dict[str, Any]]]:
    title = t("leave.morning.title", date=day.isoformat())
    lines = [
        t("leave.who.line", user=user, dates=show_span(policy, span, t.lang))
        for user, span in out_list
    ]
    return title, b.to_dicts([b.section(f"*{title}*\n" + "\n".join(lines[:60]))])
