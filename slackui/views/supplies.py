"""Office supplies in Slack: the request form (several lines, each a catalogue item showing
what is available, or something not in the catalogue), the quick-path summary, stock and
request lists, the count form and the low-stock alert."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from procedures.form_display import escape
from procedures.supplies.ledger import Balance
from procedures.supplies.stock import Line
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.views.request_modals import _title


class SupplyAction(StrEnum):
    SUBMIT = "supplies.submit"
    EDIT = "supplies.edit"
    ADD_LINE = "supplies.add_line"
    EXPORT = "supplies.export"
    RESTOCK = "supplies.restock"


class SupplyCallback(StrEnum):
    FORM = "supplies.form"
    COUNT = "supplies.count"
    ITEM = "supplies.item"


OTHER = "other"  # the select's "something not in the catalogue"
MAX_OPTIONS = 99  # Slack: 100 options per select; one is "other"


@dataclass(frozen=True)
class ItemRow:
    """A catalogue item with its balance, as the views show it."""

    id: int
    name_en: str
    name_zh: str
    spec: str
    unit: str
    category: str
    reorder_level: int
    balance: Balance
    discontinued: bool = False
    sku: str | None = None

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def label(self, lang: str) -> str:
        return f"{self.name(lang)} ({self.spec})" if self.spec else self.name(lang)


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": b.clip(text, limit) or " ", "emoji": True}


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(text), "value": value}


def input_block(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label, 2000),
        "element": {**element, "action_id": "value"},
        "optional": optional,
    }
    if hint:
        block["hint"] = _plain(hint, 2000)
    return block


def text_input(
    initial: str | None = None, *, multiline: bool = False, max_length: int = 150
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    return element


def item_option_text(t: Translator, item: ItemRow) -> str:
    return t(
        "supplies.form.option",
        item=item.label(t.lang),
        available=max(item.balance.available, 0),
        unit=item.unit,
    )


def form_modal(
    t: Translator,
    items: Sequence[ItemRow],
    *,
    lines: int = 3,
    initial: Mapping[str, Any] | None = None,
    cite: str = "",
) -> dict[str, Any]:
    """The request form; `initial` holds `lines` (as the payload has them) and `purpose`."""
    offered = [item for item in items if not item.discontinued][:MAX_OPTIONS]
    options = [option(item_option_text(t, item), str(item.id)) for item in offered]
    options.append(option(t("supplies.form.other"), OTHER))
    given = list((initial or {}).get("lines") or [])
    count = max(lines, len(given), 1)
    blocks: list[dict[str, Any]] = [
        b.context(t("supplies.form.intro"), t("prompt.cite", cite=cite)).to_dict()
    ]
    for i in range(count):
        line = given[i] if i < len(given) else {}
        select: dict[str, Any] = {
            "type": "static_select",
            "placeholder": _plain(t("supplies.form.pick")),
            "options": options,
        }
        chosen = OTHER if line and line.get("item") in (None, "") else str(line.get("item", ""))
        match = next((o for o in options if o["value"] == chosen), None) if line else None
        if match is not None:
            select["initial_option"] = match
        blocks.append(
            input_block(f"line{i}:item", t("supplies.form.item", n=i + 1), select, optional=i > 0)
        )
        quantity = str(line.get("quantity") or "") if line else ""
        blocks.append(
            input_block(
                f"line{i}:qty",
                t("supplies.form.quantity", n=i + 1),
                text_input(quantity, max_length=6),
                optional=i > 0,
            )
        )
        other = ""
        if line and line.get("item") in (None, ""):
            other = " ".join(x for x in (line.get("name"), line.get("spec")) if x)
        blocks.append(
            input_block(
                f"line{i}:other",
                t("supplies.form.other_name", n=i + 1),
                text_input(other, max_length=200),
                optional=True,
                hint=t("supplies.form.other_hint") if i == 0 else None,
            )
        )
    if count < 10:
        blocks.append(
            b.actions(
                b.button(t("supplies.form.add_line"), SupplyAction.ADD_LINE, str(count + 1)),
                block_id="supplies:add",
            ).to_dict()
        )
    blocks.append(
        input_block(
            "purpose",
            t("supplies.form.purpose"),
            text_input(str((initial or {}).get("purpose") or ""), multiline=True, max_length=500),
        )
    )
    return {
        "type": "modal",
        "callback_id": SupplyCallback.FORM,
        "title": _title(t("supplies.form.title")).to_dict(),
        "submit": _title(t("supplies.form.submit")).to_dict(),
        "close": _title(t("request.modal.close")).to_dict(),
        "private_metadata": json.dumps(
            {"lines": count, "restock": bool((initial or {}).get("restock"))}
        ),
        "blocks": blocks,
    }


def read_form(values: Mapping[str, Any], count: int) -> tuple[list[dict[str, Any]], str]:
    """The raw lines (item value, quantity text, other text) and purpose from a submission."""

    def value(block: str) -> Any:
        state = (values.get(block) or {}).get("value") or {}
        if "selected_option" in state:
            option = state.get("selected_option") or {}
            return option.get("value")
        return state.get("value")

    rows = [
        {
            "item": value(f"line{i}:item"),
            "qty": (value(f"line{i}:qty") or "").strip(),
            "other": (value(f"line{i}:other") or "").strip(),
        }
        for i in range(count)
    ]
    return rows, str(value("purpose") or "").strip()


def line_text(t: Translator, line: Line) -> str:
    return f"{line.quantity} {escape(line.unit)} {escape(line.label(t.lang))}"


def quick_summary(
    t: Translator, line: Line, available: int | None, purpose: str, payload: dict[str, Any]
) -> list[dict[str, Any]]:
    value = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    stock = (
        t("supplies.quick.available", available=available, unit=escape(line.unit))
        if available is not None
        else t("supplies.quick.not_in_catalogue")
    )
    text = t(
        "supplies.quick.understood",
        line=line_text(t, line),
        stock=stock,
        purpose=escape(purpose) or t("common.none"),
    )
    return b.to_dicts(
        [
            b.section(text),
            b.actions(
                b.button(t("supplies.quick.submit"), SupplyAction.SUBMIT, value, style="primary"),
                b.button(t("supplies.quick.edit"), SupplyAction.EDIT, value),
            ),
        ]
    )


def unknown_item(t: Translator, typed: str, payload: dict[str, Any]) -> list[dict[str, Any]]:
    value = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return b.to_dicts(
        [
            b.section(t("supplies.quick.unknown", typed=escape(typed))),
            b.actions(b.button(t("supplies.quick.edit"), SupplyAction.EDIT, value)),
        ]
    )


def stock_line(t: Translator, item: ItemRow) -> str:
    low = item.balance.available <= item.reorder_level
    mark = ":warning: " if low else ""
    return mark + t(
        "supplies.stock.line",
        item=escape(item.label(t.lang)),
        category=escape(item.category),
        on_hand=item.balance.on_hand,
        reserved=item.balance.reserved,
        available=item.balance.available,
        on_order=item.balance.on_order,
        level=item.reorder_level,
        unit=escape(item.unit),
    )


def stock_blocks(
    t: Translator, items: Sequence[ItemRow], *, query: str, admin: bool
) -> list[dict[str, Any]]:
    head = t("supplies.stock.title", count=len(items))
    if query:
        head += " · " + escape(query)
    lines = [stock_line(t, item) for item in items[:60]]
    if len(items) > 60:
        lines.append(t("supplies.stock.more", count=len(items) - 60))
    out: list[Any] = [b.section(f"*{head}*"), *b.sections(lines or [t("supplies.stock.none")])]
    if admin:
        out.append(b.actions(b.button(t("supplies.export.button"), SupplyAction.EXPORT, "all")))
    return b.to_dicts(out[:45])


def list_blocks(
    t: Translator, title: str, lines: Sequence[str], empty: str
) -> list[dict[str, Any]]:
    shown = list(lines[:40])
    if len(lines) > 40:
        shown.append(t("supplies.stock.more", count=len(lines) - 40))
    return b.to_dicts([b.section(f"*{title}*"), *b.sections(shown or [empty])])
