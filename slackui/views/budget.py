"""`/procedo budget`: a department's lines for a year, each with its adjustments."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from procedures.budget.lines import Line
from procedures.form_display import escape
from slackui import blocks as b
from slackui.i18n import Translator

SHOWN = 30  # lines; the rest are counted (Slack caps blocks per message)


def _money(amount: Decimal, currency: str) -> str:
    return f"{currency} {amount:,.2f}"


def _line(t: Translator, line: Line) -> str:
    parts = [
        t(
            "budget.line",
            name=escape(line.name),
            amount=_money(line.amount, line.currency),
            opening=_money(line.opening, line.currency),
        )
    ]
    for adj in line.adjustments:
        sign = "+" if adj.amount > 0 else "−"
        parts.append(
            t(
                "budget.adjustment",
                number=adj.number or "—",
                amount=f"{sign}{_money(abs(adj.amount), line.currency)}",
            )
        )
    return "\n".join(parts)


def lines_blocks(
    t: Translator, department: str, year: int, lines: Sequence[Line]
) -> list[dict[str, Any]]:
    out: list[Any] = [b.header(t("budget.title", department=department, year=year))]
    if not lines:
        out.append(b.section(t("budget.none")))
        return b.to_dicts(out)
    out += b.sections([_line(t, line) for line in lines[:SHOWN]])
    if len(lines) > SHOWN:
        out.append(b.context(t("budget.more", count=len(lines) - SHOWN)))
    return b.to_dicts(out)
