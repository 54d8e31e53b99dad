"""Complaints in Slack: the form, the card in the service channel (one message, updated at each
step, with the button for the step that is due), the step modals, the DMs, the figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.views import View

from procedures.complaints import CHANNELS, ComplaintsPolicy
from procedures.complaints.cases import number_of
from procedures.complaints.figures import MonthFigures
from procedures.form_display import escape
from procedures.policy.common import Text
from procedures.policy.forms import FieldSpec, Option
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.payloads import Id, Payload
from slackui.timefmt import slack_time
from slackui.views.forms import input_blocks
from slackui.views.request_modals import TITLE_LIMIT, _title
from store.models.complaints import Complaint

FORM = "complaints.form"  # callback ids of the modals
STEP = "complaints.step"
ASSIGN = "complaints.assign"  # the card's buttons, one per step
RESPOND = "complaints.respond"
RESOLVE = "complaints.resolve"
REVISIT = "complaints.revisit"
BUTTONS = {"open": ASSIGN, "assigned": RESPOND, "responded": RESOLVE, "resolved": REVISIT}
STEP_OF = {action: state for state, action in BUTTONS.items()}


class StepMeta(Payload):
    """A step modal's private_metadata: which complaint, at which step."""

    id: Id
    step: str


def _both(key: str) -> Text:
    return Text(en=Translator("en")(key), zh=Translator("zh")(key))


def _field(id: str, kind: str, **extra: Any) -> FieldSpec:
    return FieldSpec(id=id, type=kind, label=_both(f"complaints.field.{id}"), **extra)


def form_fields(policy: ComplaintsPolicy) -> list[FieldSpec]:
    channels = [Option(value=c, label=_both(f"complaints.channel.{c}")) for c in CHANNELS]
    levels = [Option(value=s.id, label=s.name) for s in policy.severities]
    return [
        _field("customer", "text", max_length=150),
        _field("channel", "select", options=channels),
        _field("description", "long_text", max_length=3000),
        _field("severity", "select", options=levels),
    ]


def step_fields(policy: ComplaintsPolicy, step: str) -> list[FieldSpec]:
    """The fields of the modal that records the step due from state `step`."""
    if step == "open":
        return [_field("owner", "user")]
    if step in ("assigned", "responded"):
        key = "complaints.field.response" if step == "assigned" else "complaints.field.resolution"
        return [FieldSpec(id="text", type="long_text", label=_both(key), max_length=3000)]
    scale = policy.score
    bounds = {"min": scale.min, "max": scale.max, "ok": scale.satisfied_at}
    hint = Text(
        en=Translator("en")("complaints.field.scale", **bounds),
        zh=Translator("zh")("complaints.field.scale", **bounds),
    )
    score: dict[str, Any] = {"min": Decimal(scale.min), "max": Decimal(scale.max), "decimals": 0}
    return [
        _field("handling", "number", hint=hint, **score),
        _field("satisfaction", "number", hint=hint, **score),
        _field("note", "long_text", required=False, max_length=1000),
    ]


def form(policy: ComplaintsPolicy, t: Translator) -> dict[str, Any]:
    intro = b.to_dicts([b.section(t("complaints.form.intro", cite=policy.cite))])
    return View(
        type="modal",
        callback_id=FORM,
        title=_title(t("complaints.form.title")),
        submit=_title(t("complaints.form.submit")),
        close=_title(t("request.modal.close")),
        blocks=[*intro, *input_blocks(form_fields(policy), t)],
    ).to_dict()


def filed(t: Translator, number: str, cite: str) -> dict[str, Any]:
    """What the recorder sees once the form is submitted."""
    return View(
        type="modal",
        title=_title(t("complaints.form.title")),
        close=_title(t("request.modal.close")),
        blocks=b.to_dicts([b.section(t("complaints.filed", number=number, cite=cite))]),
    ).to_dict()


def step_modal(policy: ComplaintsPolicy, t: Translator, row: Complaint) -> dict[str, Any]:
    button = t(f"complaints.button.{row.state}")
    intro = b.section(
        t("complaints.step.intro", number=number_of(row), customer=clean(row.customer, 150))
    )
    return View(
        type="modal",
        callback_id=STEP,
        title=_title(b.clip(f"{number_of(row)} · {button}", TITLE_LIMIT)),
        submit=_title(t("complaints.form.submit")),
        close=_title(t("request.modal.close")),
        private_metadata=StepMeta(id=row.id, step=row.state).dump(),
        blocks=[*b.to_dicts([intro]), *input_blocks(step_fields(policy, row.state), t)],
    ).to_dict()


