"""Risk views: the `/risk` form, register lines, one risk in full, the alert message (edited in
place as the alert moves), the silence modal. Action ids are prefixed `risks.`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement, PlainTextObject
from slack_sdk.models.views import View

from procedures.form_display import escape
from procedures.forms import plain_decimal
from procedures.policy.forms import FieldSpec
from procedures.risks.policy import Level, RisksPolicy
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.views.forms import input_blocks
from store.models import Request
from store.models.risks import Alert, Indicator, IndicatorValue, Risk, RiskScore

TITLE_LIMIT = 24
SHOWN = 30  # register lines per message; the CSV has the rest


class RiskAction(StrEnum):
    OPEN_FORM = "risks.open"
    ACK = "risks.ack"
    PLAN = "risks.plan"
    SILENCE = "risks.silence"


class RiskCallback(StrEnum):
    FORM = "risks.form"
    SILENCE = "risks.silence"


def _title(text: str) -> PlainTextObject:
    return PlainTextObject(text=b.clip(text, TITLE_LIMIT))


def form_modal(section: RisksPolicy, fields: Sequence[FieldSpec], t: Translator) -> dict[str, Any]:
    head = b.context(t("risks.form.intro"), t("prompt.cite", cite=section.cite))
    view = View(
        type="modal",
        callback_id=RiskCallback.FORM,
        title=_title(t("risks.form.title")),
        submit=_title(t("request.modal.submit")),
        close=_title(t("request.modal.close")),
        blocks=[head.to_dict(), *input_blocks(fields, t)],
    )
    return view.to_dict()


def silence_modal(t: Translator, alert_id: int, max_hours: int) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=RiskCallback.SILENCE,
        title=_title(t("risks.silence.title")),
        submit=_title(t("risks.silence.submit")),
        close=_title(t("request.modal.close")),
        private_metadata=json.dumps({"alert_id": alert_id}),
        blocks=[
            InputBlock(
                block_id="hours",
                label=PlainTextObject(text=t("risks.silence.hours")),
                hint=PlainTextObject(text=t("risks.silence.hours_hint", max=max_hours)),
                element=PlainTextInputElement(action_id="value", initial_value="24", max_length=6),
            ),
            InputBlock(
                block_id="reason",
                label=PlainTextObject(text=t("risks.silence.reason")),
                element=PlainTextInputElement(action_id="value", multiline=True, max_length=500),
            ),
        ],
    )
    return view.to_dict()


def number(risk: Risk) -> str:
    return f"RK-{risk.number:04d}"


def level_badge(level: Level, t: Translator) -> str:
    return f"{level.emoji} {t.pick(level.name.model_dump())}"


def _day(when: datetime, tz: ZoneInfo) -> str:
    return when.astimezone(tz).date().isoformat()


def status_name(t: Translator, status: str) -> str:
    return t(f"risks.status.{status}")


def strategy_name(t: Translator, strategy: str) -> str:
    return t(f"risks.strategy.{strategy}")


def risk_line(section: RisksPolicy, risk: Risk, t: Translator, tz: ZoneInfo) -> str:
    level = section.level(risk.level)
    category = section.category_label(risk.category)
    return t(
        "risks.list.line",
        number=number(risk),
        level=level_badge(level, t),
        score=risk.likelihood * risk.impact,
        title=escape(b.clip(" ".join(risk.title.split()), 80)),
        category=t.pick(category.model_dump()) if category else risk.category,
        owner=f"<@{risk.owner}>",
        status=status_name(t, risk.status),
        review=_day(risk.next_review_at, tz),
    )


def register_blocks(
    section: RisksPolicy, risks: Sequence[Risk], t: Translator, tz: ZoneInfo, heading: str
) -> tuple[str, list[dict[str, Any]]]:
    if not risks:
        return t("risks.list.empty"), b.to_dicts([b.section(t("risks.list.empty"))])
    lines = [risk_line(section, r, t, tz) for r in risks[:SHOWN]]
    if len(risks) > SHOWN:
        lines.append(t("risks.list.more", count=len(risks) - SHOWN))
    head = t("risks.list.heading", heading=heading, count=len(risks))
    return head, b.to_dicts([b.section(f"*{head}*"), *b.sections(lines)])


def _case_state(t: Translator, request: Request) -> str:
    return t(f"risks.case.{request.state}") if request.state in CASE_STATES else request.state


CASE_STATES = ("pending", "approved", "closed", "rejected", "withdrawn", "expired", "returned")


@dataclass(frozen=True)
class RiskDetail:
    risk: Risk
    scores: list[RiskScore]
    measures: list[tuple[str, Request]]  # (number, case)
    acceptances: list[tuple[str, Request]]
    reviews: list[tuple[str, Request]]
    indicators: list[Indicator]
    department: str


def detail_blocks(
    section: RisksPolicy, d: RiskDetail, t: Translator, tz: ZoneInfo
) -> tuple[str, list[dict[str, Any]]]:
    risk = d.risk
    level = section.level(risk.level)
    category = section.category_label(risk.category)
    head = escape(f"{number(risk)} · {b.clip(' '.join(risk.title.split()), 100)}")
    score = f"{risk.likelihood}×{risk.impact}={risk.likelihood * risk.impact}"
    category_name = t.pick(category.model_dump()) if category else escape(risk.category)
    facts = [
        f"*{t('risks.show.level')}*\n{level_badge(level, t)} ({score})",
        f"*{t('risks.show.category')}*\n{category_name}",
        f"*{t('risks.show.owner')}*\n<@{risk.owner}> · {escape(d.department)}",
        f"*{t('risks.show.strategy')}*\n{strategy_name(t, risk.strategy)}",
        f"*{t('risks.show.status')}*\n{status_name(t, risk.status)}"
        + (
            f" ({t('risks.show.until', date=_day(risk.accepted_until, tz))})"
            if risk.accepted_until and risk.status == "accepted"
            else ""
        ),
        f"*{t('risks.show.next_review')}*\n{_day(risk.next_review_at, tz)}",
    ]
    text_parts = [
        (t("risks.show.description"), risk.description),
        (t("risks.show.cause"), risk.cause),
        (t("risks.show.consequence"), risk.consequence),
    ]
    blocks: list[Any] = [b.header(head), b.fields(facts)]
    for label, value in text_parts:
        if value:
            blocks.append(b.section(f"*{label}*\n{escape(b.clip(value, 1500))}"))
    history = [
        t(
            "risks.show.score_line",
            date=_day(s.at, tz),
            likelihood=s.likelihood,
            impact=s.impact,
            level=level_badge(section.level(s.level), t),
            source=t(f"risks.score.{s.source}"),
            by=f"<@{s.by}>",
            effect=escape(b.clip(" ".join(s.effect.split()), 120)) if s.effect else "",
        )
        for s in d.scores[-10:]
    ]
    blocks.append(b.section(f"*{t('risks.show.history')}*\n" + "\n".join(history)))
    for title_key, cases in (
        ("risks.show.measures", d.measures),
        ("risks.show.acceptances", d.acceptances),
        ("risks.show.reviews", d.reviews),
    ):
        if not cases:
            continue
        lines = [
            f"• {num} · {_case_state(t, case)} · "
            + escape(
                b.clip(
                    " ".join(
                        str(
                            (case.payload or {}).get("measure")
                            or (case.payload or {}).get("title")
                            or ""
                        ).split()
                    ),
                    100,
                )
            )
            for num, case in cases[-10:]
        ]
        blocks.append(b.section(f"*{t(title_key)}*\n" + "\n".join(lines)))
    if d.indicators:
        lines = [indicator_line(i, t) for i in d.indicators]
        blocks.append(b.section(f"*{t('risks.show.indicators')}*\n" + "\n".join(lines)))
    return head, b.to_dicts(blocks)


def show_value(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{plain_decimal(Decimal(value).normalize())}{escape(unit)}"


def indicator_line(row: Indicator, t: Translator) -> str:
    return t(
        "risks.indicator.line",
        key=row.key,
        name=escape(t.pick(row.name)),
        value=show_value(row.last_value, row.unit),
        warning=show_value(row.warning, row.unit),
        critical=show_value(row.critical, row.unit),
        direction=t(f"risks.direction.{row.direction}"),
    )


# -- alerts ---------------------------------------------------------------------------------


def alert_text(alert: Alert, indicator: Indicator, t: Translator) -> str:
    return t(
        f"risks.alert.{alert.level}",
        name=escape(t.pick(indicator.name)),
        value=show_value(alert.value, indicator.unit),
        threshold=show_value(
            indicator.critical if alert.level == "critical" else indicator.warning, indicator.unit
        ),
    )


def alert_message(
    alert: Alert,
    indicator: Indicator,
    risk: Risk | None,
    t: Translator,
    tz: ZoneInfo,
    history: Sequence[IndicatorValue] = (),
) -> tuple[str, list[dict[str, Any]]]:
    """The one message of an alert: what fired, where it stands, and the buttons while open."""
    colour = {
        "critical": ":red_circle:",
        "warning": ":large_orange_circle:",
        "stale": ":white_circle:",
    }
    state = t(f"risks.alert.state.{alert.state}")
    if alert.state != "resolved" and alert.inhibited:
        state = t("risks.alert.state.inhibited")
    title = alert_text(alert, indicator, t)
    text = f"{state} · {title}"
    lines = [f"{colour.get(alert.level, '')} *{state}* · {title}"]
    if risk is not None:
        lines.append(
            t(
                "risks.alert.risk",
                number=number(risk),
                title=escape(b.clip(risk.title, 80)),
                owner=f"<@{risk.owner}>",
            )
        )
    lines.append(t("risks.alert.fired", at=_stamp(alert.fired_at, tz)))
    if alert.acked_by and alert.acked_at:
        lines.append(
            t("risks.alert.acked", user=f"<@{alert.acked_by}>", at=_stamp(alert.acked_at, tz))
        )
    if alert.silenced_until and alert.state != "resolved":
        lines.append(
            t(
                "risks.alert.silenced",
                user=f"<@{alert.silenced_by}>",
                until=_stamp(alert.silenced_until, tz),
                reason=escape(b.clip(alert.silence_reason or "", 200)),
            )
        )
    if alert.plan_started_by:
        lines.append(t("risks.alert.plan", user=f"<@{alert.plan_started_by}>"))
    if alert.escalated:
        lines.append(t(f"risks.alert.escalated_{min(alert.escalated, 2)}"))
    if alert.resolved_at:
        lines.append(t("risks.alert.resolved", at=_stamp(alert.resolved_at, tz)))
    if history:
        values = ", ".join(show_value(v.value, indicator.unit) for v in reversed(history))
        lines.append(t("risks.alert.values", values=values))
    blocks: list[Any] = [b.section("\n".join(lines))]
    if alert.state != "resolved":
        value = str(alert.id)
        buttons = []
        if alert.state == "firing":
            buttons.append(b.button(t("risks.button.ack"), RiskAction.ACK, value, style="primary"))
        if risk is not None and not alert.plan_started_by:
            buttons.append(b.button(t("risks.button.plan"), RiskAction.PLAN, value))
        buttons.append(b.button(t("risks.button.silence"), RiskAction.SILENCE, value))
        blocks.append(b.actions(*buttons, block_id=f"alert:{alert.id}"))
    blocks.append(b.context(t("prompt.cite", cite="000 §6")))
    return text, b.to_dicts(blocks)


def _stamp(when: datetime, tz: ZoneInfo) -> str:
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M")
