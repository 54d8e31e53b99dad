"""What prompts that collect answers show: the answer form, the confirmation, the reviewer's
request and form, the evaluation the person sees, the digest of answers and `/procedo answers`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import PlainTextObject
from slack_sdk.models.views import View

from procedures.form_display import escape, show_money
from procedures.policy.prompts import PromptSpec
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.ids import Action, Callback
from slackui.payloads import PromptRef
from slackui.timefmt import slack_time
from slackui.views.forms import display_fields, input_blocks

# Block Kit allows 50 blocks in a message; the digest keeps a few for its head and foot.
DIGEST_PEOPLE = 40


def _title(t: Translator, spec: PromptSpec) -> str:
    return t.pick(spec.title.model_dump())


def _modal(
    callback: str, title: str, blocks: list[Any], ref: PromptRef, t: Translator
) -> dict[str, Any]:
    return View(
        type="modal",
        callback_id=callback,
        title=PlainTextObject(text=b.clip(title, 24)),
        submit=PlainTextObject(text=b.clip(t("request.modal.submit"), 24)),
        close=PlainTextObject(text=b.clip(t("request.modal.close"), 24)),
        private_metadata=ref.dump(),
        blocks=blocks,
    ).to_dict()


def answer_modal(
    t: Translator,
    spec: PromptSpec,
    period: str,
    *,
    tz: ZoneInfo,
    deadline: datetime | None,
    initial: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The prompt's questions, pre-filled with the answers given so far."""
    notes = [t("prompt.cite", cite=spec.cite)]
    if deadline is not None:
        notes.append(t("prompt.answer.editable_until", deadline=slack_time(deadline, tz, t.lang)))
    head = b.to_dicts([b.section(f"*{escape(_title(t, spec))}* · {period}"), b.context(*notes)])
    blocks = [*head, *input_blocks(spec.questions, t, initial=initial)]
    ref = PromptRef(prompt=spec.id, period=period)
    return _modal(Callback.PROMPT_ANSWERS, t("prompt.answer.modal_title"), blocks, ref, t)


def answer_fields(
    t: Translator, spec: PromptSpec, answers: Mapping[str, Any], variance: Decimal | None
) -> list[str]:
    shown = display_fields(spec.questions, answers, t)
    if variance is not None:
        shown.append(f"*{t('prompt.answer.variance')}*\n{_signed(variance)}")
    return shown


def _signed(amount: Decimal) -> str:
    return ("+" if amount > 0 else "") + f"{amount:,f}"


def _packed(texts: Sequence[str]) -> list[Any]:
    """`*label*\\nvalue` texts as sections of up to 10 fields (long answers get their own)."""
    out: list[Any] = []
    short = [x for x in texts if len(x) <= 1900]
    for start in range(0, len(short), 10):
        out.append(b.fields(short[start : start + 10]))
    out += [b.section(x) for x in texts if len(x) > 1900]
    return out


def saved_message(
    t: Translator,
    spec: PromptSpec,
    period: str,
    *,
    first: bool,
    late: bool,
    tz: ZoneInfo,
    deadline: datetime | None,
    reviewers: Sequence[str],
) -> tuple[str, list[dict[str, Any]]]:
    """The person's DM once their answers are kept."""
    text = t("prompt.answer.saved" if first else "prompt.answer.updated", title=_title(t, spec))
    notes = []
    if late:
        notes.append(t("prompt.answer.late"))
    if deadline is not None and not late:
        notes.append(t("prompt.answer.editable_until", deadline=slack_time(deadline, tz, t.lang)))
    if reviewers:
        people = t.join(f"<@{user}>" for user in reviewers)
        notes.append(t("prompt.answer.goes_to_review", reviewers=people))
    out: list[Any] = [b.section(f"{text} ({period})")]
    if notes:
        out.append(b.context(*notes))
    ref = PromptRef(prompt=spec.id, period=period)
    if not late:
        out.append(b.actions(b.button(t("prompt.button.edit"), Action.PROMPT_ANSWER, ref.value())))
    return text, b.to_dicts(out)


