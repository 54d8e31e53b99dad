"""Budget adjustments in Slack: the route is the engine's (`/procedo new budget`); this module
answers `/procedo budget [department] [year]` with the department's lines and adjustments."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.respond import Respond

from handlers.deps import Deps
from handlers.modules import ProcedureModule
from procedures.budget import DOMAIN
from procedures.budget.lines import lines, may_see
from procedures.errors import InvalidInput, NotAllowed
from procedures.policy import Policy
from slackui.commands import HelpEntry, Subcommand
from slackui.views import budget as views
from store.directory import Directory


def _enabled(policy: Policy) -> bool:
    spec = policy.procedure("budget")
    return spec is not None and spec.enabled


def _budget(deps: Deps, user: str, respond: Respond, rest: str, **_: Any) -> None:
    me = deps.people.view(user)
    admin = deps.is_bot_admin(user)  # its own unit of work: before ours opens
    words = rest.split()
    year = deps.clock.now().astimezone(deps.org_tz()).year
    if words and words[-1].isdigit() and len(words[-1]) == 4:
        year = int(words.pop())
    if len(words) > 1:
        raise InvalidInput("budget.usage")
    with deps.sessions.read() as session:
        directory = Directory(session)
        if words:
            dept = directory.department(words[0].lower()[:48])
            if dept is None:
                raise InvalidInput("budget.error.no_such_department", department=words[0][:48])
        else:
            dept = directory.department_of(user)
            if dept is None:
                raise InvalidInput("budget.error.no_department")
        if not may_see(session, user, dept.id, admin):
            raise NotAllowed("budget.error.not_visible", department=dept.name(me.t.lang))
        found = lines(session, deps.policy, dept.id, year)
    blocks = views.lines_blocks(me.t, dept.name(me.t.lang), year, found)
    respond(
        text=me.t("budget.title", department=dept.name(me.t.lang), year=year),
        blocks=blocks,
        response_type="ephemeral",
    )


MODULE = ProcedureModule(
    domain=DOMAIN,
    help=(HelpEntry("/procedo budget", "help.procedo.budget", "/procedo budget ops 2026"),),
    subcommands=(Subcommand("budget", _budget, aliases=("预算",)),),
    enabled=_enabled,
)
