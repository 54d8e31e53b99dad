"""Lists of requests: what waits on me, my own, one with its timeline, what I can file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from procedures.form_display import escape
from procedures.policy.procedures import ProcedureSpec
from procedures.request_view import Event, RequestView
from slackui import blocks as b
from slackui.commands import FormEntry
from slackui.i18n import Translator
from slackui.ids import Action
from slackui.timefmt import slack_time
from slackui.views import requests as views
from slackui.views.forms import display_fields

MAX_ITEMS = 10  # each pending item takes up to four blocks; a message holds 50


def _line(view: RequestView, t: Translator, tz: ZoneInfo) -> str:
    return t(
        "request.list.line",
        number=view.number,
        procedure=t.pick(view.spec.name.model_dump()),
        state=views.state_name(t, view.state),
        requester=view.requester,
        when=slack_time(view.created_at, tz, t.lang, with_time=False),
    )


def pending_blocks(
    items: Sequence[RequestView], t: Translator, tz: ZoneInfo
) -> list[dict[str, Any]]:
    out: list[Any] = [b.header(t("request.list.pending_title"))]
    if not items:
        out.append(b.section(t("request.list.pending_none")))
        return b.to_dicts(out)
    for view in items[:MAX_ITEMS]:
        step = view.current
        out.append(b.section(f"{_line(view, t, tz)}\n{views.status_line(view, t, tz)}"))
        shown = display_fields(view.spec.fields, view.payload, t, only=view.shown_fields)
        if shown:
            out.append(b.fields(shown))
        if step is not None:
            out.extend(views.prompt(view, step, t)[1][-1:])  # just the buttons
        out.append(b.divider())
    if len(items) > MAX_ITEMS:
        out.append(b.context(t("request.list.more", count=len(items) - MAX_ITEMS)))
    return [x if isinstance(x, dict) else x.to_dict() for x in out]


def mine_blocks(items: Sequence[RequestView], t: Translator, tz: ZoneInfo) -> list[dict[str, Any]]:
    out: list[Any] = [b.header(t("request.list.mine_title"))]
    if not items:
        out.append(b.section(t("request.list.mine_none")))
    lines = [f"{_line(view, t, tz)}\n      {views.status_line(view, t, tz)}" for view in items]
    for start in range(0, len(lines), 10):
        out.append(b.section("\n".join(lines[start : start + 10])))
    return b.to_dicts(out)


def _what(event: Event, view: RequestView, t: Translator) -> str:
    if event.action == "request.comment":
        return t("request.show.comment", text=escape(str(event.detail.get("text", ""))[:500]))
    if event.action == "request.refused":
        attempted = str(event.detail.get("attempted", ""))
        key = f"request.attempt.{attempted}"
        return t("request.show.refused", attempted=t(key) if t.has(key) else attempted)
    return views.note(view, event, t) or event.action


def show_blocks(
    view: RequestView, trail: Sequence[Event], t: Translator, tz: ZoneInfo
) -> list[dict[str, Any]]:
    _, card = views.card(view, t, tz, list(trail))
    lines = [
        t(
            "request.show.entry",
            when=slack_time(e.at, tz, t.lang),
            user=e.actor,
            what=_what(e, view, t),
        )
        for e in trail
    ]
    out: list[Any] = [b.divider(), b.section(t("request.show.timeline")), *b.sections(lines)]
    return [*card, *b.to_dicts(out)][:50]


def new_blocks(
    procedures: Sequence[ProcedureSpec], forms: Sequence[FormEntry], t: Translator
) -> list[dict[str, Any]]:
    """Every form a person can open: the engine's procedures, then the modules' own forms."""
    entries = [
        (
            spec.id,
            t.pick(spec.name.model_dump()),
            t.pick(spec.description.model_dump()) if spec.description else "",
        )
        for spec in procedures
    ]
    entries += [(f.id, t(f.name_key), t(f.description_key)) for f in forms]
    out: list[Any] = [b.header(t("request.new.title"))]
    for form_id, name, description in entries[:45]:  # Slack allows 50 blocks in a message
        text = t(
            "request.new.line",
            name=name,
            id=form_id,
            description=f"\n{description}" if description else "",
        )
        out.append(
            b.section(text, accessory=b.button(t("request.new.open"), Action.REQUEST_NEW, form_id))
        )
    return b.to_dicts(out)