def review_request(
    t: Translator,
    spec: PromptSpec,
    period: str,
    person: str,
    shown: Sequence[str],
    *,
    edited: bool,
) -> tuple[str, list[dict[str, Any]]]:
    """The reviewer's DM: the person's answers and a button to evaluate them."""
    key = "prompt.review.edited" if edited else "prompt.review.asked"
    text = t(key, person=person, title=_title(t, spec), period=period)
    ref = PromptRef(prompt=spec.id, period=period, person=person)
    out: list[Any] = [b.section(text), *_packed(shown), b.context(t("prompt.cite", cite=spec.cite))]
    out.append(
        b.actions(
            b.button(t("prompt.button.review"), Action.PROMPT_REVIEW, ref.value(), style="primary")
        )
    )
    return text, b.to_dicts(out)


def review_modal(
    t: Translator,
    spec: PromptSpec,
    period: str,
    person: str,
    shown: Sequence[str],
    initial: Mapping[str, Any] | None,
) -> dict[str, Any]:
    assert spec.review is not None
    head: list[Any] = [b.section(t("prompt.review.of", person=person, period=period))]
    head += _packed(shown)
    blocks = [*b.to_dicts(head), *input_blocks(spec.review.fields, t, initial=initial)]
    ref = PromptRef(prompt=spec.id, period=period, person=person)
    return _modal(Callback.PROMPT_REVIEW, t("prompt.review.modal_title"), blocks, ref, t)


def evaluation_message(
    t: Translator,
    spec: PromptSpec,
    period: str,
    reviewer: str,
    review: Mapping[str, Any],
) -> tuple[str, list[dict[str, Any]]]:
    """What the person sees once their answers are evaluated."""
    assert spec.review is not None
    text = t("prompt.review.done", reviewer=reviewer, title=_title(t, spec), period=period)
    shown = display_fields(spec.review.fields, review, t)
    return text, b.to_dicts([b.section(text), *_packed(shown)])


@dataclass(frozen=True)
class DigestLine:
    user: str
    department: str
    state: str  # answered, late, excused, missing
    summary: str = ""  # the answers, in one short line


def answer_summary(shown: Sequence[str]) -> str:
    """`Label: value; Label: value` clipped, from `display_fields` texts."""
    parts = [x.replace("*", "", 2).replace("\n", ": ", 1) for x in shown]
    return b.clip(" · ".join(" ".join(p.split()) for p in parts), 280)


def answers_digest(
    t: Translator,
    spec: PromptSpec,
    period: str,
    lines: Sequence[DigestLine],
    totals: Mapping[str, Decimal],
) -> tuple[str, list[dict[str, Any]]]:
    """The owner's digest after the deadline: who answered (with a summary), who is late, who
    was excused; totals of the figures; the full set comes as a CSV file beside it."""
    title = t("prompt.answers.title", title=_title(t, spec), period=period)
    counts = {state: sum(1 for x in lines if x.state == state) for state in _STATES}
    out: list[Any] = [b.header(title), b.section(t("prompt.answers.counts", **counts))]
    if totals:
        by_id = {q.id: q for q in spec.questions}
        shown = []
        for key, amount in totals.items():
            label = (
                t("prompt.answer.variance")
                if key == "variance"
                else escape(by_id[key].label.pick(t.lang))
            )
            currency = (
                by_id[key].currencies[0] if key in by_id and by_id[key].type == "money" else ""
            )
            value = show_money(amount, currency) if currency else _signed(amount)
            shown.append(f"*{label}*\n{value}")
        out.append(b.fields(shown))
    out += _people_blocks(t, lines)
    out.append(b.context(t("prompt.cite", cite=spec.cite), t("prompt.answers.csv")))
    return title, b.to_dicts(out[:50])


_STATES = ("answered", "late", "excused", "missing")


def _people_blocks(t: Translator, lines: Sequence[DigestLine]) -> list[Any]:
    """One line per person, as many as a message holds; the rest are counted."""
    rendered = [
        t(f"prompt.answers.line.{x.state}", user=x.user, department=x.department, summary=x.summary)
        for x in lines[:DIGEST_PEOPLE]
    ]
    out: list[Any] = list(b.sections(rendered))
    if len(lines) > DIGEST_PEOPLE:
        out.append(b.context(t("prompt.answers.more", count=len(lines) - DIGEST_PEOPLE)))
    return out


def answers_list(
    t: Translator,
    spec: PromptSpec,
    period: str,
    lines: Sequence[DigestLine],
) -> list[dict[str, Any]]:
    """`/procedo answers`: the answers the reader may see, one line each."""
    out: list[Any] = [b.section(f"*{escape(_title(t, spec))}* · {period}")]
    if not lines:
        out.append(b.context(t("prompt.answers.none")))
    out += _people_blocks(t, lines)
    return b.to_dicts(out[:50])
