"""Rectification notices in Slack: the monthly digest to the quality role rides on the clock's
periodic prompt (`rectification-digest` in the policy), the way the attendance report does —
its DM carries every open notice, the overdue ones first."""

from __future__ import annotations

from typing import Any

from handlers.deps import Deps, PromptExtra
from handlers.modules import ProcedureModule
from procedures.form_display import escape
from procedures.policy import Policy
from procedures.rectification import DOMAIN
from procedures.rectification.digest import OpenNotice, open_notices
from slackui import blocks as b
from slackui.i18n import Translator

PROMPT = "rectification-digest"
SHOWN = 40  # lines in the DM; the rest are counted (Slack caps blocks per message)


def _prompt_extras(deps: Deps) -> dict[str, PromptExtra]:
    if deps.policy.prompt(PROMPT) is None:
        return {}
    return {PROMPT: lambda user, period: digest_blocks(deps, user)}


def _enabled(policy: Policy) -> bool:
    spec = policy.procedure("rectification")
    return spec is not None and spec.enabled


def _line(t: Translator, notice: OpenNotice) -> str:
    owner = f"<@{notice.owner}>" if notice.owner else t("common.none")
    deadline = notice.deadline.isoformat() if notice.deadline else t("common.none")
    # Typed by a person: escaped, so `<!channel>` in a problem never pings the quality group.
    problem = escape(b.clip(" ".join(notice.problem.split()), 80))
    key = "rectification.digest.overdue_line" if notice.overdue else "rectification.digest.line"
    return t(
        key,
        number=notice.number,
        owner=owner,
        deadline=deadline,
        problem=problem,
        step=notice.step + 1,
    )


def digest_blocks(deps: Deps, user: str) -> list[dict[str, Any]]:
    t = deps.people.translator(user, refresh=False)
    today = deps.clock.now().astimezone(deps.org_tz()).date()
    with deps.sessions.begin() as session:
        notices = open_notices(session, deps.policy, today)
    overdue = sum(1 for n in notices if n.overdue)
    head = t("rectification.digest.summary", open=len(notices), overdue=overdue)
    lines = [_line(t, n) for n in notices[:SHOWN]]
    if len(notices) > SHOWN:
        lines.append(t("rectification.digest.more", count=len(notices) - SHOWN))
    return (
        b.to_dicts([b.section(f"*{head}*"), *b.sections(lines)])
        if lines
        else b.to_dicts([b.section(f"*{head}*")])
    )


MODULE = ProcedureModule(domain=DOMAIN, prompt_extras=_prompt_extras, enabled=_enabled)
