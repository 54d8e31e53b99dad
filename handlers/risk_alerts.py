"""Risk alerts in Slack: one message per alert in the risk channel (and one in the risk owner's
DM), edited in place by the alert's sync job as it moves; Acknowledge / Start response plan /
Silence buttons; the clock's repeats, escalations, acknowledgement timeouts, silence expiries
and "not reported" checks; the morning digest of open alerts for the risk role."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from slack_bolt import App

from handlers.deps import Deps, PromptExtra
from handlers.interaction import Interaction, listener
from handlers.outbox import Post, schedule_posts
from procedures.engine import Ctx
from procedures.errors import DomainError, InvalidInput
from procedures.risks import alerts, indicators
from procedures.risks import register as reg
from procedures.risks.policy import RisksPolicy
from scheduler.registry import JobHandler
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.views import risks as views
from store import risks_repo
from store.jobs import ClaimedJob

DIGEST = "risk-alert-digest"


def _section(deps: Deps) -> RisksPolicy:
    return deps.policy.section(RisksPolicy)


def register(app: App, deps: Deps) -> None:
    on = listener(deps)
    section = _section(deps)

    def alert_id(i: Interaction) -> int:
        return int(str(i.body["actions"][0]["value"]))

    @app.action(views.RiskAction.ACK)
    @on
    def ack_clicked(i: Interaction) -> None:
        user, which = i.user, alert_id(i)
        i.run(lambda ctx: alerts.acknowledge(ctx, section, which, user))
        i.ack()

    @app.action(views.RiskAction.PLAN)
    @on
    def plan_clicked(i: Interaction) -> None:
        user, which = i.user, alert_id(i)

        def work(ctx: Ctx) -> tuple[int, int]:
            alert = alerts.plan_started(ctx, which, user)
            return start_plan(ctx, alert.indicator_id, user)

        opened, already = i.run(work)
        i.reply(i.t("risks.plan.started", count=opened, already=already))

    @app.action(views.RiskAction.SILENCE)
    @on
    def silence_clicked(i: Interaction) -> None:
        i.ack()
        which = alert_id(i)
        with deps.sessions.read() as session:
            alert = risks_repo.alert(session, which)
            ok = (
                alert is not None
                and alert.state != "resolved"
                and alerts.may_act(deps.engine_context(session), alert, i.user)
            )
        if not ok:
            i.reply(i.t("risks.error.not_yours"))
            return
        modal = views.silence_modal(i.t, which, section.alerts.silence_max_days * 24)
        deps.client.views_open(trigger_id=i.body["trigger_id"], view=modal)

    @app.view(views.RiskCallback.SILENCE)
    @on
    def silence_submitted(i: Interaction) -> None:
        state = i.view["state"]["values"]
        raw_hours = str(((state.get("hours") or {}).get("value") or {}).get("value") or "")
        reason = str(((state.get("reason") or {}).get("value") or {}).get("value") or "")
        which = int(json.loads(i.view.get("private_metadata") or "{}").get("alert_id", 0))
        max_hours = section.alerts.silence_max_days * 24
        try:
            hours = float(Decimal(raw_hours.strip()))
        except (InvalidOperation, ValueError):
            hours = -1.0
        errors: dict[str, str] = {}
        if not 0 < hours <= max_hours:
            errors["hours"] = i.t("risks.error.silence_hours", max=max_hours)
        if not reason.strip():
            errors["reason"] = i.t("risks.error.silence_reason")
        if errors:
            i.field_errors(errors)
            return
        user = i.user
        try:
            i.run(lambda ctx: alerts.silence(ctx, section, which, user, hours, reason), once=True)
        except InvalidInput as exc:
            i.field_errors({"reason": i.t(exc.key, **exc.params)})
            return
        i.ack()


def start_plan(ctx: Ctx, indicator_id: int, user: str) -> tuple[int, int]:
    """Open the linked risk's measures as tasks for its owner, but for those already open;
    returns (opened, already open)."""
    row = risks_repo.indicator_by_id(ctx.session, indicator_id)
    risk = risks_repo.get(ctx.session, row.risk_id) if row and row.risk_id else None
    if risk is None:
        raise DomainError("risks.error.no_linked_risk")
    open_now = {
        str((c.payload or {}).get("measure"))
        for c in risks_repo.cases(ctx.session, risk.id, "measure")
        if c.state == "pending"
    }
    deadline = ctx.calendar.add_working_hours(ctx.now, 5 * 8, ctx.tz).astimezone(ctx.tz).date()
    lines = [line for line in reg.measure_lines(risk.measures) if line not in open_now]
    if not lines and not open_now:
        raise DomainError("risks.error.no_measures", number=f"RK-{risk.number:04d}")
    requester = user if ctx.directory.department_of(user) else risk.created_by
    for line in lines:
        reg.open_measure(ctx, risk, requester, line, risk.owner, deadline.isoformat())
    return len(lines), len(open_now)


# -- the one message per alert --------------------------------------------------------------


def sync(deps: Deps, alert_id: int) -> None:
    """Bring the alert's messages in line with the database: post once, then edit."""
    with deps.sessions.read() as session:
        alert = risks_repo.alert(session, alert_id)
        if alert is None:
            return
        indicator = risks_repo.indicator_by_id(session, alert.indicator_id)
        risk = (
            risks_repo.get(session, indicator.risk_id) if indicator and indicator.risk_id else None
        )
        history = risks_repo.values(session, alert.indicator_id, limit=5)
        channel = deps.channel_for(session, "risk_alerts")
    if indicator is None:
        return
    tz = deps.org_tz()
    lang_t = _org_translator(deps)  # a shared channel speaks the org's language
    text, blocks = views.alert_message(alert, indicator, risk, lang_t, tz, history)
    if alert.ts and alert.channel:
        deps.deliver.update(alert.channel, alert.ts, text=text, blocks=blocks)
    elif channel:
        sent = deps.deliver.post(channel, text=text, blocks=blocks)
        with deps.sessions.begin() as session:
            risks_repo.save_message(session, alert.id, channel=sent["channel"], ts=sent["ts"])
    if risk is not None:
        owner_t = deps.people.translator(risk.owner)
        text, blocks = views.alert_message(alert, indicator, risk, owner_t, tz, history)
        if alert.dm_ts and alert.dm_channel:
            deps.deliver.update(alert.dm_channel, alert.dm_ts, text=text, blocks=blocks)
        else:
            sent = deps.deliver.dm(risk.owner, text=text, blocks=blocks)
            with deps.sessions.begin() as session:
                risks_repo.save_message(
                    session, alert.id, dm_channel=sent["channel"], dm_ts=sent["ts"]
                )
    with deps.sessions.begin() as session:
        risks_repo.save_message(session, alert.id, shown=alert.version)


