"""`/supply`: the request form (several lines), the one-line quick path with Submit / Edit,
and the subcommands (stock, mine, pending, export); the low-stock alert, the count form opened
from the quarterly prompt, and `procedo supplies import|export`."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from slack_bolt import App
from sqlalchemy.exc import IntegrityError

from handlers import supplies_cli as cli
from handlers import supplies_count as count
from handlers import supplies_info as info
from handlers.deps import Deps
from handlers.interaction import Interaction, listener, run
from handlers.modules import ProcedureModule
from procedures import requests
from procedures.errors import InvalidInput, NotFound
from procedures.policy import Policy
from procedures.policy.procedures import ProcedureSpec
from procedures.supplies import DOMAIN
from procedures.supplies.policy import SuppliesPolicy
from procedures.supplies.quick import Candidate, clean, parse_quick
from procedures.supplies.stock import Line
from slackui.commands import HelpEntry
from slackui.views import supplies as views
from slackui.views.supplies import OTHER, SupplyAction, SupplyCallback
from store import supplies_repo
from store.models import ProcessedEvent

PURPOSE_MAX = 500


def _spec(policy: Policy) -> ProcedureSpec | None:
    spec = policy.procedure(policy.section(SuppliesPolicy).procedure)
    return spec if spec is not None and spec.enabled else None


def _enabled(policy: Policy) -> bool:
    return _spec(policy) is not None


def register(app: App, deps: Deps) -> None:
    spec = _spec(deps.policy)
    assert spec is not None  # `_enabled` said so
    on = listener(deps)
    subcommands = info.subcommands(deps)

    @app.command("/supply")
    @on
    def supply_command(i: Interaction) -> None:
        i.ack()
        text = clean(i.body.get("text") or "", 500)
        if not text:
            deps.client.views_open(
                trigger_id=i.body["trigger_id"], view=info.request_form(deps, i.t)
            )
            return
        word, _, rest = text.partition(" ")
        handler = subcommands.get(word.lower())
        if handler is not None:
            handler(i, rest.strip())
            return
        _quick(deps, i, text)

    @app.action(SupplyAction.SUBMIT)
    @on
    def quick_submit(i: Interaction) -> None:
        payload = _payload_from_button(i)
        i.ack()
        container = i.body.get("container") or {}
        key = f"supply:{i.user}:{container.get('channel_id')}:{container.get('message_ts')}"

        def claim(session: Any) -> None:
            # One request per summary: a double click on Submit files it once.
            session.add(ProcessedEvent(event_id=key[:64], received_at=deps.clock.now()))
            session.flush()

        try:
            run(deps, lambda ctx: requests.submit(ctx, spec, i.user, payload), claim=claim)
        except IntegrityError:
            i.reply(i.t("supplies.quick.already"))
            return
        assert i.respond is not None
        i.respond(
            text=i.t("supplies.quick.submitted"), replace_original=True, response_type="ephemeral"
        )

    @app.action(SupplyAction.EDIT)
    @on
    def quick_edit(i: Interaction) -> None:
        i.ack()
        initial = _payload_from_button(i)
        deps.client.views_open(
            trigger_id=i.body["trigger_id"], view=info.request_form(deps, i.t, initial=initial)
        )

    @app.action(SupplyAction.ADD_LINE)
    @on
    def add_line(i: Interaction) -> None:
        i.ack()
        meta = json.loads(i.view.get("private_metadata") or "{}")
        count = int(meta.get("lines", 3))
        rows, purpose = views.read_form(i.view.get("state", {}).get("values", {}), count)
        lines = [_raw_line(deps, row) for row in rows]
        initial = {"lines": lines, "purpose": purpose, "restock": meta.get("restock", False)}
        updated = info.request_form(deps, i.t, initial=initial, lines=min(count + 1, 10))
        deps.client.views_update(view_id=i.view["id"], hash=i.view.get("hash"), view=updated)

    @app.view(SupplyCallback.FORM)
    @on
    def form_submitted(i: Interaction) -> None:
        meta = json.loads(i.view.get("private_metadata") or "{}")
        count = min(int(meta.get("lines", 3)), 20)
        rows, purpose = views.read_form(i.view["state"]["values"], count)
        with deps.sessions.read() as session:
            known = {item.id: item for item in supplies_repo.items(session)}
        lines, errors = _lines(i, rows, known)
        purpose = clean(purpose, PURPOSE_MAX)
        if not purpose:
            errors["purpose"] = i.t("supplies.error.purpose")
        if not lines and not errors:
            errors["line0:item"] = i.t("supplies.error.no_lines")
        if errors:
            i.field_errors(errors)
            return
        payload: dict[str, Any] = {
            "lines": [line.to_payload() for line in lines],
            "purpose": purpose,
        }
        if meta.get("restock"):
            payload["restock"] = True
        try:
            i.run(lambda ctx: requests.submit(ctx, spec, i.user, payload), once=True)
        except InvalidInput as exc:
            i.field_errors({_block_for(exc): i.t(exc.key, **exc.params)})
            return
        i.ack()

    info.register(app, deps)
    count.register(app, deps)


def _payload_from_button(i: Interaction) -> dict[str, Any]:
    try:
        payload = json.loads(str(i.body["actions"][0]["value"]))
    except (KeyError, IndexError, ValueError):
        raise NotFound("supplies.error.gone") from None
    if not isinstance(payload, dict):
        raise NotFound("supplies.error.gone")
    return payload


def _block_for(error: InvalidInput) -> str:
    field = error.field or "purpose"
    if field.startswith("line"):
        part = (
            "item"
            if error.key in ("supplies.error.discontinued", "supplies.error.unknown_item")
            else "qty"
        )
        return f"{field}:{part}"
    return field


def _raw_line(deps: Deps, row: dict[str, Any]) -> dict[str, Any]:
    """A half-filled line kept across "Add a line" as the form shows it again."""
    item = row.get("item")
    quantity: Any = row.get("qty") or ""
    if item == OTHER:
        return {"item": None, "name": row.get("other") or "", "spec": "", "quantity": quantity}
    return {"item": int(item) if item and str(item).isdigit() else "", "quantity": quantity}


def _quantity(text: str) -> int | None:
    try:
        value = Decimal(text.replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value != value.to_integral_value() or not 1 <= value <= 100_000:
        return None
    return int(value)


def _lines(
    i: Interaction, rows: list[dict[str, Any]], known: dict[int, Any]
) -> tuple[list[Line], dict[str, str]]:
    t = i.t
    lines: list[Line] = []
    errors: dict[str, str] = {}
    for n, row in enumerate(rows):
        item, qty, other = row["item"], row["qty"], clean(row["other"], 200)
        if not item and not qty and not other:
            continue
        if not item:
            errors[f"line{n}:item"] = t("supplies.error.pick_item")
            continue
        quantity = _quantity(qty)
        if quantity is None:
            errors[f"line{n}:qty"] = t("supplies.error.quantity_field")
            continue
        if item == OTHER:
            if not other:
                errors[f"line{n}:other"] = t("supplies.error.free_name")
                continue
            lines.append(Line(len(lines), None, other, other, "", "", quantity))
            continue
        found = known.get(int(item)) if str(item).isdigit() else None
        if found is None:
            errors[f"line{n}:item"] = t("supplies.error.unknown_item")
            continue
        lines.append(
            Line(
                len(lines), found.id, found.name_en, found.name_zh, found.spec, found.unit, quantity
            )
        )
    return lines, errors


def _quick(deps: Deps, i: Interaction, text: str) -> None:
    t = i.t
    with deps.sessions.read() as session:
        items = info.item_rows(session)
    candidates = [
        Candidate(item.id, tuple(x for x in (item.name_en, item.name_zh, item.sku) if x))
        for item in items  # discontinued ones too: they are refused, saying so
    ]
    quick = parse_quick(text, candidates)
    purpose = clean(quick.purpose, PURPOSE_MAX)
    if quick.item_id is None:
        payload = {
            "lines": [{"item": None, "name": quick.text, "spec": "", "quantity": quick.quantity}],
            "purpose": purpose,
        }
        i.reply(t("supplies.quick.title"), views.unknown_item(t, quick.text, payload))
        return
    row = next(item for item in items if item.id == quick.item_id)
    line = Line(0, row.id, row.name_en, row.name_zh, row.spec, row.unit, quick.quantity)
    payload = {"lines": [line.to_payload()], "purpose": purpose}
    spec = _spec(deps.policy)
    assert spec is not None
    with deps.sessions.begin() as session:
        ctx = deps.engine_context(session)
        _, problems = requests.check(ctx, spec, i.user, payload)
    problems = [p for p in problems if p.field != "purpose"]
    if problems:
        raise problems[0]
    if not purpose:
        raise InvalidInput("supplies.error.quick_purpose")
    blocks = views.quick_summary(t, line, max(row.balance.available, 0), purpose, payload)
    i.reply(t("supplies.quick.title"), blocks)


MODULE = ProcedureModule(
    domain=DOMAIN,
    commands=("/supply",),
    help=(
        HelpEntry("/supply", "help.supply", "/supply 2 A4纸 打印合同"),
        HelpEntry("/supply stock", "help.supply.stock", "/supply stock paper"),
        HelpEntry("/supply mine", "help.supply.mine", "/supply mine"),
        HelpEntry("/supply pending", "help.supply.pending", "/supply pending"),
        HelpEntry("/supply item", "help.supply.item", "/supply item A4 paper"),
    ),
    listeners=register,
    jobs=info.jobs,
    openers=count.openers,
    home=info.home_section,
    cli=cli.CLI,
    demo=cli.load_demo,
    enabled=_enabled,
)
