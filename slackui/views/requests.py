"""A request in Slack: its card in the procedure's channel, the approver prompt in the thread,
a note per event in the thread, and the requester's DMs."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from procedures.form_display import escape
from procedures.request_view import Event, RequestView, StepView
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.ids import Action
from slackui.payloads import StepRef
from slackui.timefmt import slack_time
from slackui.views import actions, tasks
from slackui.views.forms import display_fields


def mention_all(users: list[str], t: Translator) -> str:
    return t.join(f"<@{user}>" for user in users) if users else t("common.none")


def state_name(t: Translator, state: str) -> str:
    return t(f"request.state.{state}")


def step_label(t: Translator, step: StepView) -> str:
    label = t.pick(step.label) if step.label else ""
    if not label and step.kind == "added":
        label = t("request.step.added")  # 加签
    if not label:
        return ""
    return f"（{label}）" if t.lang == "zh" else f" ({label})"


def decision_value(view: RequestView, step: StepView) -> str:
    """What a decision button carries: which request, round and step it was shown for."""
    return StepRef(request_id=view.id, round=step.round, position=step.position).value()


def status_line(view: RequestView, t: Translator, tz: ZoneInfo) -> str:
    step = view.current
    if step is not None:
        return t(
            "request.card.waiting" if step.task == "decision" else "request.card.waiting_task",
            step=step.position + 1,
            steps=len(view.steps),
            label=step_label(t, step),
            people=mention_all(step.waiting, t),
        )
    state = state_name(t, view.state)
    when = slack_time(view.decided_at, tz, t.lang) if view.decided_at else ""
    if view.decided_by:
        return t("request.card.decided", state=state, user=view.decided_by, when=when)
    return t("request.card.closed", state=state, when=when)


def card(
    view: RequestView, t: Translator, tz: ZoneInfo, trail: list[Event] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The request's card: what it is, where it stands, why (reasons, overrides, the rules
    that chose or skipped a step's people) and the clause it follows."""
    trail = trail or []
    override = next((e for e in reversed(trail) if e.action == "request.override"), None)
    name = t.pick(view.spec.name.model_dump())
    title = f"{view.number} · {name}"
    out: list[Any] = [
        b.header(title),
        b.fields(
            [
                t("request.card.requester", user=view.requester),
                t("request.card.state", state=status_line(view, t, tz)),
            ]
        ),
    ]
    shown = display_fields(view.spec.fields, view.payload, t, only=view.shown_fields)
    shown += view.hooks.card_fields(view.payload, view.computed, t.lang)
    if shown:
        out.append(b.fields(shown))
    if view.has_tasks:
        out += b.sections([t("request.card.tasks", lines="\n".join(tasks.step_lines(view, t)))])
        out += b.sections(tasks.captured_lines(view, t))
    notes = list(actions.special_lines(view, trail, t))
    if view.reason and view.state in ("rejected", "returned", "cancelling"):
        notes.append(
            t("request.card.reason", reason=actions.reason_in_channel(view, view.reason, t))
        )
    if override is not None:
        reason = actions.reason_in_channel(view, override.reason, t)
        notes.append(t("request.card.override", user=override.actor, reason=reason))
    notes.append(
        t("request.card.cite", cite=view.spec.cite, when=slack_time(view.created_at, tz, t.lang))
    )
    out.append(b.context(*notes))
    return f"{title}: {status_line(view, t, tz)}", b.to_dicts(out)


