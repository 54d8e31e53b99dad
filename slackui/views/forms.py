"""A declared form as modal inputs, its submitted state read back, errors placed on inputs.

Block ids are `f:{field_id}` for a field's main input and `f:{field_id}:{part}` for the others
(`FieldSpec.parts()`: currency, start, start_half, end, end_half, link); every action id is
`value`. Validation is procedures.forms'; Slack's own checks (required, lengths, number limits)
come first in the client where the field allows them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    ConversationFilter,
    ConversationSelectElement,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
    UrlInputElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.blocks.block_elements import FileInputElement, InputInteractiveElement

from procedures.form_display import display, escape
from procedures.forms import FieldError, plain_decimal
from procedures.policy.forms import FieldSpec
from slackui.blocks import clip, to_dicts
from slackui.i18n import Translator

ACTION = "value"
LABEL_LIMIT = 2000
HINT_LIMIT = 2000
PLACEHOLDER_LIMIT = 150
OPTION_LIMIT = 75
WHOLE_DAY = "day"  # the half-day selects' "whole day" option (a select cannot be cleared)


def block_id(field_id: str, part: str = "") -> str:
    return f"f:{field_id}:{part}" if part else f"f:{field_id}"


def _plain(text: str, limit: int) -> PlainTextObject:
    return PlainTextObject(text=clip(text, limit), emoji=True)


def _option(value: str, text: str) -> Option:
    return Option(value=value, text=_plain(text, OPTION_LIMIT))


def _iso_date(value: Any) -> str | None:
    try:
        return date.fromisoformat(str(value)).isoformat() if value else None
    except ValueError:
        return None


def _number(value: Any) -> str | None:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return plain_decimal(Decimal(str(value)))
    return value if isinstance(value, str) and value else None


class _Builder:
    """The blocks for one field; keeps the label, hint, placeholder and dispatch in one place."""

    def __init__(self, spec: FieldSpec, t: Translator, dispatch: bool) -> None:
        self.spec, self.t, self.dispatch = spec, t, dispatch
        self.label = spec.label.pick(t.lang)
        self.hint = spec.hint.pick(t.lang) if spec.hint else None
        self.placeholder = (
            _plain(spec.placeholder.pick(t.lang), PLACEHOLDER_LIMIT) if spec.placeholder else None
        )

    def input(
        self,
        element: InputInteractiveElement,
        *,
        part: str = "",
        label: str | None = None,
        hint: str | None = None,
        optional: bool | None = None,
    ) -> InputBlock:
        files = isinstance(element, FileInputElement)
        return InputBlock(
            block_id=block_id(self.spec.id, part),
            label=_plain(label or self.label, LABEL_LIMIT),
            element=element,
            hint=_plain(hint, HINT_LIMIT) if hint else None,
            optional=(not self.spec.required) if optional is None else optional,
            # A file input cannot dispatch actions; the rest recompute as they change.
            dispatch_action=True if self.dispatch and not files else None,
        )

    def select(
        self, options: Sequence[Option], chosen: Any, *, own: bool = True
    ) -> StaticSelectElement:
        """`own`: the field's own select, which shows the field's placeholder."""
        initial = next((o for o in options if o.value == chosen), None)
        return StaticSelectElement(
            action_id=ACTION,
            placeholder=self.placeholder if own else None,
            options=options,
            initial_option=initial,
        )

    def blocks(self, initial: Any) -> list[Block]:
        spec, kind = self.spec, self.spec.type
        if kind in ("text", "long_text"):
            element: InputInteractiveElement = PlainTextInputElement(
                action_id=ACTION,
                placeholder=self.placeholder,
                initial_value=initial[: spec.text_max_length] if isinstance(initial, str) else None,
                multiline=kind == "long_text",
                min_length=spec.min_length,
                max_length=spec.text_max_length,
            )
        elif kind in ("number", "money"):
            return self.number(initial)
        elif kind == "date":
            element = DatePickerElement(
                action_id=ACTION, placeholder=self.placeholder, initial_date=_iso_date(initial)
            )
        elif kind == "date_range":
            return self.date_range(initial if isinstance(initial, Mapping) else {})
        elif kind == "select":
            options = [_option(o.value, o.label.pick(self.t.lang)) for o in spec.options]
            element = self.select(options, initial)
        elif kind == "user":
            element = UserSelectElement(
                action_id=ACTION,
                placeholder=self.placeholder,
                initial_user=initial if isinstance(initial, str) else None,
            )
        elif kind == "users":
            element = UserMultiSelectElement(
                action_id=ACTION,
                placeholder=self.placeholder,
                initial_users=list(initial) if isinstance(initial, list) else None,
                max_selected_items=spec.max_users,
            )
        elif kind == "channel":
            element = ConversationSelectElement(
                action_id=ACTION,
                placeholder=self.placeholder,
                initial_conversation=initial if isinstance(initial, str) else None,
                filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
            )
        else:
            return self.file(initial if isinstance(initial, Mapping) else {})
        return [self.input(element, hint=self.hint)]

    def number(self, initial: Any) -> list[Block]:
        spec = self.spec
        money = spec.type == "money"
        amount = initial.get("amount") if money and isinstance(initial, Mapping) else initial
        element = NumberInputElement(
            action_id=ACTION,
            is_decimal_allowed=spec.places > 0,
            initial_value=_number(amount),
            min_value=plain_decimal(spec.min) if spec.min is not None else None,
            max_value=plain_decimal(spec.max) if spec.max is not None else None,
            placeholder=self.placeholder,
        )
        if not money or len(spec.currencies) == 1:
            label = self.label
            if money:
                label = self.t("form.money.amount_in", label=label, currency=spec.currencies[0])
            return [self.input(element, label=label, hint=self.hint)]
        chosen = initial.get("currency") if isinstance(initial, Mapping) else None
        options = [_option(c, c) for c in spec.currencies]
        currency = self.select(options, chosen or spec.currencies[0], own=False)
        return [
            self.input(element, hint=self.hint),
            self.input(
                currency,
                part="currency",
                label=self.t("form.money.currency", label=self.label),
                optional=False,  # it always holds a currency: the first is preselected
            ),
        ]

    def date_range(self, initial: Mapping[str, Any]) -> list[Block]:
        t, label = self.t, self.label

        def day(part: str, hint: str | None = None) -> InputBlock:
            picker = DatePickerElement(
                action_id=ACTION,
                placeholder=self.placeholder,
                initial_date=_iso_date(initial.get(part)),
            )
            return self.input(
                picker, part=part, label=t(f"form.range.{part}", label=label), hint=hint
            )

        def half(part: str, half: str) -> InputBlock:
            side = part.removesuffix("_half")
            options = [
                _option(WHOLE_DAY, t(f"form.half.{side}.{WHOLE_DAY}")),
                _option(half, t(f"form.half.{side}.{half}")),
            ]
            chosen = initial.get(part) or WHOLE_DAY
            return self.input(
                self.select(options, chosen, own=False),
                part=part,
                label=t(f"form.range.{part}", label=label),
                optional=False,  # preselected "whole day"
            )

        if not self.spec.half_days:
            return [day("start", self.hint), day("end")]
        return [
            day("start", self.hint),
            half("start_half", "pm"),
            day("end"),
            half("end_half", "am"),
        ]

    def file(self, initial: Mapping[str, Any]) -> list[Block]:
        spec, t = self.spec, self.t
        kept = [f for f in initial.get("files") or [] if isinstance(f, Mapping) and f.get("id")]
        element = FileInputElement(
            action_id=ACTION, filetypes=spec.filetypes, max_files=spec.max_files
        )
        hint = self.hint or (t("form.file.hint") if spec.link else None)
        # Optional in Slack when a link may replace the upload, or earlier uploads are kept
        # (a file input cannot be pre-filled); our own check then asks for one or the other.
        optional = spec.link or bool(kept) or not spec.required
        out: list[Block] = [self.input(element, hint=hint, optional=optional)]
        if kept:
            names = t.join(escape(str(f.get("name") or f["id"])) for f in kept)
            note = MarkdownTextObject(text=clip(t("form.file.kept", files=names), 3000))
            out.append(ContextBlock(block_id=block_id(spec.id, "kept"), elements=[note]))
        if spec.link:
            link = initial.get("link")
            url = UrlInputElement(
                action_id=ACTION,
                initial_value=link if isinstance(link, str) and link else None,
                placeholder=self.placeholder
                or _plain(t("form.file.link_placeholder"), PLACEHOLDER_LIMIT),
            )
            label = t("form.file.link", label=self.label)
            out.append(self.input(url, part="link", label=label, optional=True))
        return out


def input_blocks(
    fields: Sequence[FieldSpec],
    t: Translator,
    *,
    initial: Mapping[str, Any] | None = None,
    dispatch: Collection[str] = (),
) -> list[dict[str, Any]]:
    """Input blocks for the fields, pre-filled from `initial` (a normalized payload, e.g. a
    returned request being edited); fields in `dispatch` send block actions as they change."""
    blocks: list[Block] = []
    for spec in fields:
        value = (initial or {}).get(spec.id)
        blocks += _Builder(spec, t, spec.id in dispatch).blocks(value)
    return to_dicts(blocks)


# -- reading a submission back -------------------------------------------------------------


def _selected(state: Mapping[str, Any]) -> Any:
    option = state.get("selected_option")
    return option.get("value") if isinstance(option, Mapping) else None


def read_state(
    fields: Sequence[FieldSpec],
    state_values: Mapping[str, Any],
    *,
    previous: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The raw value per field id from `view["state"]["values"]`, for `procedures.forms.validate`.
    `previous` is the payload being edited: a file field with no new upload keeps its files."""

    def state(spec: FieldSpec, part: str = "") -> Mapping[str, Any]:
        found = (state_values.get(block_id(spec.id, part)) or {}).get(ACTION)
        return found if isinstance(found, Mapping) else {}

    raw: dict[str, Any] = {}
    for spec in fields:
        kind, main = spec.type, state(spec, spec.parts()[0])
        if kind in ("text", "long_text", "number"):
            raw[spec.id] = main.get("value")
        elif kind == "money":
            currency = _selected(state(spec, "currency")) if len(spec.currencies) > 1 else None
            raw[spec.id] = {"amount": main.get("value"), "currency": currency or spec.currencies[0]}
        elif kind == "date":
            raw[spec.id] = main.get("selected_date")
        elif kind == "date_range":
            halves = {p: _selected(state(spec, p)) for p in ("start_half", "end_half")}
            raw[spec.id] = {
                "start": main.get("selected_date"),
                "start_half": None if halves["start_half"] == WHOLE_DAY else halves["start_half"],
                "end": state(spec, "end").get("selected_date"),
                "end_half": None if halves["end_half"] == WHOLE_DAY else halves["end_half"],
            }
        elif kind == "select":
            raw[spec.id] = _selected(main)
        elif kind == "user":
            raw[spec.id] = main.get("selected_user")
        elif kind == "users":
            raw[spec.id] = main.get("selected_users") or []
        elif kind == "channel":
            raw[spec.id] = main.get("selected_conversation") or main.get("selected_channel")
        else:
            raw[spec.id] = _read_files(spec, main, state(spec, "link"), previous)
    return raw


