"""`/risk map` (the heatmap PNG) and `/risk export` (the register as CSV), sent to the user's
DM: the register is not for a shared channel. Drawn and uploaded after the ack."""

from __future__ import annotations

from collections import Counter
from typing import Any

from handlers.deps import Deps
from handlers.interaction import Interaction
from procedures.risks.policy import RisksPolicy
from procedures.spreadsheet import to_csv
from slackui.i18n import Translator
from slackui.views import risks as views
from slackui.views.risk_map import heatmap_png
from store import risks_repo
from store.directory import Directory
from store.models.risks import Risk

CSV_COLUMNS = (
    "number", "title", "category", "level", "likelihood", "impact", "score", "owner",
    "owner_id", "department", "strategy", "status", "next_review", "accepted_until",
    "description", "cause", "consequence", "measures",
)  # fmt: skip


def _open_risks(deps: Deps) -> list[Risk]:
    with deps.sessions.read() as session:
        return risks_repo.all_risks(session)


def post_map(i: Interaction, _rest: str) -> None:
    deps, user, t = i.deps, i.user, i.t
    risks = _open_risks(deps)
    counts = Counter((r.likelihood, r.impact) for r in risks)
    i.reply(t("risks.map.sent", count=len(risks)))
    today = deps.clock.now().astimezone(deps.org_tz()).date().isoformat()

    def send() -> None:
        png, in_language = heatmap_png(deps.policy.section(RisksPolicy), counts, t)
        comment = t("risks.map.comment", date=today)
        if not in_language:
            comment += "\n" + t("risks.map.no_cjk_font")
        _upload_to_dm(deps, user, f"risk-heatmap-{today}.png", png, comment)

    i.later(send)


def post_csv(i: Interaction, _rest: str) -> None:
    deps, user, t = i.deps, i.user, i.t
    section = deps.policy.section(RisksPolicy)
    with deps.sessions.read() as session:
        risks = risks_repo.all_risks(session, include_closed=True)
        departments = {d.id: d.name(t.lang) for d in Directory(session).departments()}
    names = {r.owner: deps.people.view(r.owner, refresh=False).name for r in risks}
    rows = [_row(section, r, t, departments, names, deps) for r in risks]
    content = to_csv([t(f"risks.csv.{c}") for c in CSV_COLUMNS], rows)
    today = deps.clock.now().astimezone(deps.org_tz()).date().isoformat()
    i.reply(t("risks.export.sent", count=len(risks)))
    i.later(
        lambda: _upload_to_dm(
            deps, user, f"risk-register-{today}.csv", content, t("risks.export.comment", date=today)
        )
    )


def _row(
    section: RisksPolicy,
    r: Risk,
    t: Translator,
    departments: dict[str, str],
    names: dict[str, str],
    deps: Deps,
) -> list[Any]:
    tz = deps.org_tz()
    category = section.category_label(r.category)
    return [
        views.number(r),
        r.title,
        t.pick(category.model_dump()) if category else r.category,
        t.pick(section.level(r.level).name.model_dump()),
        r.likelihood,
        r.impact,
        r.likelihood * r.impact,
        names.get(r.owner, r.owner),
        r.owner,
        departments.get(r.department, r.department),
        views.strategy_name(t, r.strategy),
        views.status_name(t, r.status),
        r.next_review_at.astimezone(tz).date().isoformat(),
        r.accepted_until.astimezone(tz).date().isoformat() if r.accepted_until else "",
        r.description,
        r.cause,
        r.consequence,
        r.measures,
    ]


def _upload_to_dm(deps: Deps, user: str, filename: str, content: bytes, comment: str) -> None:
    # Posting to a user ID opens the DM and tells us its channel, which uploads need.
    sent = deps.deliver.dm(user, text=comment)
    deps.deliver.upload(sent["channel"], filename=filename, content=content, title=filename)