def clean(text: str | None, limit: int) -> str:
    return escape(b.clip(text, limit)) if text else "—"


def severity_name(policy: ComplaintsPolicy, t: Translator, severity: str) -> str:
    level = policy.severity(severity)
    return level.name.pick(t.lang) if level else severity


def _steps(row: Complaint, t: Translator, tz: ZoneInfo) -> list[str]:
    def when(value: Any) -> str:
        return slack_time(value, tz, t.lang)

    lines: list[str] = []
    if row.owner and row.assigned_at:
        lines.append(
            t(
                "complaints.card.assigned",
                owner=row.owner,
                by=row.assigned_by or "",
                at=when(row.assigned_at),
            )
        )
    if row.responded_at:
        key = (
            "complaints.card.responded_late"
            if row.responded_at > row.respond_by
            else "complaints.card.responded"
        )
        lines.append(t(key, at=when(row.responded_at), text=clean(row.response, 1000)))
    if row.resolved_at:
        lines.append(
            t(
                "complaints.card.resolved",
                at=when(row.resolved_at),
                text=clean(row.resolution, 1000),
            )
        )
    if row.revisited_at:
        lines.append(t(
            "complaints.card.revisited", by=row.revisited_by or "", at=when(row.revisited_at),
            handling=row.handling_score, satisfaction=row.satisfaction_score,
            note=clean(row.revisit_note, 500),
        ))  # fmt: skip
    return lines


def card(
    row: Complaint, policy: ComplaintsPolicy, t: Translator, tz: ZoneInfo
) -> tuple[str, list[dict[str, Any]]]:
    state = t(f"complaints.state.{row.state}")
    title = f"{number_of(row)} · {t('complaints.card.kind')}"
    out: list[Any] = [
        b.header(title),
        b.section(f"*{clean(row.customer, 150)}*\n{clean(row.description, 2500)}"),
        b.fields(
            [
                f"*{t('complaints.field.channel')}*\n{t(f'complaints.channel.{row.channel}')}",
                f"*{t('complaints.field.severity')}*\n{severity_name(policy, t, row.severity)}",
                f"*{t('complaints.card.state')}*\n{state}",
                f"*{t('complaints.card.respond_by')}*\n{slack_time(row.respond_by, tz, t.lang)}",
                f"*{t('complaints.card.filed_by')}*\n<@{row.filed_by}>",
                f"*{t('complaints.field.owner')}*\n{f'<@{row.owner}>' if row.owner else '—'}",
            ]
        ),
        *b.sections(_steps(row, t, tz)),
    ]
    action = BUTTONS.get(row.state)
    if action is not None:
        label = t(f"complaints.button.{row.state}")
        out.append(b.actions(b.button(label, action, str(row.id), style="primary")))
    out.append(b.context(t("complaints.cite", cite=policy.cite)))
    return f"{title}: {state}", b.to_dicts(out)


def figures_blocks(
    t: Translator, found: MonthFigures, year: int, month: int, cite: str
) -> tuple[str, list[dict[str, Any]]]:
    head = t("complaints.figures.title", period=f"{year:04d}-{month:02d}")
    lines = [
        t("complaints.figures.received", count=found.received, in_time=found.responded_in_time)
    ]
    for f in found.figures:
        if f.met is None:
            mark, verdict, shown = ":white_circle:", t("complaints.figures.no_data"), "—"
        else:
            mark = ":white_check_mark:" if f.met else ":x:"
            verdict = t("complaints.figures.met" if f.met else "complaints.figures.missed")
            shown = f"{f.percent}%"
        lines.append(
            t(
                "complaints.figures.line",
                mark=mark,
                name=t(f"complaints.figure.{f.key}"),
                value=shown,
                numerator=f.numerator,
                denominator=f.denominator,
                target=f"{f.target.normalize():f}%",
                verdict=verdict,
            )
        )
    blocks = [
        b.header(head),
        *b.sections(lines),
        b.context(t("complaints.figures.defined", cite=cite)),
    ]
    return head, b.to_dicts(blocks)
