"""`/procedo jobs` for bot admins, its Retry button, and the alert when a job dies."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond

from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from handlers.outbox import Post, schedule_posts
from procedures.errors import NotAllowed
from slackui.commands import HelpEntry, Subcommand
from slackui.ids import Action
from slackui.payloads import parse_id
from slackui.views.prompts import jobs_blocks
from store import audit, jobs
from store.directory import Directory
from store.jobs import ClaimedJob

ALERT_PREFIX = "dead-alert:"


def register(app: App, deps: Deps) -> None:
    deps.commands.add_help(
        HelpEntry("/procedo jobs", "help.procedo.jobs", "/procedo jobs", admin_only=True)
    )
    deps.commands.add_subcommand(Subcommand("jobs", _jobs, admin_only=True))
    deps.runner.on_dead = lambda job, error: alert_admins(deps, job, error)

    @app.action(Action.JOB_RETRY)
    @listener(deps)
    def retry(i: Interaction) -> None:
        i.ack()
        user, value = i.user, i.value
        if not deps.is_bot_admin(user):
            with deps.sessions.begin() as session:
                audit.record(
                    session,
                    at=deps.clock.now(),
                    actor=user,
                    action="jobs.retry.refused",
                    subject_type="job",
                    subject_id=value[:64],
                )
            raise NotAllowed("error.bot_admin_only")
        job_id = parse_id(value)
        with deps.sessions.begin() as session:
            retried = jobs.retry_dead(session, job_id, now=deps.clock.now())
            if retried:
                audit.record(
                    session,
                    at=deps.clock.now(),
                    actor=user,
                    action="jobs.retry",
                    subject_type="job",
                    subject_id=str(job_id),
                    from_state=jobs.DEAD,
                    to_state=jobs.PENDING,
                )
        key = "jobs.retried" if retried else "jobs.not_dead"
        i.reply(i.t(key, id=job_id))


def _jobs(deps: Deps, user: str, respond: Respond, _rest: str, **_: Any) -> None:
    me = deps.people.view(user)
    with deps.sessions.begin() as session:
        blocks = jobs_blocks(
            me.t,
            me.tz,
            jobs.state_counts(session),
            jobs.next_due(session, 10),
            jobs.dead_jobs(session, 15),
        )
    respond(text=me.t("jobs.title"), blocks=blocks, response_type="ephemeral")


def alert_admins(deps: Deps, job: ClaimedJob, error: str) -> None:
    """DM every bot admin about a job that gave up (never about a failed alert itself)."""
    if (job.dedupe_key or "").startswith(ALERT_PREFIX):
        return
    with deps.sessions.begin() as session:
        admins = Directory(session).users_with_role("bot_admin")
    posts = []
    for admin in admins:
        t = deps.people.translator(admin, refresh=False)
        text = t(
            "jobs.dead_alert",
            kind=job.kind,
            id=job.id,
            attempts=job.attempts,
            error=error[:500],
        )
        posts.append(Post(admin, text, key=f"{ALERT_PREFIX}{job.id}:{job.attempts}:{admin}"))
    deps.after_commit(schedule_posts(deps, posts))
