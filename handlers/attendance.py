"""The monthly attendance report: the clock's prompt to every department head carries their
department's last month; "Send to HR" posts it as a CSV in the HR channel and marks the prompt
done, so HR's digest lists exactly the departments that have not sent theirs."""

from __future__ import annotations

from typing import Any

from handlers.deps import Deps, Opener, PromptExtra
from procedures import prompt_runs
from procedures.calendar import calendar_for
from procedures.errors import DomainError, NotAllowed
from procedures.leave import report
from procedures.leave.hooks import show_days
from procedures.leave.policy import LeavePolicy
from procedures.prompts import period_values
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.timefmt import slack_time
from slackui.views.leave import type_name
from slackui.views.prompts import parse_prompt_value, prompt_answered
from store import audit, prompt_repo
from store.directory import DepartmentInfo, Directory

PROMPT = "attendance-report"


def prompt_extras(deps: Deps) -> dict[str, PromptExtra]:
    if deps.policy.prompt(PROMPT) is None:
        return {}
    return {PROMPT: lambda user, period: report_blocks(deps, user, period)}


def openers(deps: Deps) -> dict[str, Opener]:
    return {PROMPT: send_to_hr} if deps.policy.prompt(PROMPT) is not None else {}


def _headed(directory: Directory, user: str) -> list[DepartmentInfo]:
    return [dept for dept in directory.departments() if dept.head == user]


def _rows(deps: Deps, dept: DepartmentInfo, month: str) -> list[report.PersonMonth]:
    with deps.sessions.begin() as session:
        directory = Directory(session)
        return report.month_report(
            session,
            deps.policy,
            directory.members(dept.id),
            month,
            lambda user: calendar_for(directory.calendar_of(user)),
        )


def _summary(t: Translator, deps: Deps, rows: list[report.PersonMonth]) -> str:
    lines = []
    for row in rows:
        parts = [
            f"{type_name(t, kind)} {show_days(row.days[kind.id])}"
            for kind in deps.policy.section(LeavePolicy).types
            if row.days.get(kind.id)
        ]
        text = t.join(parts) if parts else t("report.line_none")
        if row.pending:
            text += t("report.pending", count=row.pending)
        lines.append(t("report.line", user=row.user, days=text))
    return "\n".join(lines) or t("report.nobody")


def report_blocks(deps: Deps, user: str, period: str) -> list[dict[str, Any]]:
    """What the head reviews in the prompt: each department they head, last month."""
    t = deps.people.translator(user, refresh=False)
    month = period_values(period)["previous_month"]
    with deps.sessions.begin() as session:
        departments = _headed(Directory(session), user)
    out: list[Any] = []
    for dept in departments:
        title = t("report.title", department=dept.name(t.lang), month=month)
        out.append(b.section(f"*{title}*\n{_summary(t, deps, _rows(deps, dept, month))}"))
    return b.to_dicts(out[:10])


def send_to_hr(deps: Deps, body: dict[str, Any]) -> None:
    user = body["user"]["id"]
    me = deps.people.view(user)
    prompt_id, period = parse_prompt_value(body["actions"][0]["value"])
    spec = deps.policy.prompt(prompt_id)
    assert spec is not None
    month = period_values(period)["previous_month"]
    with deps.sessions.begin() as session:
        directory = Directory(session)
        departments = _headed(directory, user)
        hr_channel = directory.channel_for("hr")
        done = prompt_repo.response(session, prompt_id, period, user) is not None
    if not departments:
        with deps.sessions.begin() as session:
            audit.record(
                session,
                at=deps.clock.now(),
                actor=user,
                action="report.refused",
                subject_type="prompt",
                subject_id=f"{prompt_id}|{period}",
                detail={"attempted": "send_to_hr"},
            )
        raise NotAllowed("report.not_head")
    if hr_channel is None:
        raise DomainError("report.no_hr_channel")
    if done:
        raise DomainError("report.already_sent")
    hr = deps.org_language()
    for dept in departments:
        rows = _rows(deps, dept, month)
        names = {row.user: deps.people.view(row.user, refresh=False).name for row in rows}
        deps.deliver.upload(
            hr_channel,
            filename=f"attendance-{dept.id}-{month}.csv",
            content=report.to_csv(rows, deps.policy, names, hr),
            title=f"{dept.name(hr)} {month}",
            initial_comment=Translator(hr)(
                "report.upload_comment", department=dept.name(hr), month=month, user=user
            ),
        )
    now = deps.clock.now()
    with deps.sessions.begin() as session:
        prompt_runs.mark_done(session, prompt_id, period, user, now)
    note = me.t("report.sent", when=slack_time(now, me.tz, me.lang))
    container = body.get("container") or {}
    if container.get("channel_id") and container.get("message_ts"):
        blocks = prompt_answered(me.t, spec, period, note)
        deps.client.chat_update(
            channel=container["channel_id"], ts=container["message_ts"], text=note, blocks=blocks
        )
