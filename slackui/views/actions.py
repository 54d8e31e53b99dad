"""Approval actions in Slack (加签, 转交, 退回, 催办, 抄送): the decision buttons and the "…" menu
shown in a step's prompt and in each approver's DM, the approver's DM itself, the modals that
ask for a person or an earlier step and a reason, the thread notes and one-off DMs of these
actions, and the card's lines about special-case rules."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from procedures.form_display import escape
from procedures.request_view import Event, RequestView, StepView
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.ids import Action, Callback
from slackui.payloads import ActionMeta, StepRef
from slackui.views.forms import display_fields


def reason_in_channel(view: RequestView, reason: str | None, t: Translator) -> str:
    """A reason as a channel's card or thread shows it: escaped, or for a restricted case (a
    confidential document) only that one was given — its people get it by DM."""
    if view.restricted and reason:
        return t("request.card.reason_private")
    return escape(reason or "")


PERSON_BLOCK, REASON_BLOCK, TARGET_BLOCK = "person", "reason", "target"
START = "start"  # procedures.actions.START: back to the requester
TITLE_LIMIT = 24


def _label(t: Translator, step: StepView) -> str:
    label = t.pick(step.label) if step.label else ""
    if not label and step.kind == "added":
        label = t("request.step.added")
    if not label:
        return ""
    return f"（{label}）" if t.lang == "zh" else f" ({label})"


def _mentions(users: list[str], t: Translator) -> str:
    return t.join(f"<@{user}>" for user in users) if users else t("common.none")


def _ref(view: RequestView, step: StepView) -> StepRef:
    return StepRef(request_id=view.id, round=step.round, position=step.position)


def decision_buttons(view: RequestView, step: StepView, t: Translator) -> list[Any]:
    """The decisions this step offers, labelled as the policy names them (Pass / Fail)."""
    declared = view.spec.step_spec(step.spec_index)
    offered = declared.decisions if declared is not None else ["approve", "reject", "return"]
    labels = declared.buttons if declared is not None else {}
    value = _ref(view, step).value()
    styles = {"approve": "primary", "reject": "danger"}
    actions = {
        "approve": Action.REQUEST_APPROVE,
        "reject": Action.REQUEST_REJECT,
        "return": Action.REQUEST_RETURN,
    }
    buttons = []
    for name in ("approve", "reject", "return"):
        if name not in offered or (name == "return" and view.state != "pending"):
            continue
        label = labels[name].pick(t.lang) if name in labels else t(f"request.button.{name}")
        buttons.append(b.button(label, actions[name], value, style=styles.get(name)))
    return buttons


def more_menu(view: RequestView, step: StepView, t: Translator) -> Any | None:
    """The "…" menu: transfer (any task); add an approver before / after and return to an
    earlier step (decisions of a pending request)."""
    ref = _ref(view, step)
    names = ["transfer"]
    if step.task == "decision" and view.state == "pending":
        names += ["add_before", "add_after"]
        declared = view.spec.step_spec(step.spec_index)
        if declared is None or "return" in declared.decisions:
            names.append("return_to")
    options = [
        (
            t(f"request.more.{name}"),
            ActionMeta.model_validate({"action": name, **ref.model_dump()}).value(),
        )
        for name in names
    ]
    return b.overflow(Action.REQUEST_MORE, options)


def approver_dm(
    view: RequestView, step: StepView, t: Translator
) -> tuple[str, list[dict[str, Any]]]:
    """The DM to an approver whose decision the step waits for, with the same buttons as the
    prompt in the thread."""
    text = t(
        "request.approver_dm.text",
        number=view.number,
        procedure=t.pick(view.spec.name.model_dump()),
        requester=view.requester,
        step=step.position + 1,
        steps=len(view.steps),
        label=_label(t, step),
    )
    if view.state == "cancelling":
        text = t("request.approver_dm.cancel", number=view.number, requester=view.requester)
    out: list[Any] = [b.section(text)]
    # As on the card: a restricted case (a confidential document) shows only what it allows.
    shown = display_fields(view.spec.fields, view.payload, t, only=view.shown_fields)
    if shown:
        out.append(b.fields(shown))
    elements = [*decision_buttons(view, step, t)]
    menu = more_menu(view, step, t)
    if menu is not None:
        elements.append(menu)
    out.append(b.actions(*elements, block_id=f"dm:{_ref(view, step).value()}"))
    return text, b.to_dicts(out)


def closed_dm(view: RequestView, step: StepView, t: Translator) -> tuple[str, list[dict[str, Any]]]:
    """What an approver's DM becomes once the step no longer waits for them."""
    if step.state in ("active", "waiting") and view.is_open:
        outcome = t("request.approver_dm.moved")
    elif step.state in ("approved", "rejected", "returned"):
        outcome = t(f"request.state.{step.state}")
    else:
        outcome = t(f"request.state.{view.state}")
    text = t(
        "request.approver_dm.closed", number=view.number, step=step.position + 1, outcome=outcome
    )
    return text, b.to_dicts([b.context(text)])


# -- modals -----------------------------------------------------------------------------


def _reason_input(t: Translator, *, optional: bool) -> InputBlock:
    return InputBlock(
        block_id=REASON_BLOCK,
        optional=optional,
        label=PlainTextObject(text=t("request.modal.reason")),
        hint=PlainTextObject(text=t("request.modal.reason_hint")),
        element=PlainTextInputElement(action_id="value", multiline=True, max_length=2000),
    )