def _org_translator(deps: Deps) -> Translator:
    return Translator(deps.org_language())


def _notify(deps: Deps, notice: alerts.Notice | None) -> None:
    """A repeat, an escalation, a reopening: a note in the alert's thread and a DM each."""
    if notice is None:
        return
    with deps.sessions.read() as session:
        alert = risks_repo.alert(session, notice.alert_id)
        indicator = risks_repo.indicator_by_id(session, alert.indicator_id) if alert else None
    if alert is None or indicator is None:
        return
    stamp = deps.clock.now().isoformat()
    posts: list[Post] = []
    org_t = _org_translator(deps)
    what = views.alert_text(alert, indicator, org_t)
    people = ", ".join(f"<@{u}>" for u in notice.to)
    if alert.channel and alert.ts:
        posts.append(
            Post(
                channel=alert.channel,
                thread_ts=alert.ts,
                text=org_t(f"risks.notice.{notice.kind}", alert=what, people=people),
                key=f"alert:{alert.id}:note:{notice.kind}:{stamp}",
            )
        )
    for user in notice.to:
        t = deps.people.translator(user)
        text = t(
            f"risks.notice.{notice.kind}",
            alert=views.alert_text(alert, indicator, t),
            people=people,
        )
        posts.append(
            Post(channel=user, text=text, key=f"alert:{alert.id}:dm:{notice.kind}:{user}:{stamp}")
        )
    deps.after_commit(schedule_posts(deps, posts))


