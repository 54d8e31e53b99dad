"""Administration's views of supplies: the count form, the low-stock alert, and the form that
edits one catalogue item."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from procedures.form_display import escape
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.views.request_modals import TITLE_LIMIT, _title
from slackui.views.supplies import (
    ItemRow,
    SupplyAction,
    SupplyCallback,
    input_block,
    option,
    text_input,
)

MAX_COUNT_ROWS = 90  # a modal holds 100 blocks

# The catalogue fields an admin edits in Slack, with the text each input holds.
ITEM_FIELDS = (
    "name_en",
    "name_zh",
    "spec",
    "unit",
    "category",
    "reorder_level",
    "reorder_quantity",
    "per_request_limit",
    "location",
)
OPTIONAL_ITEM_FIELDS = ("spec", "reorder_quantity", "per_request_limit", "location")


def count_modal(t: Translator, items: Sequence[ItemRow], cite: str) -> dict[str, Any]:
    shown = [item for item in items if not item.discontinued][:MAX_COUNT_ROWS]
    blocks: list[dict[str, Any]] = [
        b.context(t("supplies.count.intro"), t("prompt.cite", cite=cite)).to_dict()
    ]
    for item in shown:
        blocks.append(
            input_block(
                f"count:{item.id}",
                t(
                    "supplies.count.row",
                    item=item.label(t.lang),
                    expected=item.balance.on_hand,
                    unit=item.unit,
                ),
                text_input(str(item.balance.on_hand), max_length=7),
            )
        )
    blocks.append(
        input_block(
            "note",
            t("supplies.count.note"),
            text_input(multiline=True, max_length=500),
            optional=True,
        )
    )
    return {
        "type": "modal",
        "callback_id": SupplyCallback.COUNT,
        "title": _title(b.clip(t("supplies.count.title"), TITLE_LIMIT)).to_dict(),
        "submit": _title(t("supplies.count.submit")).to_dict(),
        "close": _title(t("request.modal.close")).to_dict(),
        "private_metadata": json.dumps({"items": [item.id for item in shown]}),
        "blocks": blocks,
    }


def low_stock_blocks(
    t: Translator, item: ItemRow, reorder_quantity: int | None
) -> list[dict[str, Any]]:
    text = t(
        "supplies.low.text",
        item=escape(item.label(t.lang)),
        available=item.balance.available,
        level=item.reorder_level,
        on_order=item.balance.on_order,
        unit=escape(item.unit),
        quantity=reorder_quantity or item.reorder_level or 1,
    )
    return b.to_dicts(
        [
            b.section(text),
            b.actions(
                b.button(
                    t("supplies.low.button"), SupplyAction.RESTOCK, str(item.id), style="primary"
                )
            ),
        ]
    )


def item_modal(
    t: Translator, item_id: int, values: Mapping[str, Any], sku: str | None
) -> dict[str, Any]:
    """An admin edits one catalogue item (the opening stock is the ledger's: counts fix it)."""
    blocks: list[dict[str, Any]] = [
        b.context(t("supplies.item.intro", sku=escape(sku or "—"))).to_dict()
    ]
    for name in ITEM_FIELDS:
        value = values.get(name)
        blocks.append(
            input_block(
                f"item:{name}",
                t(f"supplies.item.{name}"),
                text_input("" if value is None else str(value), max_length=200),
                optional=name in OPTIONAL_ITEM_FIELDS,
            )
        )
    yes, no = (
        option(t("supplies.item.discontinued_yes"), "yes"),
        option(t("supplies.item.discontinued_no"), "no"),
    )
    blocks.append(
        input_block(
            "item:discontinued",
            t("supplies.item.discontinued"),
            {
                "type": "static_select",
                "options": [no, yes],
                "initial_option": yes if values.get("discontinued") else no,
            },
        )
    )
    return {
        "type": "modal",
        "callback_id": SupplyCallback.ITEM,
        "title": _title(t("supplies.item.title")).to_dict(),
        "submit": _title(t("supplies.item.submit")).to_dict(),
        "close": _title(t("request.modal.close")).to_dict(),
        "private_metadata": json.dumps({"item": item_id}),
        "blocks": blocks,
    }


def read_item(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in (*ITEM_FIELDS, "discontinued"):
        state = (values.get(f"item:{name}") or {}).get("value") or {}
        if "selected_option" in state:
            out[name] = ((state.get("selected_option") or {}).get("value")) == "yes"
        else:
            text = str(state.get("value") or "").strip()
            if text or name not in OPTIONAL_ITEM_FIELDS:
                out[name] = text
    return out