def _modal(
    t: Translator, callback: str, title: str, blocks: list[Any], meta: ActionMeta
) -> dict[str, Any]:
    return View(
        type="modal",
        callback_id=callback,
        title=PlainTextObject(text=b.clip(title, TITLE_LIMIT)),
        submit=PlainTextObject(text=b.clip(t("request.modal.send"), TITLE_LIMIT)),
        close=PlainTextObject(text=b.clip(t("request.modal.close"), TITLE_LIMIT)),
        private_metadata=meta.dump(),
        blocks=blocks,
    ).to_dict()


def person_modal(t: Translator, *, number: str, meta: ActionMeta) -> dict[str, Any]:
    """Transfer, or add an approver before / after: whom, and why (required to add)."""
    blocks = [
        b.section(t(f"request.more.{meta.action}_intro", number=number)),
        InputBlock(
            block_id=PERSON_BLOCK,
            label=PlainTextObject(text=t(f"request.more.{meta.action}_who")),
            element=UserSelectElement(action_id="value"),
        ),
        _reason_input(t, optional=meta.action == "transfer"),
    ]
    title = t(f"request.more.{meta.action}")
    return _modal(t, Callback.REQUEST_PERSON, title, blocks, meta)


def return_modal(
    t: Translator, *, number: str, targets: list[tuple[str, str]], meta: ActionMeta
) -> dict[str, Any]:
    """退回: to which earlier step (or the requester), and why."""
    options = [Option(text=PlainTextObject(text=b.clip(text, 75)), value=v) for v, text in targets]
    blocks = [
        b.section(t("request.more.return_to_intro", number=number)),
        InputBlock(
            block_id=TARGET_BLOCK,
            label=PlainTextObject(text=t("request.more.return_to_where")),
            element=StaticSelectElement(
                action_id="value", options=options, initial_option=options[0]
            ),
        ),
        _reason_input(t, optional=False),
    ]
    return _modal(t, Callback.REQUEST_RETURN_TO, t("request.more.return_to"), blocks, meta)


def target_label(t: Translator, key: str, position: int | None, label: dict[str, str]) -> str:
    if key == START or position is None:
        return t("request.more.return_to_start")
    name = t.pick(label) if label else ""
    suffix = (f"（{name}）" if t.lang == "zh" else f" ({name})") if name else ""
    return t("request.more.return_to_step", step=position + 1, label=suffix)


# -- thread notes, one-off DMs, card lines --------------------------------------------------


def note(view: RequestView, event: Event, t: Translator) -> str | None:
    """The thread note of an approval action; None for other events."""
    action = event.action.removeprefix("request.")
    reason = reason_in_channel(view, event.reason, t)
    users = event.detail.get("users") or []
    if action == "approver_added":
        where = str(event.detail.get("where", "after"))
        return t(
            f"request.note.added_{'before' if where == 'before' else 'after'}",
            user=event.actor,
            to=event.detail.get("to", ""),
            reason=reason,
        )
    if action == "transferred":
        key = "request.note.transferred_why" if reason else "request.note.transferred"
        return t(key, user=event.actor, to=event.detail.get("to", ""), reason=reason)
    if action == "nudged":
        return t("request.note.nudged", user=event.actor, people=_mentions(list(users), t))
    if action == "copied":
        return t("request.note.copied", people=_mentions(list(users), t))
    return None


def nudge_dm(view: RequestView, event: Event, t: Translator) -> str:
    return t(
        "request.nudge.dm",
        requester=event.actor,
        number=view.number,
        procedure=t.pick(view.spec.name.model_dump()),
    )


def copy_dm(view: RequestView, event: Event, t: Translator) -> str:
    state = str(event.detail.get("state", view.state))
    return t(
        "request.cc.dm",
        number=view.number,
        procedure=t.pick(view.spec.name.model_dump()),
        requester=view.requester,
        state=t(f"request.state.{state}"),
    )


def _special(t: Translator, special: dict[str, Any], number: int, label: str) -> str:
    case = str(special.get("case", "if_empty"))
    who = special.get("user")
    return t(
        "request.special.line",
        step=number,
        label=label,
        case=t(f"request.special.{case}", user=who or ""),
        rule=t(f"request.special.rule.{special.get('rule', 'admin')}"),
    )


def special_lines(view: RequestView, trail: list[Event], t: Translator) -> list[str]:
    """One context line per step of this round whose people a special-case rule chose (or
    which a rule skipped), in the card's language."""
    lines = [
        _special(t, step.special, step.position + 1, _label(t, step))
        for step in view.steps
        if step.special
    ]
    for event in trail:
        if event.action != "request.step_skipped" or event.detail.get("round") != view.round:
            continue
        index = event.detail.get("spec_index")
        declared = view.spec.step_spec(index if isinstance(index, int) else None)
        name = t.pick(declared.name.model_dump()) if declared and declared.name else ""
        label = (f"（{name}）" if t.lang == "zh" else f" ({name})") if name else ""
        number = int(index) + 1 if isinstance(index, int) else 0
        lines.append(_special(t, dict(event.detail.get("special") or {}), number, label))
    return lines
