"""What resignations show in Slack beyond the engine's card: the list of what moved to the
successor on the last day, and HR's summary of the completed handover checklist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from procedures.form_display import escape
from slackui.i18n import Translator
from store.models.resignation import ResignationTransfer

MAX_LINES = 60  # a DM stays far below Slack's message limits; the rest is counted


@dataclass(frozen=True)
class ChecklistLine:
    step: dict[str, str]  # the step's name in both languages
    done_by: str | None
    note: str


def _item(t: Translator, row: ResignationTransfer) -> str:
    kind = t(f"resignation.kind.{row.kind}") if t.has(f"resignation.kind.{row.kind}") else row.kind
    label = row.label_zh if t.lang == "zh" and row.label_zh else row.label
    if row.kind == "delegation":
        label = t("resignation.delegation_of", approver=f"<@{row.label}>")
        return f"• {kind}: {label}"
    text = f"• {kind} {escape(row.ref)}"
    return f"{text}: {escape(label[:200])}" if label else text


def moved_text(
    t: Translator,
    number: str,
    leaver: str,
    successor: str,
    cite: str,
    items: Sequence[ResignationTransfer],
) -> str:
    head = t(
        "resignation.moved.title",
        number=number,
        leaver=f"<@{leaver}>",
        successor=f"<@{successor}>",
        count=len(items),
        cite=cite,
    )
    if not items:
        return f"{head}\n{t('resignation.moved.none')}"
    lines = [_item(t, row) for row in items[:MAX_LINES]]
    if len(items) > MAX_LINES:
        lines.append(t("resignation.moved.more", count=len(items) - MAX_LINES))
    return "\n".join([head, *lines])


def summary_text(
    t: Translator,
    number: str,
    leaver: str,
    successor: str,
    last_day: str,
    cite: str,
    checklist: Sequence[ChecklistLine],
) -> str:
    head = t(
        "resignation.summary.title",
        number=number,
        leaver=f"<@{leaver}>",
        successor=f"<@{successor}>",
        last_day=last_day,
        cite=cite,
    )
    lines = [
        t(
            "resignation.summary.line",
            step=t.pick(line.step),
            by=f"<@{line.done_by}>" if line.done_by else "—",
            note=escape(line.note[:500]) if line.note else t("resignation.summary.no_note"),
        )
        for line in checklist
    ]
    return "\n".join([head, *lines])
