"""The suggestions box in Slack: the form (which says who can see the author), the receipt
shown once, the card for the process-improvement owner with Adopt / Not adopt, and the outcome."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.views import View

from procedures.form_display import escape
from procedures.policy.common import Text
from procedures.policy.forms import FieldSpec
from procedures.suggestions import SuggestionsPolicy
from procedures.suggestions.digest import Digest, Entry
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.views.forms import input_blocks
from slackui.views.request_modals import TITLE_LIMIT, _title
from store.models.suggestions import Suggestion

FORM = "suggestions.form"  # the submission modal's callback id
DECIDE = "suggestions.decide"  # the adopt / not-adopt modal's callback id
ADOPT = "suggestions.adopt"
REJECT = "suggestions.reject"
DIGEST_SHOWN = 40  # lines in the digest DM; the rest are counted


def form(policy: SuggestionsPolicy, t: Translator) -> dict[str, Any]:
    intro = b.to_dicts([b.section(t("suggestions.form.intro", cite=policy.cite))])
    return View(
        type="modal",
        callback_id=FORM,
        title=_title(t("suggestions.form.title")),
        submit=_title(t("suggestions.form.submit")),
        close=_title(t("request.modal.close")),
        blocks=[*intro, *input_blocks(policy.fields, t)],
    ).to_dict()


def receipt(t: Translator, number: str, code: str, anonymous: bool) -> dict[str, Any]:
    """What the author sees once the modal is submitted; for an anonymous one the only place
    its receipt code ever appears."""
    key = "suggestions.receipt.anonymous" if anonymous else "suggestions.receipt.named"
    return View(
        type="modal",
        title=_title(t("suggestions.form.title")),
        close=_title(t("request.modal.close")),
        blocks=b.to_dicts([b.section(t(key, number=number, code=code))]),
    ).to_dict()


def _clean(text: str | None, limit: int) -> str:
    return escape(b.clip(text or "", limit)) if text else "—"


def card(
    row: Suggestion, t: Translator, number: str, cite: str
) -> tuple[str, list[dict[str, Any]]]:
    author = t("suggestions.card.anonymous") if row.anonymous else f"<@{row.submitter}>"
    state = t(f"suggestions.state.{row.state}")
    title = f"{number} · {t('suggestions.card.kind')}"
    out: list[Any] = [
        b.header(title),
        b.section(f"*{_clean(row.title, 150)}*\n{_clean(row.text, 2500)}"),
        b.fields(
            [
                f"*{t('suggestions.card.from')}*\n{author}",
                f"*{t('suggestions.card.state')}*\n{state}",
                f"*{t('suggestions.card.benefit')}*\n{_clean(row.benefit, 1000)}",
            ]
        ),
    ]
    if row.state == "under_review":
        value = str(row.id)
        out.append(
            b.actions(
                b.button(t("suggestions.button.adopt"), ADOPT, value, style="primary"),
                b.button(t("suggestions.button.reject"), REJECT, value),
            )
        )
    else:
        key = "suggestions.card.adopted" if row.state == "adopted" else "suggestions.card.rejected"
        out.append(
            b.section(
                t(key, user=row.decided_by or "", note=_clean(row.reward or row.reason, 1000))
            )
        )
    out.append(b.context(t("suggestions.cite", cite=cite)))
    return f"{title}: {state}", b.to_dicts(out)


def note_field(adopt: bool) -> FieldSpec:
    """The reward (adopted) or the reason the submitter sees (not adopted), as a form field."""
    key = "suggestions.decide.reward" if adopt else "suggestions.decide.reason"
    label = Text(en=Translator("en")(key), zh=Translator("zh")(key))
    return FieldSpec(id="note", type="long_text", label=label, max_length=1000)


def decide_modal(t: Translator, row: Suggestion, number: str, adopt: bool) -> dict[str, Any]:
    intro = b.section(t("suggestions.decide.intro", number=number, title=_clean(row.title, 150)))
    button = t("suggestions.button.adopt" if adopt else "suggestions.button.reject")
    return View(
        type="modal",
        callback_id=DECIDE,
        title=_title(b.clip(f"{number} · {button}", TITLE_LIMIT)),
        submit=_title(button),
        close=_title(t("request.modal.close")),
        private_metadata=json.dumps({"id": row.id, "adopt": adopt}),
        blocks=[*b.to_dicts([intro]), *input_blocks([note_field(adopt)], t)],
    ).to_dict()


def outcome_dm(row: Suggestion, t: Translator, number: str) -> str:
    key = "suggestions.dm.adopted" if row.state == "adopted" else "suggestions.dm.rejected"
    return t(
        key,
        number=number,
        title=_clean(row.title, 150),
        note=_clean(row.reward or row.reason, 1000),
    )


def status(row: Suggestion, t: Translator, number: str) -> str:
    state = t(f"suggestions.state.{row.state}")
    text = t("suggestions.status", number=number, title=_clean(row.title, 150), state=state)
    if row.state != "under_review":
        text += "\n" + outcome_dm(row, t, number)
    return text


def _digest_line(t: Translator, entry: Entry) -> str:
    author = t("suggestions.card.anonymous") if entry.anonymous else f"<@{entry.submitter}>"
    line = t(
        "suggestions.digest.line",
        number=entry.number,
        title=_clean(" ".join(entry.title.split()), 80),
        author=author,
        state=t(f"suggestions.state.{entry.state}"),
    )
    return f"{line} · {_clean(entry.note, 120)}" if entry.note else line


def digest_blocks(t: Translator, found: Digest) -> list[dict[str, Any]]:
    counts = found.counts
    head = t(
        "suggestions.digest.summary",
        year=found.quarter.year,
        quarter=found.quarter.q,
        total=len(found.entries),
        adopted=counts["adopted"],
        not_adopted=counts["not_adopted"],
        open=counts["under_review"],
    )
    lines = [_digest_line(t, e) for e in found.entries[:DIGEST_SHOWN]]
    if len(found.entries) > DIGEST_SHOWN:
        lines.append(t("suggestions.digest.more", count=len(found.entries) - DIGEST_SHOWN))
    return b.to_dicts([b.section(f"*{head}*"), *b.sections(lines)])