def _read_files(
    spec: FieldSpec,
    main: Mapping[str, Any],
    link: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
) -> dict[str, Any]:
    files = [
        {"id": f["id"], "name": str(f.get("name") or f.get("title") or "")}
        for f in main.get("files") or []
        if isinstance(f, Mapping) and f.get("id")
    ]
    before = (previous or {}).get(spec.id)
    if not files and isinstance(before, Mapping):
        files = [dict(f) for f in before.get("files") or [] if isinstance(f, Mapping)]
    return {"files": files, "link": link.get("value") if spec.link else None}


def view_errors(
    errors: Sequence[FieldError],
    t: Translator,
    *,
    fields: Sequence[FieldSpec] | None = None,
) -> dict[str, str]:
    """`{block_id: message}` for `ack(response_action="errors", errors=...)`; one per input.

    Errors from `validate` already name an input that exists. Pass `fields` for errors made
    elsewhere (a hook's problem naming only a field): Slack refuses the whole answer if a
    block is not in the modal, so those go to the field's first input, or the form's."""
    by_id = {spec.id: spec for spec in fields or ()}
    placed: dict[str, str] = {}
    for error in errors:
        where = block_id(error.field, error.part)
        if fields:
            spec = by_id.get(error.field) or fields[0]
            part = error.part if spec.id == error.field and error.part in spec.parts() else None
            where = block_id(spec.id, spec.parts()[0] if part is None else part)
        placed.setdefault(where, t(error.key, **error.params))
    return placed


def display_fields(
    fields: Sequence[FieldSpec],
    payload: Mapping[str, Any],
    t: Translator,
    *,
    only: Collection[str] | None = None,
) -> list[str]:
    """`*Label*\\nvalue` texts for a card's fields section, in the form's order."""
    return [
        f"*{escape(spec.label.pick(t.lang))}*\n{display(spec, payload.get(spec.id), t.lang)}"
        for spec in fields
        if only is None or spec.id in only
    ]
