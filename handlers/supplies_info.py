"""What `/supply` shows besides the request itself: stock, my requests, what waits on
administration, CSV exports, the App Home section, the low-stock alert with its button, the
count form (opened from the quarterly prompt), and the `procedo supplies` commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import App
from sqlalchemy.orm import Session

from handlers.deps import Deps, Opener
from handlers.interaction import Interaction, listener
from handlers.modules import CliCommand, CliEnv
from procedures import prompt_runs, requests
from procedures.clock import Clock
from procedures.errors import InvalidInput, NotAllowed, NotFound
from procedures.form_display import escape
from procedures.supplies import catalogue, queries
from procedures.supplies.policy import SuppliesPolicy
from procedures.supplies.quick import clean
from procedures.supplies.stock import LOW_STOCK, balance_of, lines_of
from procedures.yaml_source import SourceError
from scheduler.registry import JobHandler
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.views import supplies as views
from slackui.views.prompts import parse_prompt_value
from slackui.views.supplies import ItemRow, SupplyAction, SupplyCallback
from store import supplies_repo
from store.db import Sessions
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
    user: str,
    *,
    initial: dict[str, Any] | None = None,
    lines: int = 3,
) -> dict[str, Any]:
    t = deps.people.translator(user, refresh=False)
    spec = deps.policy.procedure(deps.policy.section(SuppliesPolicy).procedure)
    with deps.sessions.read() as session:
        items = item_rows(session)
    return views.form_modal(t, items, lines=lines, initial=initial, cite=spec.cite if spec else "")


def _is_admin(deps: Deps, user: str) -> bool:
    with deps.sessions.read() as session:
        directory = Directory(session)
        return directory.has_role(user, "admin") or directory.has_role(user, "bot_admin")


# -- subcommands ------------------------------------------------------------------------------


def subcommands(deps: Deps) -> dict[str, Sub]:
    def stock(i: Interaction, rest: str) -> None:
        with deps.sessions.read() as session:
            rows = item_rows(session, rest)
        admin = _is_admin(deps, i.user)
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
        if not _is_admin(deps, i.user):
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
        "help": help_,
        "帮助": help_,
    }


def _items(t: Translator, lines: list[Any]) -> str:
    return t.join(views.line_text(t, line) for line in lines[:5])


def _request_line(t: Translator, r: queries.RequestLine) -> str:
    state = (
        t(f"supplies.state.{r.step_id}") if r.step_id else t(f"supplies.state.{r.request.state}")
    )
    return t("supplies.mine.line", number=r.number, items=_items(t, r.lines), state=state)


def _export(deps: Deps, i: Interaction) -> None:
    if not _is_admin(deps, i.user):
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
        if not _is_admin(deps, i.user):
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
            view=request_form(deps, i.user, initial=initial, lines=1),
        )

    @app.view(SupplyCallback.COUNT)
    @on
    def count_submitted(i: Interaction) -> None:
        meta = json.loads(i.view.get("private_metadata") or "{}")
        values = i.view["state"]["values"]
        counted: dict[int, int] = {}
        errors: dict[str, str] = {}
        for item_id in meta.get("items", []):
            block = f"count:{item_id}"
            raw = str(((values.get(block) or {}).get("value") or {}).get("value") or "").strip()
            if not raw.isdigit() or int(raw) > 1_000_000:
                errors[block] = i.t("supplies.error.count_number")
            else:
                counted[int(item_id)] = int(raw)
        if errors:
            i.field_errors(errors)
            return
        note = clean(str(((values.get("note") or {}).get("value") or {}).get("value") or ""), 500)
        spec = deps.policy.procedure(deps.policy.section(SuppliesPolicy).count_procedure)
        if spec is None:
            raise NotFound("request.error.unknown_procedure", procedure="stock-count")

        def work(ctx: Any) -> Any:
            # The ledger at the moment the count is handed in is what it is compared with.
            rows, shown = [], {}
            for item_id, quantity in counted.items():
                item = supplies_repo.item(ctx.session, item_id)
                if item is None:
                    continue
                expected = balance_of(ctx.session, item_id).on_hand
                rows.append({"item": item_id, "expected": expected, "counted": quantity})
                shown[str(item_id)] = {"en": item.name_en, "zh": item.name_zh}
            payload = {"counts": rows, "shown": shown, "note": note}
            request = requests.submit(ctx, spec, i.user, payload)
            if meta.get("prompt") and meta.get("period"):
                prompt_runs.mark_done(ctx.session, meta["prompt"], meta["period"], i.user, ctx.now)
            return request

        try:
            i.run(work, once=True)
        except InvalidInput as exc:
            i.field_errors({"note": i.t(exc.key, **exc.params)})
            return
        i.ack()


def _open_count(deps: Deps, body: dict[str, Any]) -> None:
    user = body["user"]["id"]
    if not _is_admin(deps, user):
        raise NotAllowed("supplies.error.admin_only")
    t = deps.people.translator(user, refresh=False)
    spec = deps.policy.procedure(deps.policy.section(SuppliesPolicy).count_procedure)
    with deps.sessions.read() as session:
        rows = item_rows(session)
    view = views.count_modal(t, rows, spec.cite if spec else "")
    try:  # the prompt this count answers: handing it in marks it done
        prompt_id, period = parse_prompt_value(str(body["actions"][0]["value"]))
    except (KeyError, IndexError):
        prompt_id, period = "", ""
    meta = {**json.loads(view["private_metadata"]), "prompt": prompt_id, "period": period}
    view["private_metadata"] = json.dumps(meta, separators=(",", ":"))
    deps.client.views_open(trigger_id=body["trigger_id"], view=view)


def openers(deps: Deps) -> dict[str, Opener]:
    return {COUNT_OPENER: _open_count}


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
    blocks = views.low_stock_blocks(t, rows[0], item.reorder_quantity)
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


# -- procedo supplies import | export ------------------------------------------------------------


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the catalogue: YAML, or CSV with a header row")


def run_import(args: argparse.Namespace, env: CliEnv) -> int:
    path: Path = args.file
    if not path.is_file():
        print(f"procedo: no such file: {path}", file=sys.stderr)
        return 2
    try:
        text = path.read_text(encoding="utf-8")
        changes = import_catalogue(text, path.name, env.sessions, env.clock, "cli")
    except SourceError as exc:
        print(exc.render() + "\nNothing was changed.", file=sys.stderr)
        return 1
    if not changes:
        print(f"{path}: no changes")
    else:
        print(f"{path}: {len(changes)} change{'s' if len(changes) != 1 else ''} applied:")
        for change in changes:
            print(f"  {change}")
    return 0


def import_catalogue(
    text: str, source: str, sessions: Sessions, clock: Clock, actor: str
) -> list[catalogue.Change]:
    rows = catalogue.parse(text, source)
    with sessions.begin() as session:
        return catalogue.apply(session, rows, actor=actor, at=clock.now(), source=source)


def _configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=("ledger", "consumption"), help="which CSV to write")
    parser.add_argument("-o", "--output", type=Path, help="the file to write (default: stdout)")


def run_export(args: argparse.Namespace, env: CliEnv) -> int:
    with env.sessions.read() as session:
        org = Directory(session).org()
        zone = ZoneInfo(org.timezone if org else "Asia/Shanghai")
        export = queries.ledger_csv if args.what == "ledger" else queries.consumption_csv
        content = export(session, env.policy, zone)
    if args.output:
        args.output.write_bytes(content)
        print(f"{args.output}: written")
    else:
        sys.stdout.write(content.decode("utf-8"))
    return 0


def load_demo(sessions: Sessions, clock: Clock) -> None:
    """`procedo local`: the demo catalogue, the first time (a kept database keeps its stock)."""
    with sessions.read() as session:
        if supplies_repo.items(session):
            return
    import_catalogue(
        catalogue.DEMO.read_text(encoding="utf-8"),
        "demo catalogue",
        sessions,
        clock,
        "procedo local",
    )


CLI = (
    CliCommand(
        "import", "import the supplies catalogue (all or nothing)", _configure_import, run_import
    ),
    CliCommand(
        "export",
        "write the stock ledger or consumption per department as CSV",
        _configure_export,
        run_export,
    ),
)

__all__ = [
    "CLI",
    "home_section",
    "item_rows",
    "jobs",
    "lines_of",
    "openers",
    "register",
    "subcommands",
]
