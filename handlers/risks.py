"""`/risk`: the register form, `list|mine|show|map|export`, indicator values (`report`), and
the App Home section; the alert side (buttons, clock jobs, the edited message) is in
handlers/risk_alerts.py, the heatmap and CSV in handlers/risk_files.py."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from handlers import risk_alerts, risk_files, risk_http, risk_indicators
from handlers.deps import Deps, Opener
from handlers.interaction import Interaction, listener
from handlers.modules import ProcedureModule
from handlers.outbox import Post, queue_posts
from procedures import forms
from procedures.errors import DomainError, InvalidInput, NotFound
from procedures.form_display import escape
from procedures.policy import Policy
from procedures.policy.common import Text
from procedures.policy.forms import FieldSpec, Option
from procedures.risks import DOMAIN, alerts, indicators, register
from procedures.risks.policy import RisksPolicy
from scheduler.registry import JobHandler
from slackui import blocks as b
from slackui.commands import FormEntry, HelpEntry
from slackui.i18n import Translator, translate
from slackui.views import risks as views
from slackui.views.forms import read_state, view_errors
from store import risks_repo
from store.directory import Directory
from store.jobs import ClaimedJob

HELP = (
    HelpEntry("/risk", "help.risk.form", "/risk"),
    HelpEntry("/risk list", "help.risk.list", "/risk list high"),
    HelpEntry("/risk show", "help.risk.show", "/risk show RK-0001"),
    HelpEntry("/risk report", "help.risk.report", "/risk report complaint-rate 4.2"),
    HelpEntry("/risk map", "help.risk.map", "/risk map"),
    HelpEntry("/risk export", "help.risk.export", "/risk export"),
)


def section_of(policy: Policy) -> RisksPolicy:
    return policy.section(RisksPolicy)


def _enabled(policy: Policy) -> bool:
    return section_of(policy).enabled and policy.procedure(register.MEASURE) is not None


def form_fields(deps: Deps, session: Any) -> list[FieldSpec]:
    """The policy's form with the responsible department, chosen from the org file."""
    fields = list(section_of(deps.policy).form)
    options = [
        Option(value=d.id, label=Text(en=d.name_en, zh=d.name_zh))
        for d in Directory(session).departments()[:100]
    ]
    if options:
        label = Text(
            en=translate("en", "risks.form.department"), zh=translate("zh", "risks.form.department")
        )
        department = FieldSpec(
            id="department", type="select", label=label, options=options, required=False
        )
        at = next((n + 1 for n, f in enumerate(fields) if f.id == "owner"), len(fields))
        fields.insert(at, department)
    return fields


def open_form(deps: Deps, body: dict[str, Any]) -> None:
    user = str((body.get("user") or {}).get("id") or body.get("user_id") or "")
    t = deps.people.translator(user, refresh=False)
    with deps.sessions.read() as session:
        fields = form_fields(deps, session)
    modal = views.form_modal(section_of(deps.policy), fields, t)
    deps.client.views_open(trigger_id=body["trigger_id"], view=modal)


def _openers(deps: Deps) -> dict[str, Opener]:
    return {"risks.form": open_form}


