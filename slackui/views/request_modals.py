"""Modals of the approval engine: the procedure's form, a reason, a delegate, an override."""

from __future__ import annotations

import json
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
from procedures.forms import strip_controls
from procedures.policy.procedures import ProcedureSpec
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.ids import Callback
from slackui.views.forms import input_blocks

REASON_BLOCK, DECISION_BLOCK, DELEGATE_BLOCK = "reason", "decision", "delegate"
TITLE_LIMIT = 24


def _title(text: str) -> PlainTextObject:
    return PlainTextObject(text=b.clip(text, TITLE_LIMIT))


def _modal(
    t: Translator,
    callback: str,
    title: str,
    blocks: list[Any],
    metadata: dict[str, Any],
    submit: str,
) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=callback,
        title=_title(title),
        submit=_title(submit),
        close=_title(t("request.modal.close")),
        private_metadata=json.dumps(metadata, separators=(",", ":")),
        blocks=blocks,
    )
    return view.to_dict()


def form_modal(
    spec: ProcedureSpec,
    t: Translator,
    *,
    request_id: int | None = None,
    number: str | None = None,
    initial: dict[str, Any] | None = None,
    returned: tuple[str, str] | None = None,
    intro: list[dict[str, Any]] | None = None,
    dispatch: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The procedure's form; pre-filled when the requester edits a returned request."""
    head: list[Any] = []
    if returned is not None:
        head.append(
            b.section(
                t("request.modal.returned_because", user=returned[0], reason=escape(returned[1]))
            )
        )
    description = t.pick(spec.description.model_dump()) if spec.description else ""
    head.append(b.context(*(x for x in (description, t("prompt.cite", cite=spec.cite)) if x)))
    blocks = [
        *(x.to_dict() for x in head),
        *(intro or []),
        *input_blocks(spec.fields, t, initial=initial, dispatch=dispatch),
    ]
    title = (
        t("request.modal.resubmit_title", number=number)
        if number
        else t.pick(spec.name.model_dump())
    )
    metadata = {"procedure": spec.id, "request_id": request_id}
    return _modal(t, Callback.REQUEST_FORM, title, blocks, metadata, t("request.modal.submit"))


def _reason_input(t: Translator) -> InputBlock:
    return InputBlock(
        block_id=REASON_BLOCK,
        label=PlainTextObject(text=t("request.modal.reason")),
        hint=PlainTextObject(text=t("request.modal.reason_hint")),
        element=PlainTextInputElement(action_id="value", multiline=True, max_length=2000),
    )


def reason_modal(
    t: Translator, *, number: str, decision: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    """Reject or return: a reason is required."""
    title = t(f"request.modal.{decision}", number=number)
    return _modal(
        t,
        Callback.REQUEST_REASON,
        title,
        [_reason_input(t)],
        {**metadata, "decision": decision},
        t("request.modal.send"),
    )


def override_modal(t: Translator, *, number: str, metadata: dict[str, Any]) -> dict[str, Any]:
    choices = [
        Option(text=PlainTextObject(text=t("request.button.approve")), value="approve"),
        Option(text=PlainTextObject(text=t("request.button.reject")), value="reject"),
        Option(text=PlainTextObject(text=t("request.button.return")), value="return"),
    ]
    decision = metadata.get("decision", "approve")
    blocks = [
        b.section(t("request.modal.override_intro", number=number)),
        InputBlock(
            block_id=DECISION_BLOCK,
            label=PlainTextObject(text=t("request.modal.decision")),
            element=StaticSelectElement(
                action_id="value",
                options=choices,
                initial_option=next((c for c in choices if c.value == decision), choices[0]),
            ),
        ),
        _reason_input(t),
    ]
    return _modal(
        t,
        Callback.REQUEST_REASON,
        t("request.modal.override"),
        blocks,
        {**metadata, "override": True},
        t("request.modal.send"),
    )


def cancel_modal(t: Translator, *, number: str, request_id: int) -> dict[str, Any]:
    return _modal(
        t,
        Callback.REQUEST_CANCEL,
        t("request.modal.cancel", number=number),
        [_reason_input(t)],
        {"request_id": request_id},
        t("request.modal.send"),
    )


def delegate_modal(t: Translator, *, number: str, metadata: dict[str, Any]) -> dict[str, Any]:
    block = InputBlock(
        block_id=DELEGATE_BLOCK,
        label=PlainTextObject(text=t("request.modal.delegate_to")),
        element=UserSelectElement(action_id="value"),
    )
    return _modal(
        t,
        Callback.REQUEST_DELEGATE,
        t("request.modal.delegate", number=number),
        [block],
        metadata,
        t("request.modal.send"),
    )


def state_value(view: dict[str, Any], block: str) -> str | None:
    """The value of a simple input (text, select, user) from a submitted view, as text with
    control characters dropped (PostgreSQL refuses NUL; SQLite would store it); None when
    absent or not the shape Slack sends."""
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    inputs = values.get(block) if isinstance(values, dict) else None
    element = inputs.get("value") if isinstance(inputs, dict) else None
    if not isinstance(element, dict):
        return None
    if "selected_option" in element:
        option = element["selected_option"]
        value = option.get("value") if isinstance(option, dict) else None
    elif "selected_user" in element:
        value = element["selected_user"]
    else:
        value = element.get("value")
    return strip_controls(value) if isinstance(value, str) else None
