"""What `/supply` shows besides the request itself: stock, my requests, what waits on
administration, CSV exports, the App Home section, the low-stock alert with its button, the
count form (opened from the quarterly prompt), and the `procedo supplies` commands."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from slack_bolt import App
from sqlalchemy.orm import Session

from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from procedures.errors import InvalidInput, NotAllowed, NotFound
from procedures.form_display import escape
from procedures.supplies import catalogue, queries
from procedures.supplies.policy import SuppliesPolicy
from procedures.supplies.stock import LOW_STOCK
from scheduler.registry import JobHandler
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.views import supplies as views
from slackui.views import supplies_admin as admin_views
from slackui.views.supplies import ItemRow, SupplyAction, SupplyCallback
from store import supplies_repo
from store.directory import Directory
from store.jobs import ClaimedJob

COUNT_OPENER = "supplies-count"
Sub = Callable[[Interaction, str], None]


def item_rows(session: Session, query: str = "") -> list[ItemRow]:
    return [
        ItemRow(
            id=s.item.id,
            name_en=s.item.name_en,
            name_zh=s.item.name_zh,
            spec=s.item.spec,
            unit=s.item.unit,
            category=s.item.category,
            reorder_level=s.item.reorder_level,
            balance=s.balance,
            discontinued=s.item.discontinued,
            sku=s.item.sku,
        )
        for s in queries.stock(session, query)
    ]


def request_form(
    deps: Deps,
    t: Translator,
    *,
    initial: dict[str, Any] | None = None,
    lines: int = 3,
) -> dict[str, Any]:
    """The request form in `t`'s language (the interaction's: once acked it is the user's
    Slack language even the first time)."""
    spec = deps.policy.procedure(deps.policy.section(SuppliesPolicy).procedure)
    with deps.sessions.read() as session:
        items = item_rows(session)
    return views.form_modal(t, items, lines=lines, initial=initial, cite=spec.cite if spec else "")


def is_admin(deps: Deps, user: str) -> bool:
    with deps.sessions.read() as session:
        directory = Directory(session)
        return directory.has_role(user, "admin") or directory.has_role(user, "bot_admin")


# -- subcommands ------------------------------------------------------------------------------


def subcommands(deps: Deps) -> dict[str, Sub]:
    def stock(i: Interaction, rest: str) -> None:
        with deps.sessions.read() as session:
            rows = item_rows(session, rest)
        admin = is_admin(deps, i.user)
        i.reply(
            i.t("supplies.stock.title", count=len(rows)),
            views.stock_blocks(i.t, rows, query=rest, admin=admin),
        )

    def mine(i: Interaction, _rest: str) -> None:
        t = i.t
        with deps.sessions.read() as session:
            found = queries.mine(session, deps.policy, i.user)
        lines = [_request_line(t, r) for r in found]
        i.reply(
            t("supplies.mine.title"),
            views.list_blocks(t, t("supplies.mine.title"), lines, t("supplies.mine.none")),
        )

    def pending(i: Interaction, _rest: str) -> None:
        if not is_admin(deps, i.user):
            raise NotAllowed("supplies.error.admin_only")
        t = i.t
        with deps.sessions.read() as session:
            waiting = queries.pending(session, deps.policy)
            low = queries.low(session)
        lines = []
        for kind in ("purchase", "receive", "issue"):
            for r in waiting.get(kind, []):
                lines.append(
                    t(
                        f"supplies.pending.{kind}",
                        number=r.number,
                        requester=r.request.requester,
                        items=_items(t, r.lines),
                    )
                )
        for s in low:
            lines.append(
                t(
                    "supplies.pending.low",
                    item=escape(s.item.name_zh if t.lang == "zh" else s.item.name_en),
                    available=s.balance.available,
                    level=s.item.reorder_level,
                    unit=escape(s.item.unit),
                )
            )
        blocks = views.list_blocks(
            t, t("supplies.pending.title"), lines, t("supplies.pending.none")
        )
        blocks += b.to_dicts(
            [b.actions(b.button(t("supplies.export.button"), SupplyAction.EXPORT, "all"))]
        )
        i.reply(t("supplies.pending.title"), blocks)

    def export(i: Interaction, _rest: str) -> None:
        _export(deps, i)

    def item(i: Interaction, rest: str) -> None:
        """`/supply item <name or sku>`: the admin role edits one catalogue item."""
        if not is_admin(deps, i.user):
            raise NotAllowed("supplies.error.admin_only")
        with deps.sessions.read() as session:
            found = _find_item(session, rest)
            values = {
                name: getattr(found, name) for name in (*admin_views.ITEM_FIELDS, "discontinued")
            }
            item_id, sku = found.id, found.sku
        view = admin_views.item_modal(i.t, item_id, values, sku)
        deps.client.views_open(trigger_id=i.body["trigger_id"], view=view)

    def help_(i: Interaction, _rest: str) -> None:
        i.reply(i.t("supplies.help"))

    return {
        "stock": stock,
        "库存": stock,
        "mine": mine,
        "我的": mine,
        "pending": pending,
        "待办": pending,
        "export": export,
        "item": item,
        "物品": item,
        "help": help_,
        "帮助": help_,
    }


def _find_item(session: Session, text: str) -> Any:
    """The one item `text` names: its sku or a name exactly, else the only one containing it."""
    wanted = text.strip().lower()
    if not wanted:
        raise InvalidInput("supplies.error.item_which")
    items = supplies_repo.items(session)
    exact = [
        item
        for item in items
        if wanted in {(item.sku or "").lower(), item.name_en.lower(), item.name_zh.lower()}
    ]
    near = exact or [
        item for item in items if wanted in item.name_en.lower() or wanted in item.name_zh.lower()
    ]
    if len(near) != 1:
        names = ", ".join(f"{item.name_en} ({item.sku or item.key})" for item in near[:10])
        raise InvalidInput(
            "supplies.error.item_which" if not near else "supplies.error.item_many", names=names
        )
    return near[0]


def _items(t: Translator, lines: list[Any]) -> str:
    return t.join(views.line_text(t, line) for line in lines[:5])


def _request_line(t: Translator, r: queries.RequestLine) -> str:
    state = (
        t(f"supplies.state.{r.step_id}") if r.step_id else t(f"supplies.state.{r.request.state}")
    )
    return t("supplies.mine.line", number=r.number, items=_items(t, r.lines), state=state)


def _export(deps: Deps, i: Interaction) -> None:
    if not is_admin(deps, i.user):
        raise NotAllowed("supplies.error.admin_only")
    i.ack()
    now = deps.clock.now()
    with deps.sessions.read() as session:
        tz = deps.org_tz(session)
        ledger = queries.ledger_csv(session, deps.policy, tz)
        consumption = queries.consumption_csv(session, deps.policy, tz)
    stamp = queries.stamp(now, tz)
    t = i.t
    deps.deliver.upload(
        i.user,
        filename=f"supplies-ledger-{stamp}.csv",
        content=ledger,
        title=t("supplies.export.ledger"),
    )
    deps.deliver.upload(
        i.user,
        filename=f"supplies-consumption-{stamp}.csv",
        content=consumption,
        title=t("supplies.export.consumption"),
    )
    i.reply(t("supplies.export.sent"))


# -- listeners --------------------------------------------------------------------------------


def register(app: App, deps: Deps) -> None:
    on = listener(deps)

    @app.action(SupplyAction.EXPORT)
    @on
    def export_clicked(i: Interaction) -> None:
        _export(deps, i)

    @app.action(SupplyAction.RESTOCK)
    @on
    def restock_clicked(i: Interaction) -> None:
        if not is_admin(deps, i.user):
            raise NotAllowed("supplies.error.admin_only")
        i.ack()
        value = str(i.body["actions"][0]["value"])
        with deps.sessions.read() as session:
            item = supplies_repo.item(session, int(value)) if value.isdigit() else None
        if item is None:
            raise NotFound("supplies.error.gone")
        quantity = item.reorder_quantity or max(item.reorder_level, 1)
        t = i.t
        initial = {
            "lines": [{"item": item.id, "quantity": quantity}],
            "purpose": t("supplies.low.purpose"),
            "restock": True,
        }
        deps.client.views_open(
            trigger_id=i.body["trigger_id"],
            view=request_form(deps, i.t, initial=initial, lines=1),
        )

    @app.view(SupplyCallback.ITEM)
    @on
    def item_submitted(i: Interaction) -> None:
        if not is_admin(deps, i.user):
            raise NotAllowed("supplies.error.admin_only")
        meta = json.loads(i.view.get("private_metadata") or "{}")
        values = admin_views.read_item(i.view["state"]["values"])
        for name in ("reorder_level", "reorder_quantity", "per_request_limit"):
            if name in values:
                raw = str(values[name])
                if not raw.isdigit():
                    i.field_errors({f"item:{name}": i.t("supplies.error.count_number")})
                    return
                values[name] = int(raw)

        def work(ctx: Any) -> list[catalogue.Change]:
            found = supplies_repo.item(ctx.session, int(meta.get("item") or 0))
            if found is None:
                raise NotFound("supplies.error.gone")
            return catalogue.edit(ctx.session, found, values, actor=i.user, at=ctx.now)

        try:
            changes = i.run(work, once=True)
        except ValidationError as exc:
            errors = {
                f"item:{error['loc'][0]}": i.t("supplies.error.item_field")
                for error in exc.errors()
                if error["loc"]
                and str(error["loc"][0]) in (*admin_views.ITEM_FIELDS, "discontinued")
            }
            i.field_errors(errors or {"item:name_en": i.t("supplies.error.item_field")})
            return
        i.ack()
        i.reply(i.t("supplies.item.saved", count=len(changes)))


# -- the low-stock alert --------------------------------------------------------------------


def jobs(deps: Deps) -> dict[str, JobHandler]:
    return {LOW_STOCK: lambda job: _low_stock(deps, job)}


def _low_stock(deps: Deps, job: ClaimedJob) -> None:
    with deps.sessions.read() as session:
        item = supplies_repo.item(session, int(job.payload["item_id"]))
        channel = deps.channel_for(session, deps.policy.section(SuppliesPolicy).alert_channel)
        rows = [r for r in item_rows(session) if item is not None and r.id == item.id]
    if item is None or channel is None or not rows:
        return
    t = Translator(deps.org_language())
    blocks = admin_views.low_stock_blocks(t, rows[0], item.reorder_quantity)
    deps.deliver.post(
        channel,
        text=t("supplies.low.title", item=escape(rows[0].label(t.lang))),
        blocks=blocks,
    )


# -- App Home ----------------------------------------------------------------------------------


def home_section(deps: Deps, user: str) -> list[dict[str, Any]]:
    t = deps.people.translator(user, refresh=False)
    with deps.sessions.read() as session:
        mine = [r for r in queries.mine(session, deps.policy, user) if r.step_id]
        admin = Directory(session).has_role(user, "admin")
        waiting = queries.pending(session, deps.policy) if admin else {}
        low = queries.low(session) if admin else []
    lines = [t("supplies.home.mine", count=len(mine))]
    if admin:
        lines.append(
            t(
                "supplies.home.admin",
                purchase=len(waiting.get("purchase", [])),
                receive=len(waiting.get("receive", [])),
                issue=len(waiting.get("issue", [])),
                low=len(low),
            )
        )
    return b.to_dicts([b.section("\n".join(lines))])