def _ask_reporters(
    deps: Deps, alert_id: int, key: str, name: dict[str, str], reporters: list[str]
) -> None:
    """The value is due: each reporter is asked for it, in their language, once per alert."""
    posts = []
    for user in reporters:
        t = deps.people.translator(user)
        text = t("risks.indicator.due", name=t.pick(name), key=key)
        posts.append(Post(channel=user, text=text, key=f"alert:{alert_id}:ask:{user}"))
    deps.after_commit(schedule_posts(deps, posts))


def jobs(deps: Deps) -> dict[str, JobHandler]:
    section = _section(deps)

    def run(work: Callable[[Ctx], alerts.Notice | None]) -> None:
        with deps.sessions.begin() as session:
            ctx = deps.engine_context(session)
            notice = work(ctx)
        deps.after_commit(ctx.jobs)
        _notify(deps, notice)

    def stale(job: ClaimedJob) -> None:
        with deps.sessions.begin() as session:
            ctx = deps.engine_context(session)
            alert = alerts.went_stale(ctx, section, int(job.payload["indicator_id"]))
            row = risks_repo.indicator_by_id(session, alert.indicator_id) if alert else None
            reporters = ctx.directory.users_with_role(row.reporter_role) if row else []
        deps.after_commit(ctx.jobs)
        if alert is not None and row is not None:
            _ask_reporters(deps, alert.id, row.key, row.name, reporters)

    return {
        alerts.SYNC: lambda job: sync(deps, int(job.payload["alert_id"])),
        alerts.REPEAT: lambda job: run(
            lambda ctx: alerts.repeat(ctx, section, int(job.payload["alert_id"]))
        ),
        alerts.ESCALATE: lambda job: run(
            lambda ctx: alerts.escalate(
                ctx, int(job.payload["alert_id"]), int(job.payload["stage"])
            )
        ),
        alerts.ACK_TIMEOUT: lambda job: run(
            lambda ctx: alerts.ack_timed_out(
                ctx, section, int(job.payload["alert_id"]), str(job.payload["acked_at"])
            )
        ),
        alerts.SILENCE_END: lambda job: run(
            lambda ctx: alerts.silence_ended(
                ctx, section, int(job.payload["alert_id"]), str(job.payload["until"])
            )
        ),
        indicators.STALE: stale,
    }


def maintenance(deps: Deps) -> list[Callable[[datetime], object]]:
    """Once, on the clock's first tick: the policy's indicators exist (and expect values)."""
    section = _section(deps)
    done: list[bool] = []

    def ensure(_now: datetime) -> None:
        if done:
            return
        with deps.sessions.begin() as session:
            ctx = deps.engine_context(session)
            indicators.sync_policy_indicators(ctx, section)
        deps.after_commit(ctx.jobs)
        done.append(True)

    return [ensure]


def prompt_extras(deps: Deps) -> dict[str, PromptExtra]:
    if deps.policy.prompt(DIGEST) is None:
        return {}
    return {DIGEST: lambda user, period: digest_blocks(deps, user)}


def digest_blocks(deps: Deps, user: str) -> list[dict[str, Any]]:
    t = deps.people.translator(user, refresh=False)
    with deps.sessions.read() as session:
        open_ = risks_repo.open_alerts(session)
        found = {a.indicator_id: risks_repo.indicator_by_id(session, a.indicator_id) for a in open_}
    rows = {key: row for key, row in found.items() if row is not None}
    lines = [
        f"• {t(f'risks.alert.state.{a.state}')} · {views.alert_text(a, rows[a.indicator_id], t)}"
        for a in open_[:40]
        if a.indicator_id in rows
    ]
    head = t("risks.digest.summary", count=len(open_))
    return b.to_dicts([b.section(f"*{head}*"), *b.sections(lines)])