def register_listeners(app: App, deps: Deps) -> None:
    on = listener(deps)
    section = section_of(deps.policy)
    words = {
        "list": _list,
        "列表": _list,
        "mine": lambda i, rest: _list(i, "mine " + rest),
        "我的": lambda i, rest: _list(i, "mine " + rest),
        "show": _show,
        "查看": _show,
        "report": _report,
        "上报": _report,
        "indicators": risk_indicators.list_indicators,
        "指标": risk_indicators.list_indicators,
        "indicator": risk_indicators.indicator,
        "map": risk_files.post_map,
        "热力图": risk_files.post_map,
        "export": risk_files.post_csv,
        "导出": risk_files.post_csv,
        "help": _help,
        "帮助": _help,
    }

    @app.command("/risk")
    @on
    def risk_command(i: Interaction) -> None:
        i.ack()
        # Arguments are words: control and format characters (NUL, RTL marks) go, so they never
        # reach a query (PostgreSQL refuses NUL in a string) nor an answer.
        raw = "".join(ch for ch in str(i.body.get("text") or "") if ch.isprintable() or ch == " ")
        text = " ".join(raw.split())
        if not text:
            open_form(deps, i.body)
            return
        word, _, rest = text.partition(" ")
        handler = words.get(word.lower())
        if handler is None:
            i.reply(i.t("risks.error.unknown_word", word=escape(word[:30])))
            return
        handler(i, rest.strip())

    @app.action(views.RiskAction.OPEN_FORM)
    @on
    def open_clicked(i: Interaction) -> None:
        i.ack()
        open_form(deps, i.body)

    @app.view(views.RiskCallback.FORM)
    @on
    def form_submitted(i: Interaction) -> None:
        today = deps.clock.now().astimezone(deps.org_tz()).date()
        with deps.sessions.read() as session:
            fields = form_fields(deps, session)
        payload, errors = forms.validate(
            fields, read_state(fields, i.view["state"]["values"]), today=today
        )
        if errors:
            i.field_errors(view_errors(errors, i.t))
            return
        problems = register.check(section, payload)
        if problems:
            i.field_errors(_problem_errors(problems, fields, i.t))
            return
        user = i.user
        # Languages are read before the transaction (each is a read of its own).
        owner_t = deps.people.translator(str(payload["owner"]), refresh=False)
        t = i.t

        def work(ctx: Any) -> None:
            if not payload.get("department"):
                dept = ctx.directory.department_of(str(payload["owner"]))
                payload["department"] = dept.id if dept else ""
            risk = register.register(ctx, section, user, payload)
            level = views.level_badge(section.level(risk.level), t)
            text = t("risks.saved", number=views.number(risk), level=level)
            posts = [Post(channel=user, text=text, key=f"risk:{risk.id}:saved")]
            if risk.owner != user:
                posts.append(_owner_post(section, risk, owner_t))
            ctx.jobs.extend(j for j in queue_posts(ctx.session, ctx.now, posts) if j is not None)

        try:
            i.run(work, once=True)
        except InvalidInput as exc:
            if exc.field:
                i.field_errors(_problem_errors([exc], fields, i.t))
                return
            raise
        i.ack()


def _owner_post(section: RisksPolicy, risk: Any, t: Translator) -> Post:
    text = t(
        "risks.owner_told",
        number=views.number(risk),
        title=escape(b.clip(risk.title, 100)),
        level=views.level_badge(section.level(risk.level), t),
        user=f"<@{risk.created_by}>",
    )
    return Post(channel=risk.owner, text=text, key=f"risk:{risk.id}:owner-told")


def _problem_errors(
    problems: list[InvalidInput], fields: list[FieldSpec], t: Translator
) -> dict[str, str]:
    out: dict[str, str] = {}
    ids = {f.id for f in fields}
    for problem in problems:
        where = f"f:{problem.field}" if problem.field in ids else f"f:{fields[0].id}"
        out.setdefault(where, t(problem.key, **problem.params))
    return out


# -- subcommands ----------------------------------------------------------------------------


def _help(i: Interaction, _rest: str) -> None:
    lines = [f"`{e.example}` — {i.t(e.description_key)}" for e in HELP]
    i.reply("\n".join(lines))


def _list(i: Interaction, rest: str) -> None:
    deps, t = i.deps, i.t
    section = section_of(deps.policy)
    word = rest.strip().lower()
    with deps.sessions.read() as session:
        risks = risks_repo.all_risks(session)
        directory = Directory(session)
        if not word:
            heading = t("risks.list.all")
        elif word.startswith("mine"):
            risks = [r for r in risks if r.owner == i.user]
            heading = t("risks.list.mine")
        elif any(
            lv.id == word or word in (lv.name.en.lower(), lv.name.zh) for lv in section.levels
        ):
            level = next(
                lv for lv in section.levels if word in (lv.id, lv.name.en.lower(), lv.name.zh)
            )
            risks = [r for r in risks if r.level == level.id]
            heading = t.pick(level.name.model_dump())
        elif section.category_label(word) is not None:
            risks = [r for r in risks if r.category == word]
            heading = t.pick(section.category_label(word).model_dump())  # type: ignore[union-attr]
        elif directory.department(word) is not None:
            risks = [r for r in risks if r.department == word]
            heading = directory.department(word).name(t.lang)  # type: ignore[union-attr]
        else:
            raise InvalidInput("risks.error.list_filter", word=escape(word[:30]))
    ranks = {lv.id: lv.rank for lv in section.levels}
    risks.sort(key=lambda r: (-ranks.get(r.level, 0), -(r.likelihood * r.impact), r.number))
    text, blocks = views.register_blocks(section, risks, t, deps.org_tz(), heading)
    i.reply(text, blocks)


