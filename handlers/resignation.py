"""Resignation and handover in Slack: filing is the engine's (`/procedo new resignation`, or
`/procedo resign` / `离职`); this module runs the last-day transfer and tells the successor and
HR what moved, and sends HR the summary once the handover checklist is complete."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from slack_bolt.context.respond import Respond

from handlers.deps import Deps
from handlers.modules import ProcedureModule
from handlers.outbox import Post, schedule_posts
from handlers.requests import open_form
from procedures.form_display import show_date
from procedures.policy import Policy
from procedures.requests import number_of
from procedures.resignation import DOMAIN, transfer
from procedures.resignation.hooks import SUMMARY, TRANSFER
from procedures.resignation.policy import ResignationPolicy
from scheduler.registry import JobHandler
from slackui.commands import HelpEntry, Subcommand
from slackui.views import resignation as views
from store import requests_repo
from store.directory import Directory
from store.jobs import ClaimedJob

PROCEDURE = "resignation"


def _enabled(policy: Policy) -> bool:
    spec = policy.procedure(PROCEDURE)
    return spec is not None and spec.enabled


def _resign(deps: Deps, user: str, _respond: Respond, _rest: str, **kwargs: Any) -> None:
    open_form(deps, kwargs["command"]["trigger_id"], user, PROCEDURE)


def _hr(deps: Deps) -> list[str]:
    with deps.sessions.read() as session:
        return Directory(session).users_with_role("hr")


def _run_transfer(deps: Deps, job: ClaimedJob) -> None:
    with deps.sessions.begin() as session:
        ctx = deps.engine_context(session)
        done = transfer.run(ctx, int(job.payload["request_id"]))
    deps.after_commit(ctx.jobs)
    if done is None:
        return  # rejected, withdrawn or expired meanwhile: nothing moves
    cite = deps.policy.section(ResignationPolicy).cite
    posts = []
    for user in dict.fromkeys([done.successor, *_hr(deps)]):
        t = deps.people.translator(user, refresh=False)
        text = views.moved_text(t, done.number, done.leaver, done.successor, cite, done.items)
        # Keyed by how much is listed: a re-run that moved nothing sends nothing again.
        key = f"{TRANSFER}:{done.request_id}:{len(done.items)}:{user}"
        posts.append(Post(user, text, key=key))
    deps.after_commit(schedule_posts(deps, posts))


def _checklist(deps: Deps, request_id: int) -> tuple[str, str, str, date | None, list[Any]] | None:
    with deps.sessions.read() as session:
        request = requests_repo.get(session, request_id)
        spec = deps.policy.procedure(PROCEDURE)
        if request is None or spec is None:
            return None
        lines = []
        for step in requests_repo.steps(session, request, request.round):
            if step.task == "decision":
                continue
            done = [
                row
                for row in requests_repo.approvers(session, step, active_only=False)
                if row.decision is not None
            ]
            data: Mapping[str, Any] = (done[0].data or {}) if done else {}
            lines.append(
                views.ChecklistLine(
                    step=dict(step.label),
                    done_by=done[0].user_id if done else None,
                    note=str(data.get("note") or ""),
                )
            )
        try:
            day: date | None = date.fromisoformat(str(request.payload.get("last_day")))
        except ValueError:
            day = None
        successor = str(request.payload.get("successor") or "")
        return number_of(spec, request), request.requester, successor, day, lines


def _send_summary(deps: Deps, job: ClaimedJob) -> None:
    request_id = int(job.payload["request_id"])
    found = _checklist(deps, request_id)
    if found is None:
        return
    number, leaver, successor, day, lines = found
    cite = deps.policy.section(ResignationPolicy).cite
    posts = []
    for user in _hr(deps):
        t = deps.people.translator(user, refresh=False)
        shown_day = show_date(day, t.lang) if day else "—"
        text = views.summary_text(t, number, leaver, successor, shown_day, cite, lines)
        posts.append(Post(user, text, key=f"{SUMMARY}:{request_id}:{user}"))
    deps.after_commit(schedule_posts(deps, posts))


def _jobs(deps: Deps) -> Mapping[str, JobHandler]:
    return {
        TRANSFER: lambda job: _run_transfer(deps, job),
        SUMMARY: lambda job: _send_summary(deps, job),
    }


MODULE = ProcedureModule(
    domain=DOMAIN,
    help=(HelpEntry("/procedo resign", "help.procedo.resign", "/procedo resign"),),
    subcommands=(Subcommand("resign", _resign, aliases=("resignation", "离职")),),
    jobs=_jobs,
    enabled=_enabled,
)
