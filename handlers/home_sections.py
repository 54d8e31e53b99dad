"""What the App Home shows besides who you are: your approvals and your requests (each
procedure module may add its own section)."""

from __future__ import annotations

from typing import Any

from handlers.deps import Deps
from procedures.request_view import snapshot
from slackui import blocks as b
from slackui.ids import Action
from slackui.views.request_lists import mine_blocks
from store import requests_repo


def requests_section(deps: Deps, user: str) -> list[dict[str, Any]]:
    me = deps.people.view(user, refresh=False)
    with deps.sessions.begin() as session:
        waiting = len(requests_repo.pending_for(session, user))
        mine = [
            snapshot(session, deps.policy, request)
            for request in requests_repo.mine(session, user, limit=5)
            if deps.policy.procedure(request.procedure)
        ]
    out: list[Any] = [b.divider(), b.section(me.t("home.pending", count=waiting))]
    offered = [
        (spec.id, me.t.pick(spec.name.model_dump()))
        for spec in deps.policy.active_procedures()
        if spec.offered
    ]
    offered += [(f.id, me.t(f.name_key)) for f in deps.commands.forms if f.opener in deps.openers]
    # action_ids must differ within one actions block
    buttons = [
        b.button(name, f"{Action.REQUEST_NEW}:{form_id}", form_id) for form_id, name in offered
    ]
    if buttons:
        out.append(b.context(me.t("home.new")))
        out.append(b.actions(*buttons[:25]))
    blocks = b.to_dicts(out)
    if mine:
        blocks += mine_blocks(mine, me.t, me.tz)[1:]  # without its header
    return blocks
