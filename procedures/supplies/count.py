"""Stock counts (盘点): administration counts every item; the variances against the ledger at
the moment of the count are approved by the head of administration and become adjustment
entries. A count that matches the ledger needs no approval (`when: "variances > 0"`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procedures.errors import InvalidInput
from procedures.hooks import HookContext, Hooks
from procedures.supplies.ledger import Kind
from procedures.supplies.stock import Mover
from store import supplies_repo


def counts_of(payload: Mapping[str, Any]) -> list[dict[str, int]]:
    raw = payload.get("counts")
    if not isinstance(raw, list):
        return []
    out = []
    for row in raw:
        if isinstance(row, Mapping):
            out.append(
                {
                    "item": int(row.get("item") or 0),
                    "expected": int(row.get("expected") or 0),
                    "counted": int(row.get("counted") or 0),
                }
            )
    return out


def variances(payload: Mapping[str, Any]) -> list[dict[str, int]]:
    return [row for row in counts_of(payload) if row["counted"] != row["expected"]]


class CountHooks(Hooks):
    computed = ("variances",)

    def compute(self, ctx: HookContext, payload: Mapping[str, Any]) -> dict[str, Any]:
        return {"variances": len(variances(payload))}

    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        if not counts_of(payload):
            return [InvalidInput("supplies.error.count_form", field="note")]
        if any(row["counted"] < 0 for row in counts_of(payload)):
            return [InvalidInput("supplies.error.quantity_positive", field="note")]
        return []

    def card_fields(
        self, payload: Mapping[str, Any], computed: Mapping[str, Any], lang: str
    ) -> list[str]:
        shown = payload.get("shown") or {}
        rows = []
        for row in variances(payload):
            name = (shown.get(str(row["item"])) or {}).get(lang, f"#{row['item']}")
            delta = row["counted"] - row["expected"]
            rows.append(f"• {name}: {row['expected']} → {row['counted']} ({delta:+d})")
        title = "盘点差异" if lang == "zh" else "Variances"
        none = "无差异" if lang == "zh" else "none: the count matches the ledger"
        return [f"*{title}*\n" + ("\n".join(rows[:40]) if rows else none)]

    def on_approved(self, ctx: HookContext, request_id: int, payload: Mapping[str, Any]) -> None:
        """Each variance becomes one signed adjustment entry, against the count."""
        rows = variances(payload)
        mover = Mover(ctx.session, ctx.now, ctx.requester, ctx.jobs)
        mover.lock([row["item"] for row in rows])
        for row in rows:
            if supplies_repo.item(ctx.session, row["item"]) is None:
                continue
            mover.move(
                Kind.ADJUSTED,
                row["counted"] - row["expected"],
                item_id=row["item"],
                request_id=request_id,
                reason=f"stock count: counted {row['counted']}, ledger said {row['expected']}",
            )
