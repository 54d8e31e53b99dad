"""Action and input tasks in Slack: the prompt in the case's thread and the assignee's DM (each
with the task's button), the modal with the task's fields, and the card's list of steps."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.views import View

from procedures.form_display import escape
from procedures.policy.forms import FieldSpec
from procedures.policy.steps import StepSpec
from procedures.request_view import Event, RequestView, StepView
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.ids import Action, Callback
from slackui.views import actions
from slackui.views.forms import display_fields, input_blocks
from slackui.views.request_modals import TITLE_LIMIT, _title

MARKS = {"done": ":white_check_mark:", "approved": ":white_check_mark:", "active": ":hourglass:"}


def declared(view: RequestView, step: StepView) -> StepSpec | None:
    return view.spec.step_spec(step.spec_index)


def task_value(view: RequestView, step: StepView) -> str:
    """What a task button carries: which case, round and step it was shown for."""
    return f"{view.id}:{step.round}:{step.position}"


def button_label(view: RequestView, step: StepView, t: Translator) -> str:
    spec = declared(view, step)
    if spec is not None and "done" in spec.buttons:
        return t.pick(spec.buttons["done"].model_dump())
    return t("task.button.submit" if step.task == "input" else "task.button.done")


def _label(t: Translator, step: StepView) -> str:
    label = t.pick(step.label) if step.label else ""
    if not label:
        return ""
    return f"（{label}）" if t.lang == "zh" else f" ({label})"


def sent_back_note(view: RequestView, trail: list[Event], t: Translator) -> str | None:
    """Why this round exists, when an earlier decision sent the case back."""
    event = next(
        (
            e
            for e in reversed(trail)
            if e.action == "request.sent_back" and int(e.detail.get("round", 0)) == view.round
        ),
        None,
    )
    if event is None:
        return None
    return t("task.prompt.sent_back", user=event.actor, reason=escape(event.reason or ""))


def _task_blocks(
    view: RequestView, step: StepView, t: Translator, text: str, note: str | None
) -> list[dict[str, Any]]:
    value = task_value(view, step)
    out: list[Any] = [b.section(text)]
    if note:
        out.append(b.context(note))
    button = b.button(button_label(view, step, t), Action.TASK_OPEN, value, style="primary")
    menu = actions.more_menu(view, step, t)  # transfer (转交)
    elements = [button] if menu is None else [button, menu]
    out.append(b.actions(*elements, block_id=f"task:{value}"))
    return b.to_dicts(out)


def prompt(
    view: RequestView, step: StepView, t: Translator, note: str | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The thread message mentioning the task's assignees, with its button."""
    people = t.join(f"<@{u}>" for u in step.waiting) if step.waiting else t("common.none")
    text = t(
        f"task.prompt.{step.task}",
        people=people,
        number=view.number,
        step=step.position + 1,
        steps=len(view.steps),
        label=_label(t, step),
    )
    return text, _task_blocks(view, step, t, text, note)


def assignee_dm(
    view: RequestView, step: StepView, t: Translator, note: str | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The assignee's own DM: what the case is and the task's button."""
    text = t(
        f"task.dm.{step.task}",
        number=view.number,
        procedure=t.pick(view.spec.name.model_dump()),
        requester=view.requester,
        step=step.position + 1,
        steps=len(view.steps),
        label=_label(t, step),
    )
    shown = display_fields(view.spec.fields, view.payload, t, only=view.shown_fields)
    blocks = _task_blocks(view, step, t, text, note)
    if shown:
        blocks.insert(1, b.fields(shown).to_dict())
    return text, blocks


def closed(view: RequestView, step: StepView, t: Translator) -> tuple[str, list[dict[str, Any]]]:
    """What a task's prompt or DM becomes once the task is no longer waiting for it."""
    outcome = t(f"task.state.{step.state}") if step.state in STATES else t("task.state.moved_on")
    text = t("task.prompt.closed", number=view.number, step=step.position + 1, outcome=outcome)
    return text, b.to_dicts([b.context(text)])


STATES = ("done", "approved", "returned", "rejected", "skipped", "expired", "withdrawn")


def step_lines(view: RequestView, t: Translator) -> list[str]:
    """One line per step of the current round, for the card: what it is and where it stands."""
    lines = []
    for step in view.steps:
        label = t.pick(step.label) if step.label else t(f"task.kind.{step.task}")
        if step.state == "active" and view.is_open:
            people = t.join(f"<@{u}>" for u in step.waiting) or t("common.none")
            state = t("task.state.waiting_for", people=people)
        elif step.state in STATES:
            who = [a.user for a in step.deciders]
            state = t(f"task.state.{step.state}")
            if who:
                state += " · " + t.join(f"<@{u}>" for u in who)
        else:
            state = t("task.state.later")
        mark = MARKS.get(step.state, ":white_small_square:")
        lines.append(f"{mark} {step.position + 1}. {label} — {state}")
    return lines


def captured_lines(view: RequestView, t: Translator) -> list[str]:
    """What the tasks of this round captured, field by field (evidence, quantities)."""
    out = []
    for step in view.steps:
        spec = declared(view, step)
        if spec is None or not spec.fields:
            continue
        for person in step.approvers:
            if person.data:
                shown = display_fields(spec.fields, person.data, t)
                head = f"*{step.position + 1}.* <@{person.user}>"
                out.append(head + "\n" + "\n".join(s.replace("\n", ": ", 1) for s in shown))
    return out


def modal(
    view: RequestView,
    step: StepView,
    t: Translator,
    note: str | None = None,
    fields: Sequence[FieldSpec] | None = None,
) -> dict[str, Any]:
    """The task's fields (none: just a confirmation) with the case's number on top; `fields`
    when the procedure's hooks give the task more than it declares."""
    spec = declared(view, step)
    if fields is None:
        fields = spec.fields if spec is not None else []
    intro = t(
        "task.modal.intro",
        number=view.number,
        procedure=t.pick(view.spec.name.model_dump()),
        step=step.position + 1,
        label=_label(t, step),
    )
    blocks: list[dict[str, Any]] = b.to_dicts([b.section(intro)])
    if note:
        blocks += b.to_dicts([b.context(note)])
    blocks += (
        input_blocks(fields, t) if fields else b.to_dicts([b.context(t("task.modal.confirm"))])
    )
    metadata = {"request_id": view.id, "round": step.round, "position": step.position}
    title = f"{view.number} · {button_label(view, step, t)}"
    return View(
        type="modal",
        callback_id=Callback.TASK_FORM,
        title=_title(b.clip(title, TITLE_LIMIT)),
        submit=_title(button_label(view, step, t)),
        close=_title(t("request.modal.close")),
        private_metadata=json.dumps(metadata, separators=(",", ":")),
        blocks=blocks,
    ).to_dict()
