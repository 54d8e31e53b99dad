"""Document sign-off in Slack: the circulation DM with its Read button, and a document as
`/procedo document` shows it — in full to its readers, as number and title to anyone else."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from procedures.documents.access import DocumentView
from procedures.form_display import display, escape
from procedures.policy.procedures import ProcedureSpec
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.timefmt import slack_time
from slackui.views.forms import display_fields

READ = "documents.read"  # the Read button of a circulation DM; its value is the request id
SHOWN_READERS = 40


def heading(doc: DocumentView) -> str:
    # Typed by a person: escaped, so a title never pings or links.
    title = escape(" ".join(doc.title.split()))
    return f"{doc.doc_number or doc.number} · {title}"


def _content(doc: DocumentView, spec: ProcedureSpec, t: Translator) -> list[Any]:
    """The fields side by side, the text below them in full (fields are clipped at 2,000)."""
    ids = [f.id for f in spec.fields if f.id != "body"]
    shown = display_fields(spec.fields, doc.payload, t, only=ids)
    out: list[Any] = [b.fields(shown)] if shown else []
    body = next((f for f in spec.fields if f.id == "body"), None)
    if body is not None and doc.payload.get("body"):
        text = display(body, doc.payload["body"], t.lang)
        out += b.sections([f"*{escape(body.label.pick(t.lang))}*", *text.split("\n")])
    return out


def circulation(
    doc: DocumentView, spec: ProcedureSpec, t: Translator, tz: ZoneInfo, read_at: datetime | None
) -> tuple[str, list[dict[str, Any]]]:
    """The DM to one reader (传阅): the document, then Read, or when they read it."""
    text = t("documents.circulation.text", document=heading(doc), author=doc.author)
    out: list[Any] = [b.section(text), *_content(doc, spec, t)]
    if read_at is None:
        out.append(
            b.actions(
                b.button(t("documents.button.read"), READ, str(doc.request_id), style="primary")
            )
        )
    else:
        out.append(b.context(t("documents.read.done", when=slack_time(read_at, tz, t.lang))))
    out.append(b.context(t("documents.cite", cite=spec.cite)))
    return text, b.to_dicts(out)


def document(
    doc: DocumentView, spec: ProcedureSpec, t: Translator, tz: ZoneInfo
) -> list[dict[str, Any]]:
    out: list[Any] = [b.header(b.clip(f"{doc.doc_number or doc.number}", 150))]
    if not doc.full:
        out.append(b.section(t("documents.show.restricted", document=heading(doc))))
        return b.to_dicts(out)
    state = t(f"request.state.{doc.state}")
    out.append(
        b.section(
            t(
                "documents.show.line",
                document=heading(doc),
                author=doc.author,
                state=state,
                number=doc.number,
            )
        )
    )
    out += _content(doc, spec, t)
    if doc.readers:
        read = [r for r in doc.readers if r.read_at is not None]
        waiting = [r.user for r in doc.readers if r.read_at is None]
        lines = [
            t("documents.show.tally", read=len(read), circulated=len(doc.readers)),
            *(
                t("documents.show.reader", user=r.user, when=slack_time(r.read_at, tz, t.lang))
                for r in read[:SHOWN_READERS]
                if r.read_at is not None
            ),
        ]
        if waiting:
            lines.append(
                t(
                    "documents.show.unread",
                    people=t.join(f"<@{u}>" for u in waiting[:SHOWN_READERS]),
                )
            )
        out += b.sections(lines)
    out.append(b.context(t("documents.cite", cite=spec.cite)))
    return b.to_dicts(out)