def _show(i: Interaction, rest: str) -> None:
    deps, t = i.deps, i.t
    section = section_of(deps.policy)
    if not rest:
        raise InvalidInput("risks.error.show_what")
    with deps.sessions.read() as session:
        number = register.parse_number(rest)
        risk = risks_repo.by_number(session, number) if number is not None else None
        if risk is None:
            raise NotFound("risks.error.no_such_risk", number=escape(rest[:20]))

        def numbered(kind: str, prefix: str) -> list[tuple[str, Any]]:
            return [
                (f"{prefix}-{c.number:04d}", c) for c in risks_repo.cases(session, risk.id, kind)
            ]

        dept = Directory(session).department(risk.department)
        detail = views.RiskDetail(
            risk=risk,
            scores=risks_repo.scores(session, risk.id),
            measures=numbered("measure", "RM"),
            acceptances=numbered("acceptance", "RA"),
            reviews=numbered("review", "RR"),
            indicators=risks_repo.indicators_of(session, risk.id),
            department=dept.name(t.lang) if dept else risk.department,
        )
    text, blocks = views.detail_blocks(section, detail, t, deps.org_tz())
    i.reply(text, blocks)


def _report(i: Interaction, rest: str) -> None:
    deps = i.deps
    key, _, raw = rest.partition(" ")
    if not key or not raw.strip():
        raise InvalidInput("risks.error.report_usage")
    value = indicators.parse_value(raw)
    section = section_of(deps.policy)
    user = i.user

    def work(ctx: Any) -> alerts.Reported:
        indicators.sync_policy_indicators(ctx, section)
        row = risks_repo.indicator(ctx.session, key.lower())
        if row is None:
            raise NotFound("risks.error.no_such_indicator", key=escape(key[:48]))
        if not (
            ctx.directory.has_role(user, row.reporter_role) or ctx.directory.has_role(user, "risk")
        ):
            raise DomainError("risks.error.not_reporter", key=row.key)
        return alerts.report(ctx, section, row.key, value, user)

    reported = i.run(work)
    i.reply(
        i.t(
            f"risks.reported.{reported.band}",
            key=reported.key,
            value=views.show_value(reported.value, ""),
        )
    )


# -- clock jobs of the register -------------------------------------------------------------


def _jobs(deps: Deps) -> dict[str, JobHandler]:
    def run(work: Any) -> None:
        with deps.sessions.begin() as session:
            ctx = deps.engine_context(session)
            work(ctx)
        deps.after_commit(ctx.jobs)

    def review_due(job: ClaimedJob) -> None:
        run(lambda ctx: register.open_review(ctx, int(job.payload["risk_id"]), "review due"))

    def acceptance_expired(job: ClaimedJob) -> None:
        run(lambda ctx: register.acceptance_expired(ctx, int(job.payload["risk_id"])))

    def close_measures(job: ClaimedJob) -> None:
        run(
            lambda ctx: register.close_measures(
                ctx, int(job.payload["risk_id"]), str(job.payload["by"])
            )
        )

    return {
        register.REVIEW_DUE: review_due,
        register.ACCEPTANCE_EXPIRED: acceptance_expired,
        register.CLOSE_MEASURES: close_measures,
        **risk_alerts.jobs(deps),
    }


def _home(deps: Deps, user: str) -> list[dict[str, Any]]:
    t = deps.people.translator(user, refresh=False)
    section = section_of(deps.policy)
    with deps.sessions.read() as session:
        mine = risks_repo.owned_by(session, user)
        open_alerts = len(risks_repo.open_alerts(session))
        is_risk = Directory(session).has_role(user, "risk")
    lines = [views.risk_line(section, r, t, deps.org_tz()) for r in mine[:10]]
    head = t("risks.home.heading", count=len(mine))
    blocks: list[Any] = [b.divider(), b.section(f"*{head}*")]
    blocks += b.sections(lines) if lines else []
    if is_risk:
        blocks.append(b.context(t("risks.home.alerts", count=open_alerts)))
    blocks.append(b.actions(b.button(t("risks.home.add"), views.RiskAction.OPEN_FORM, "form")))
    return b.to_dicts(blocks)


def _listeners(app: App, deps: Deps) -> None:
    register_listeners(app, deps)
    risk_alerts.register(app, deps)


MODULE = ProcedureModule(
    domain=DOMAIN,
    commands=("/risk",),
    help=HELP,
    forms=(FormEntry("risk", "risks.form", "risks.new.name", "risks.new.description"),),
    listeners=_listeners,
    jobs=_jobs,
    maintenance=risk_alerts.maintenance,
    prompt_extras=risk_alerts.prompt_extras,
    openers=_openers,
    home=_home,
    http=risk_http.route,
    enabled=_enabled,
)