def prompt(
    view: RequestView, step: StepView, t: Translator, note: str | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The approvers, mentioned, with the buttons (an action or input task: its button)."""
    if step.task != "decision":
        return tasks.prompt(view, step, t, note)
    people = mention_all(step.waiting, t)
    if view.state == "cancelling":
        text = t(
            "request.prompt.cancel_text",
            people=people,
            requester=view.requester,
            number=view.number,
        )
    else:
        text = t(
            "request.prompt.text",
            people=people,
            number=view.number,
            step=step.position + 1,
            steps=len(view.steps),
            label=step_label(t, step),
        )
    value = decision_value(view, step)
    buttons = actions.decision_buttons(view, step, t)
    buttons.append(b.button(t("request.button.delegate"), Action.REQUEST_DELEGATE, value))
    menu = actions.more_menu(view, step, t)
    if menu is not None:
        buttons.append(menu)
    out: list[Any] = [b.section(text)]
    if note:
        out.append(b.context(note))
    behalf = [
        t("request.prompt.on_behalf", user=a.user, of=a.on_behalf_of)
        for a in step.active_approvers
        if a.on_behalf_of and a.decision is None
    ]
    if behalf:
        out.append(b.context(" ".join(behalf)))
    out.append(b.actions(*buttons, block_id=f"decide:{value}"))
    return text, b.to_dicts(out)


def closed_prompt(
    view: RequestView, step: StepView, t: Translator
) -> tuple[str, list[dict[str, Any]]]:
    moved = view.is_open and (
        (step.state == "active" and step.round == view.round)
        or (step.state in ("active", "waiting") and step.round != view.round)
    )
    if step.task != "decision" and not moved:
        return tasks.closed(view, step, t)
    if moved:
        text = t("request.prompt.reassigned")
    else:
        outcome = (
            state_name(t, step.state)
            if step.state in ("approved", "rejected", "returned")
            else state_name(t, view.state)
        )
        text = t("request.prompt.closed", step=step.position + 1, outcome=outcome)
    return text, b.to_dicts([b.context(text)])


def _people(event: Event) -> list[str]:
    value = event.detail.get("users") or event.detail.get("to") or []
    return [value] if isinstance(value, str) else list(value)


def note(view: RequestView, event: Event, t: Translator) -> str | None:
    """The thread message for one audit event; None for events the thread does not show."""
    action = event.action.removeprefix("request.")
    user, reason = event.actor, actions.reason_in_channel(view, event.reason, t)
    if action == "submitted":
        return t("request.note.submitted", user=user)
    if action == "resubmitted":
        changed = event.detail.get("changed") or []
        extra = t("request.note.changed", fields=", ".join(changed)) if changed else ""
        return t("request.note.resubmitted", user=user, changed=extra)
    if action in ("task_done", "sent_back"):
        step = next((s for s in view.steps if s.position == event.detail.get("position")), None)
        label = step_label(t, step) if step is not None else ""
        return t(
            f"request.note.{action}",
            user=user,
            step=int(event.detail.get("position", 0)) + 1,
            label=label,
            reason=reason,
        )
    if action in ("overdue", "overdue_escalated"):
        people = mention_all(_people(event), t)
        return t(f"request.note.{action}", people=people, deadline=event.detail.get("deadline"))
    if action == "closed":
        return t("request.note.closed", user=user)
    if action == "step_approved":
        return t(
            "request.note.step_approved", user=user, step=int(event.detail.get("position", 0)) + 1
        )
    if action == "override":
        decision = state_name(t, str(event.detail.get("decision", "")))
        return t("request.note.override", user=user, decision=decision, reason=reason)
    if action in ("delegated", "escalated", "reminded"):
        people = mention_all(_people(event), t)
        if action == "delegated":
            return t(
                "request.note.delegated", user=user, to=_people(event)[0] if _people(event) else ""
            )
        return t(f"request.note.{action}", people=people)
    if action in (
        "vote",
        "approved",
        "rejected",
        "returned",
        "withdrawn",
        "expired",
        "cancel_requested",
        "cancelled",
        "cancel_refused",
    ):
        return t(f"request.note.{action}", user=user, reason=reason)
    # Comments are already in the thread; refusals stay in the audit trail.
    return actions.note(view, event, t)


DM_EVENTS = {
    "task_done",
    "sent_back",
    "closed",
    "submitted",
    "resubmitted",
    "step_approved",
    "approved",
    "rejected",
    "returned",
    "expired",
    "override",
    "cancel_requested",
    "cancelled",
    "cancel_refused",
}


def requester_buttons(view: RequestView, event: Event) -> list[str]:
    """What the requester's DM about `event` offers now: only what is possible where the
    request stands (a later event may already have moved it on)."""
    action = event.action.removeprefix("request.")
    out = []
    if view.state == "returned" and action == "returned":
        out.append("resubmit")
    if view.state == "pending" and action in NUDGE_AFTER:
        out.append("nudge")
    if view.state in ("pending", "returned") and action in WITHDRAW_AFTER:
        out.append("withdraw")
    if (
        view.state == "approved"
        and view.spec.cancellable
        and action in ("approved", "cancel_refused")
    ):
        out.append("cancel")
    return out


WITHDRAW_AFTER = {
    "submitted",
    "resubmitted",
    "returned",
    "step_approved",
    "task_done",
    "sent_back",
}
NUDGE_AFTER = WITHDRAW_AFTER - {"returned"}
BUTTONS = {
    "resubmit": (Action.REQUEST_RESUBMIT, "primary"),
    "nudge": (Action.REQUEST_NUDGE, None),
    "withdraw": (Action.REQUEST_WITHDRAW, None),
    "cancel": (Action.REQUEST_CANCEL, None),
}


def requester_dm(
    view: RequestView, event: Event, t: Translator
) -> tuple[str, list[dict[str, Any]]] | None:
    """The requester's DM for an event, with the buttons that fit where the request stands."""
    action = event.action.removeprefix("request.")
    if action not in DM_EVENTS:
        return None
    procedure = t.pick(view.spec.name.model_dump())
    current = view.current
    people = mention_all(current.waiting, t) if current else t("common.none")
    params = {
        "number": view.number,
        "procedure": procedure,
        "user": event.actor,
        "reason": escape(event.reason or ""),
        "people": people,
        "step": int(event.detail.get("position", 0)) + 1,
        "decision": state_name(t, str(event.detail.get("decision", "approved"))),
    }
    text = t(f"request.dm.{action}", **params)
    value = str(view.id)
    buttons = []
    for name in requester_buttons(view, event):
        action_id, style = BUTTONS[name]
        buttons.append(b.button(t(f"request.button.{name}"), action_id, value, style=style))
    blocks: list[Any] = [b.section(text)]
    if buttons:
        blocks.append(b.actions(*buttons, block_id=f"mine:{view.id}:{event.id}"))
    return text, b.to_dicts(blocks)


def requester_dm_closed(view: RequestView, text: str, t: Translator) -> list[dict[str, Any]]:
    """A requester's DM whose buttons no longer fit: the text it had, and where it stands."""
    state = t("request.dm.now", state=state_name(t, view.state))
    return b.to_dicts([b.section(text), b.context(state)])
