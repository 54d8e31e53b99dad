"""`/risk indicators` and `/risk indicator add|link|token`: the risk role declares indicators
beside the policy's, links one to the risk whose plan it starts, and makes its HTTP token."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import ValidationError

from handlers.interaction import Interaction
from procedures.errors import InvalidInput, NotAllowed
from procedures.form_display import escape
from procedures.policy.common import Text
from procedures.risks import indicators, register
from procedures.risks.policy import IndicatorSpec, RisksPolicy
from slackui import blocks as b
from slackui.views import risks as views
from store import risks_repo

KEY = re.compile(r"^[a-z][a-z0-9_-]{0,47}$")


def list_indicators(i: Interaction, _rest: str) -> None:
    deps, t = i.deps, i.t
    section = deps.policy.section(RisksPolicy)
    i.run(lambda ctx: indicators.sync_policy_indicators(ctx, section))
    with deps.sessions.read() as session:
        rows = risks_repo.indicators(session)
    lines = [views.indicator_line(r, t) for r in rows] or [t("risks.indicator.none")]
    i.reply("\n".join(lines), b.to_dicts(b.sections(lines)))


def indicator(i: Interaction, rest: str) -> None:
    word, _, args = rest.partition(" ")
    handler = {"add": _add, "link": _link, "token": _token}.get(word.lower())
    if handler is None:
        raise InvalidInput("risks.error.indicator_usage")
    handler(i, args.strip())


def _require_risk_role(i: Interaction) -> None:
    with i.deps.sessions.read() as session:
        from store.directory import Directory

        if not Directory(session).has_role(i.user, "risk"):
            raise NotAllowed("risks.error.risk_role")


def _add(i: Interaction, args: str) -> None:
    """`add <key> <warning> <critical> [lower] [every=<days>] [RK-n] <name…>`"""
    _require_risk_role(i)
    parts = args.split()
    if len(parts) < 4 or not KEY.match(parts[0].lower()):
        raise InvalidInput("risks.error.indicator_usage")
    key = parts[0].lower()
    warning, critical = indicators.parse_value(parts[1]), indicators.parse_value(parts[2])
    direction: Literal["higher", "lower"] = "higher"
    every = 30
    risk_ref: str | None = None
    name_words: list[str] = []
    for word in parts[3:]:
        lowered = word.lower()
        if lowered in ("lower", "higher") and not name_words:
            direction = "lower" if lowered == "lower" else "higher"
        elif lowered.startswith("every=") and lowered[6:].isdigit():
            every = int(lowered[6:])
        elif register.parse_number(word) is not None and lowered.startswith("rk"):
            risk_ref = word
        else:
            name_words.append(word)
    name = " ".join(name_words)[:100] or key
    try:
        spec = IndicatorSpec(
            id=key,
            name=Text(en=name, zh=name),
            direction=direction,
            warning=warning,
            critical=critical,
            approaching=Decimal(0),
            every_days=max(1, min(every, 366)),
        )
    except ValidationError:
        raise InvalidInput("risks.error.thresholds", direction=direction) from None

    def work(ctx: Any) -> str:
        risk_id = register.find(ctx, risk_ref).id if risk_ref else None
        return indicators.add_indicator(ctx, i.user, spec, risk_id)

    token = i.run(work)
    i.reply(_token_text(i, key, token, added=True))


def _link(i: Interaction, args: str) -> None:
    _require_risk_role(i)
    key, _, ref = args.partition(" ")
    if not key or not ref.strip():
        raise InvalidInput("risks.error.indicator_usage")
    section = i.deps.policy.section(RisksPolicy)

    def work(ctx: Any) -> str:
        indicators.sync_policy_indicators(ctx, section)
        row = risks_repo.indicator(ctx.session, key.lower())
        if row is None:
            raise InvalidInput("risks.error.no_such_indicator", key=escape(key[:48]))
        risk = register.find(ctx, ref)
        row.risk_id = risk.id
        return views.number(risk)

    number = i.run(work)
    i.reply(i.t("risks.indicator.linked", key=escape(key.lower()[:48]), number=number))


def _token(i: Interaction, args: str) -> None:
    key = args.strip().lower()
    if not key:
        raise InvalidInput("risks.error.indicator_usage")
    section = i.deps.policy.section(RisksPolicy)

    def work(ctx: Any) -> str:
        indicators.sync_policy_indicators(ctx, section)
        return indicators.new_token(ctx, i.user, key)

    token = i.run(work)
    i.reply(_token_text(i, key, token, added=False))


def _token_text(i: Interaction, key: str, token: str, *, added: bool) -> str:
    url = f"https://YOUR-HOST/api/indicators/{key}/values"
    curl = (
        f"curl -X POST {url} -H 'Authorization: Bearer {token}' "
        "-H 'Content-Type: application/json' -d '{\"value\": 4.2}'"
    )
    head = i.t("risks.indicator.added" if added else "risks.indicator.token", key=key)
    return f"{head}\n```{curl}```"
