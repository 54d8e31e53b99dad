"""What supplies add to the engine. A request's route is declared in the policy (head →
purchase → finance → receive → issue → confirm); these hooks write the ledger at each task and
choose where the case goes from what the ledger says: everything on the shelf skips the
purchase; a purchase at or under the policy's amount skips finance; a short delivery or a
partial issue reopens the step for the rest. A count's approval becomes adjustment entries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from procedures.errors import InvalidInput
from procedures.hooks import Directive, Finish, GoTo, HookContext, Hooks, SendBack, TaskOutcome
from procedures.policy.common import Text
from procedures.policy.forms import FieldSpec
from procedures.supplies.ledger import Kind, LineState
from procedures.supplies.policy import SuppliesPolicy
from procedures.supplies.stock import (
    Line,
    Mover,
    line_states,
    lines_of,
    purchase_total,
    release_all,
    reserve_what_is_there,
)
from store import requests_repo, supplies_repo
from store.models import Request

# Shown to whoever does the reopened task (the engine keeps one reason, in both languages).
REASONS = {
    "nothing_received": "Nothing passed inspection: it all stays on order · 验收未通过，全部仍在途",
    "rest_reserved": "Issued in part: the rest stays reserved · 已部分发放，其余仍预留",
    "rest_on_order": "Short delivery: the rest stays on order · 到货不足，其余仍在途",
}


def _number(value: Any) -> int:
    try:
        return int(Decimal(str(value)))
    except (ArithmeticError, ValueError):
        return 0


def _text(en: str, zh: str) -> Text:
    return Text(en=en[:150], zh=zh[:150])


class SupplyHooks(Hooks):
    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        lines = lines_of(payload)
        if not lines:
            return [InvalidInput("supplies.error.no_lines", field="purpose")]
        limit = ctx.policy.section(SuppliesPolicy).max_lines
        if len(lines) > limit:
            return [InvalidInput("supplies.error.too_many_lines", field="purpose", max=limit)]
        problems: list[InvalidInput] = []
        for line in lines:
            field = f"line{line.index}"
            if line.quantity < 1:
                problems.append(InvalidInput("supplies.error.quantity_positive", field=field))
                continue
            if line.item_id is None:
                if not line.name.strip():
                    problems.append(InvalidInput("supplies.error.free_name", field=field))
                continue
            item = supplies_repo.item(ctx.session, line.item_id)
            if item is None:
                problems.append(InvalidInput("supplies.error.unknown_item", field=field))
            elif item.discontinued:
                problems.append(
                    InvalidInput(
                        "supplies.error.discontinued",
                        field=field,
                        item={"en": item.name_en, "zh": item.name_zh},
                    )
                )
            elif item.per_request_limit is not None and line.quantity > item.per_request_limit:
                problems.append(
                    InvalidInput(
                        "supplies.error.over_limit",
                        field=field,
                        item={"en": item.name_en, "zh": item.name_zh},
                        limit=item.per_request_limit,
                        unit=item.unit,
                    )
                )
        return problems

    def card_fields(
        self, payload: Mapping[str, Any], computed: Mapping[str, Any], lang: str
    ) -> list[str]:
        from procedures.form_display import escape

        states = computed.get("stock") or []
        rows = []
        for line in lines_of(payload):
            state = states[line.index] if line.index < len(states) else {}
            text = f"• {line.quantity} {escape(line.unit)} {escape(line.label(lang))}"
            if state:
                parts = (
                    ("reserved", "已预留"),
                    ("issued", "已发放"),
                    ("on_order", "在途"),
                )
                shown = [
                    f"{zh if lang == 'zh' else en.replace('_', ' ')} {state[en]}"
                    for en, zh in parts
                    if state.get(en)
                ]
                if shown:
                    text += " — " + " · ".join(shown)
            rows.append(text)
        title = "申领物品" if lang == "zh" else "Items"
        out = [f"*{title}*\n" + "\n".join(rows)] if rows else []
        total = computed.get("purchase_total")
        if total:
            label = "采购金额" if lang == "zh" else "Purchase total"
            out.append(f"*{label}*\n{total} {computed.get('currency') or ''}".rstrip())
        return out

    def task_fields(
        self, ctx: HookContext, request_id: int, step: str | None, declared: Sequence[FieldSpec]
    ) -> list[FieldSpec]:
        request = requests_repo.get(ctx.session, request_id)
        steps = ctx.policy.section(SuppliesPolicy).steps
        if request is None or step not in (steps["purchase"], steps["receive"], steps["issue"]):
            return list(declared)
        lines = lines_of(request.payload)
        states = line_states(ctx.session, request_id, lines)
        currency = ctx.policy.section(SuppliesPolicy).currency
        extra: list[FieldSpec] = []
        for line, state in zip(lines, states, strict=True):
            en, zh = line.label("en"), line.label("zh")
            if step == steps["purchase"] and state.uncovered > 0:
                n = state.uncovered
                extra.append(
                    FieldSpec(
                        id=f"qty_{line.index}",
                        type="number",
                        label=_text(
                            f"{en}: buy (short {n} {line.unit})",
                            f"{zh}：采购数量（缺 {n} {line.unit}）",
                        ),
                        min=Decimal(n),
                        max=Decimal(100_000),
                    )
                )
                extra.append(
                    FieldSpec(
                        id=f"price_{line.index}",
                        type="money",
                        label=_text(f"{en}: unit price", f"{zh}：单价"),
                        min=Decimal("0.01"),
                        currencies=[currency],
                    )
                )
            elif step == steps["receive"] and state.on_order > 0:
                n = state.on_order
                extra.append(
                    FieldSpec(
                        id=f"qty_{line.index}",
                        type="number",
                        label=_text(
                            f"{en}: received (on order {n} {line.unit})",
                            f"{zh}：到货数量（在途 {n} {line.unit}）",
                        ),
                        min=Decimal(0),
                        max=Decimal(n),
                    )
                )
            elif step == steps["issue"] and state.reserved > 0:
                n = state.reserved
                extra.append(
                    FieldSpec(
                        id=f"qty_{line.index}",
                        type="number",
                        label=_text(
                            f"{en}: issue now (reserved {n} {line.unit})",
                            f"{zh}：本次发放（已预留 {n} {line.unit}）",
                        ),
                        min=Decimal(0),
                        max=Decimal(n),
                    )
                )
        return [*declared, *extra]

    def on_task(self, ctx: HookContext, outcome: TaskOutcome) -> Directive | None:
        request = requests_repo.get(ctx.session, outcome.request_id)
        if request is None:
            return None
        policy = ctx.policy.section(SuppliesPolicy)
        steps = policy.steps
        lines = lines_of(request.payload)
        mover = Mover(ctx.session, ctx.now, outcome.actor, ctx.jobs)
        values = outcome.captured.get(outcome.actor, {})
        restock = bool(request.payload.get("restock"))  # bought for the shelf, not for a person
        target: str | None = None
        reason: str | None = None
        if outcome.step == steps["approve"] and outcome.result == "approved":
            short = sum(s.uncovered for s in line_states(ctx.session, request.id, lines))
            if not restock:
                short = reserve_what_is_there(mover, request.id, lines)
            target = steps["purchase"] if short else steps["issue"]
        elif outcome.step == steps["purchase"]:
            self._order(mover, request, lines, values, policy.currency)
            total = purchase_total(lines, values)
            _note(request, purchase_total=str(total), currency=policy.currency)
            target = steps["finance"] if total > policy.finance_approval_above else steps["receive"]
            if target == steps["finance"] and not _has_step(ctx, request, target):
                target = steps["receive"]
        elif outcome.step == steps["receive"]:
            received = self._receive(mover, request, lines, values, reserve=not restock)
            reason = None if received else REASONS["nothing_received"]
            if restock:
                _keep_state(ctx, request, lines)
                still = any(s.on_order > 0 for s in line_states(ctx.session, request.id, lines))
                if not still:
                    return Finish()  # on the shelf: nothing to issue, nobody to confirm
                return SendBack(steps["receive"], reason or REASONS["rest_on_order"])
            target, reason = _next(ctx, request, lines, steps, reason)
        elif outcome.step == steps["issue"]:
            self._issue(mover, request, lines, values)
            target, reason = _next(ctx, request, lines, steps, None)
        _keep_state(ctx, request, lines)
        if target is None:
            return None
        return _towards(ctx, request, outcome.position, target, reason)

    def on_closed(
        self, ctx: HookContext, request_id: int, payload: Mapping[str, Any], state: str
    ) -> None:
        mover = Mover(ctx.session, ctx.now, "system", ctx.jobs)
        release_all(mover, request_id, lines_of(payload), f"request {state}")
        request = requests_repo.get(ctx.session, request_id)
        if request is not None:
            _keep_state(ctx, request, lines_of(payload))

    # -- the ledger at each task -------------------------------------------------------------

    def _order(
        self,
        mover: Mover,
        request: Request,
        lines: list[Line],
        values: Mapping[str, Any],
        currency: str,
    ) -> None:
        supplier = str(values.get("supplier") or "")[:200] or None
        for line in lines:
            quantity = _number(values.get(f"qty_{line.index}"))
            if quantity <= 0:
                continue
            price = values.get(f"price_{line.index}")
            amount = Decimal(str(price.get("amount"))) if isinstance(price, Mapping) else None
            mover.move(
                Kind.ORDERED,
                quantity,
                item_id=line.item_id,
                request_id=request.id,
                line=line.index,
                reason=f"expected {values.get('expected')}",
                supplier=supplier,
                unit_price=amount,
                currency=currency if amount is not None else None,
            )

    def _receive(
        self,
        mover: Mover,
        request: Request,
        lines: list[Line],
        values: Mapping[str, Any],
        *,
        reserve: bool,
    ) -> int:
        """Enter what passed inspection into stock and reserve what the request still needs;
        a failed inspection enters nothing and leaves it all on order."""
        if values.get("inspection") != "passed":
            return 0
        states = line_states(mover.session, request.id, lines)
        total = 0
        for line, state in zip(lines, states, strict=True):
            quantity = _number(values.get(f"qty_{line.index}"))
            if quantity <= 0:
                continue
            where = {"item_id": line.item_id, "request_id": request.id, "line": line.index}
            mover.move(Kind.RECEIVED, quantity, field=f"qty_{line.index}", **where)  # type: ignore[arg-type]
            if reserve:
                need = max(line.quantity - state.issued - state.reserved, 0)
                mover.move(Kind.RESERVED, min(need, quantity), **where)  # type: ignore[arg-type]
            total += quantity
        return total

    def _issue(
        self, mover: Mover, request: Request, lines: list[Line], values: Mapping[str, Any]
    ) -> None:
        issued = 0
        for line in lines:
            quantity = _number(values.get(f"qty_{line.index}"))
            if quantity <= 0:
                continue
            mover.move(
                Kind.ISSUED,
                quantity,
                item_id=line.item_id,
                request_id=request.id,
                line=line.index,
                field=f"qty_{line.index}",
                reason=f"issued to {request.requester}",
            )
            issued += quantity
        if not issued:
            first = next((f"qty_{line.index}" for line in lines), None)
            raise InvalidInput("supplies.error.issue_nothing", field=first)


def _next(
    ctx: HookContext,
    request: Request,
    lines: list[Line],
    steps: Mapping[str, str],
    reason: str | None,
) -> tuple[str, str | None]:
    """Where a request goes once stock moved: everything handed over → the requester
    confirms; something reserved → issue it; something on order → receive it; else buy."""
    states = line_states(ctx.session, request.id, lines)
    if all(s.outstanding == 0 for s in states):
        return steps["confirm"], None
    if any(s.reserved > 0 for s in states):
        return steps["issue"], REASONS["rest_reserved"]
    if any(s.on_order > 0 for s in states):
        return steps["receive"], reason or REASONS["rest_on_order"]
    return steps["purchase"], None


def _has_step(ctx: HookContext, request: Request, step_id: str) -> bool:
    spec = ctx.policy.procedure(request.procedure)
    if spec is None:
        return False
    index = spec.step_index(step_id)
    return index is not None and any(
        s.spec_index == index for s in requests_repo.steps(ctx.session, request)
    )


def _towards(
    ctx: HookContext, request: Request, position: int, target: str, reason: str | None
) -> Directive | None:
    """The directive that takes the case from the step at `position` to step `target`."""
    spec = ctx.policy.procedure(request.procedure)
    assert spec is not None
    index = spec.step_index(target)
    if index is None:
        return None
    found = next(
        (s for s in requests_repo.steps(ctx.session, request) if s.spec_index == index), None
    )
    if found is None:
        return None  # the installation's chain has no such step: go on as declared
    if found.position == position + 1:
        return None
    if found.position > position:
        return GoTo(target)
    return SendBack(target, reason)


def _note(request: Request, **values: Any) -> None:
    request.computed = {**(request.computed or {}), **values}


def _keep_state(ctx: HookContext, request: Request, lines: list[Line]) -> None:
    """The card shows where each line stands; it reads this copy (the ledger is the truth)."""
    states = line_states(ctx.session, request.id, lines)
    _note(request, stock=[_state_dict(s) for s in states])


def _state_dict(state: LineState) -> dict[str, int]:
    return {"reserved": state.reserved, "issued": state.issued, "on_order": state.on_order}
