"""What budget adjustments add to the engine: the line's department and year, the size of the
change (the chain's condition for the director), a check that the stated current amount is the
ledger's, and the ledger entries once approved."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from procedures.errors import InvalidInput
from procedures.hooks import HookContext, Hooks
from procedures.requests import number_of
from store import budget_repo, requests_repo
from store.budget_repo import normal
from store.directory import Directory


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value["amount"])) if isinstance(value, Mapping) else None
    except (InvalidOperation, KeyError):
        return None


def _show(amount: Decimal) -> str:
    return f"{amount:,.2f}"


class BudgetHooks(Hooks):
    computed = ("department", "year", "magnitude", "after")

    def compute(self, ctx: HookContext, payload: Mapping[str, Any]) -> dict[str, Any]:
        dept = Directory(ctx.session).department_of(ctx.requester)
        current, change = _amount(payload.get("current")), _amount(payload.get("change"))
        out: dict[str, Any] = {"department": dept.id if dept else None, "year": ctx.today.year}
        if current is not None and change is not None:
            out["magnitude"] = str(abs(change))
            out["after"] = str(current + change)
        return out

    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        dept = Directory(ctx.session).department_of(ctx.requester)
        if dept is None:
            return [InvalidInput("budget.error.no_department")]
        current, change = _amount(payload.get("current")), _amount(payload.get("change"))
        if current is None or change is None:
            return []  # the form reported it
        if change == 0:
            return [InvalidInput("budget.error.no_change", field="change")]
        if current + change < 0:
            return [InvalidInput("budget.error.below_zero", field="change", current=_show(current))]
        line = str(payload.get("line") or "")
        waiting = self._waiting_on(ctx, dept.id, line)
        if waiting is not None:
            return [InvalidInput("budget.error.waiting", field="line", number=waiting)]
        standing = budget_repo.balance(ctx.session, dept.id, ctx.today.year, line)
        if standing is not None and standing != current:
            return [InvalidInput("budget.error.current", field="current", standing=_show(standing))]
        return []

    @staticmethod
    def _waiting_on(ctx: HookContext, department: str, line: str) -> str | None:
        """The number of another open adjustment of this line: two at once would each be
        checked against the same current amount, and the second approved would be wrong."""
        spec = ctx.policy.procedure("budget")
        for other in requests_repo.open_of(ctx.session, "budget"):
            same_line = normal(str((other.payload or {}).get("line") or "")) == normal(line)
            mine = (other.computed or {}).get("department") == department
            if same_line and mine and other.id != ctx.request_id and spec is not None:
                return number_of(spec, other)
        return None

    def card_fields(
        self, payload: Mapping[str, Any], computed: Mapping[str, Any], lang: str
    ) -> list[str]:
        after = computed.get("after")
        if after is None:
            return []
        label = "调整后金额" if lang == "zh" else "After the adjustment"
        return [f"*{label}*\n{_show(Decimal(str(after)))}"]

    def on_approved(self, ctx: HookContext, request_id: int, payload: Mapping[str, Any]) -> None:
        dept = Directory(ctx.session).department_of(ctx.requester)
        current, change = _amount(payload.get("current")), _amount(payload.get("change"))
        if dept is None or current is None or change is None:
            return
        line, year = str(payload.get("line") or ""), ctx.today.year
        currency = str((payload.get("change") or {}).get("currency") or "CNY")

        def entry(kind: str, amount: Decimal) -> None:
            budget_repo.add(
                ctx.session,
                department=dept.id,
                year=year,
                line=line,
                kind=kind,
                amount=amount,
                currency=currency,
                request_id=request_id,
                key=f"budget:{kind}:{request_id}",
                at=ctx.now,
            )

        if budget_repo.balance(ctx.session, dept.id, year, line) is None:
            # A line's first adjustment records what it stood at, as stated and checked.
            entry("opening", current)
        entry("adjustment", change)
