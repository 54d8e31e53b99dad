"""Stock counts in Slack: the quarterly prompt's button opens a form listing every item with
what the ledger expects; handing it in files a count (with its variances for approval) and
answers the prompt."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import App

from handlers.deps import Deps, Opener
from handlers.interaction import Interaction, listener
from handlers.supplies_info import is_admin, item_rows, request_form
from procedures import prompt_runs, requests
from procedures.errors import InvalidInput, NotAllowed, NotFound
from procedures.supplies.policy import SuppliesPolicy
from procedures.supplies.quick import clean
from procedures.supplies.stock import balance_of
from slackui.views import supplies_admin as admin_views
from slackui.views.prompts import parse_prompt_value
from slackui.views.supplies import SupplyCallback
from store import supplies_repo

COUNT_OPENER = "supplies-count"


def register(app: App, deps: Deps) -> None:
    on = listener(deps)

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
    if not is_admin(deps, user):
        raise NotAllowed("supplies.error.admin_only")
    t = deps.people.translator(user, refresh=False)
    spec = deps.policy.procedure(deps.policy.section(SuppliesPolicy).count_procedure)
    with deps.sessions.read() as session:
        rows = item_rows(session)
    view = admin_views.count_modal(t, rows, spec.cite if spec else "")
    try:  # the prompt this count answers: handing it in marks it done
        prompt_id, period = parse_prompt_value(str(body["actions"][0]["value"]))
    except (KeyError, IndexError):
        prompt_id, period = "", ""
    meta = {**json.loads(view["private_metadata"]), "prompt": prompt_id, "period": period}
    view["private_metadata"] = json.dumps(meta, separators=(",", ":"))
    deps.client.views_open(trigger_id=body["trigger_id"], view=view)


def _open_request(deps: Deps, body: dict[str, Any]) -> None:
    t = deps.people.translator(body["user"]["id"])
    deps.client.views_open(trigger_id=body["trigger_id"], view=request_form(deps, t))


def openers(deps: Deps) -> dict[str, Opener]:
    """The count form (the quarterly prompt's button, and `/procedo new stock-count`) and the
    request form (`/procedo new supply`, the App Home's button)."""
    section = deps.policy.section(SuppliesPolicy)
    return {
        COUNT_OPENER: _open_count,
        f"new:{section.count_procedure}": _open_count,
        f"new:{section.procedure}": _open_request,
    }
