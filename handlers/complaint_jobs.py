"""The clock's work for complaints: the card kept up to date, the new owner's DM, the nudge
before a response deadline and the escalation after it, and the monthly report with its CSV in
the service channel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from handlers.deps import Deps
from procedures.complaints import ComplaintsPolicy, cases
from procedures.complaints.clock import arm_report, due, figures_of, month_complaints, next_report
from procedures.spreadsheet import to_csv
from scheduler.registry import JobHandler
from slackui.i18n import Translator
from slackui.timefmt import slack_time
from slackui.views import complaints as views
from store import complaints_repo
from store.jobs import ClaimedJob
from store.jobs import schedule as schedule_job
from store.models.complaints import Complaint

CSV_COLUMNS = (
    "number", "received_at", "customer", "channel", "severity", "state", "filed_by", "owner",
    "respond_by", "responded_at", "responded_in_time", "resolved_at", "revisited_at",
    "handling_score", "satisfaction_score", "description", "response", "resolution",
)  # fmt: skip


def _section(deps: Deps) -> ComplaintsPolicy:
    return deps.policy.section(ComplaintsPolicy)


def _channel(deps: Deps, session: Any) -> str | None:
    policy = _section(deps)
    return deps.channel_for(session, policy.channel) or deps.channel_for(
        session, policy.fallback_channel
    )


def jobs(deps: Deps) -> dict[str, JobHandler]:
    return {
        cases.SYNC: lambda job: _sync(deps, job),
        cases.ASSIGNED: lambda job: _assigned(deps, job),
        cases.NUDGE: lambda job: _due(deps, job, "nudge"),
        cases.ESCALATE: lambda job: _due(deps, job, "escalate"),
        cases.REPORT: lambda job: _report(deps, job),
        cases.REPORT_CSV: lambda job: _report_csv(deps, job),
    }


def _load(deps: Deps, complaint_id: int) -> Complaint | None:
    with deps.sessions.read() as session:
        row = complaints_repo.get(session, complaint_id)
        if row is not None:
            session.expunge(row)
        return row


def _sync(deps: Deps, job: ClaimedJob) -> None:
    """Post the card, or bring it up to date: one message per complaint."""
    row = _load(deps, int(job.payload["id"]))
    if row is None:
        return
    with deps.sessions.read() as session:
        channel = row.card_channel or _channel(deps, session)
    if channel is None:
        return
    t = Translator(deps.org_language())
    text, blocks = views.card(row, _section(deps), t, deps.org_tz())
    if row.card_ts:
        deps.deliver.update(channel, row.card_ts, text=text, blocks=blocks)
        return
    answer = deps.deliver.post(channel, text=text, blocks=blocks)
    with deps.sessions.begin() as session:
        complaints_repo.mark(
            session, row.id, card_channel=str(answer["channel"]), card_ts=str(answer["ts"])
        )


def _assigned(deps: Deps, job: ClaimedJob) -> None:
    row = _load(deps, int(job.payload["id"]))
    if row is None or row.owner is None:
        return
    t = deps.people.translator(row.owner)
    deps.deliver.dm(row.owner, text=_about(deps, row, t, "complaints.dm.assigned"))


def _about(deps: Deps, row: Complaint, t: Translator, key: str) -> str:
    policy = _section(deps)
    return t(
        key,
        number=cases.number_of(row),
        customer=views.clean(row.customer, 150),
        severity=views.severity_name(policy, t, row.severity),
        due=slack_time(row.respond_by, deps.org_tz(), t.lang),
        owner=row.owner or "",
        cite=policy.cite,
    )


def _due(deps: Deps, job: ClaimedJob, what: str) -> None:
    """Nudge the owner (the leads while nobody owns it) or escalate to the leads, once."""
    policy = _section(deps)
    with deps.sessions.begin() as session:
        row = due(
            session,
            int(job.payload["id"]),
            "nudge" if what == "nudge" else "escalate",
            deps.clock.now(),
        )
        if row is None:
            return
        session.expunge(row)
        leads = cases.leads(session, policy)
    nudge = what == "nudge"
    people = [row.owner] if nudge and row.owner else leads
    key = "complaints.dm.nudge" if nudge else "complaints.dm.escalated"
    if not row.owner and nudge:
        key = "complaints.dm.nudge_unassigned"
    for person in people:
        deps.deliver.dm(person, text=_about(deps, row, deps.people.translator(person), key))
    if not nudge and row.card_channel and row.card_ts:
        t = Translator(deps.org_language())
        deps.deliver.post(
            row.card_channel,
            text=_about(deps, row, t, "complaints.thread.overdue"),
            thread_ts=row.card_ts,
        )


def _month(deps: Deps, job: ClaimedJob) -> tuple[int, int, list[Complaint], str | None]:
    year, month, tz = int(job.payload["year"]), int(job.payload["month"]), deps.org_tz()
    with deps.sessions.read() as session:
        rows = month_complaints(session, year, month, tz)
        for row in rows:
            session.expunge(row)
        channel = _channel(deps, session)
    return year, month, rows, channel


def _report(deps: Deps, job: ClaimedJob) -> None:
    """The figures; the CSV follows as its own job, queued once the figures are posted (one
    Slack call per job: a retried upload never posts the figures again)."""
    year, month, rows, channel = _month(deps, job)
    if channel is None:
        return
    policy, t = _section(deps), Translator(deps.org_language())
    text, blocks = views.figures_blocks(t, figures_of(rows, policy), year, month, policy.cite)
    deps.deliver.post(channel, text=text, blocks=blocks)
    now = deps.clock.now()
    with deps.sessions.begin() as session:
        queued = schedule_job(
            session,
            kind=cases.REPORT_CSV,
            due_at=now,
            now=now,
            payload={"year": year, "month": month},
            dedupe_key=f"{cases.REPORT_CSV}:{year:04d}-{month:02d}",
        )
    deps.after_commit([queued])


def _report_csv(deps: Deps, job: ClaimedJob) -> None:
    year, month, rows, channel = _month(deps, job)
    if channel is None:
        return
    t = Translator(deps.org_language())
    name = f"complaints-{year:04d}-{month:02d}.csv"
    deps.deliver.upload(channel, filename=name, content=month_csv(deps, rows, t), title=name)


def month_csv(deps: Deps, rows: list[Complaint], t: Translator) -> bytes:
    policy, tz = _section(deps), deps.org_tz()

    def when(value: datetime | None) -> str:
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""

    def name(user: str | None) -> str:
        return deps.people.view(user, refresh=False).name if user else ""

    out = []
    for r in rows:
        in_time = (
            ""
            if r.responded_at is None
            else t("complaints.csv.yes" if r.responded_at <= r.respond_by else "complaints.csv.no")
        )
        out.append([
            cases.number_of(r), when(r.received_at), r.customer,
            t(f"complaints.channel.{r.channel}"),
            views.severity_name(policy, t, r.severity), t(f"complaints.state.{r.state}"),
            name(r.filed_by), name(r.owner), when(r.respond_by), when(r.responded_at), in_time,
            when(r.resolved_at), when(r.revisited_at), r.handling_score, r.satisfaction_score,
            r.description, r.response, r.resolution,
        ])  # fmt: skip
    return to_csv([t(f"complaints.csv.{c}") for c in CSV_COLUMNS], out)


def maintenance(deps: Deps) -> list[Callable[[datetime], object]]:
    """Each tick: the next monthly report has its job, as soon as the previous one is due, so
    that a clock down on the 1st sends it late rather than never. The cron is evaluated every
    tick; the database is written once per occurrence."""
    armed: set[datetime] = set()

    def arm(now: datetime) -> None:
        policy, tz = _section(deps), deps.org_tz()
        fire = next_report(policy, now, tz)
        if fire is None or fire in armed:
            return
        with deps.sessions.begin() as session:
            arm_report(session, policy, now, tz)
        armed.add(fire)

    return [arm]
