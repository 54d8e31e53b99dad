"""Periodic review prompts: delivering them (clock jobs) and their buttons."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt import App

from handlers import prompt_answers
from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from handlers.outbox import Post, schedule_posts
from procedures import prompt_runs, prompts
from procedures.errors import NotFound
from procedures.policy.prompts import PromptSpec
from slackui.ids import Action
from slackui.timefmt import slack_time
from slackui.views.prompts import (
    digest_message,
    parse_prompt_value,
    prompt_answered,
    prompt_message,
)
from store import prompt_repo
from store.directory import Directory
from store.jobs import ClaimedJob

# A delivery that starts this long after its due time says it is late.
LATE_GRACE = timedelta(minutes=15)


def register(app: App, deps: Deps) -> None:
    deps.jobs.register(prompt_runs.DELIVER, lambda job: _deliver(deps, job, nudge=False))
    deps.jobs.register(prompt_runs.NUDGE, lambda job: _deliver(deps, job, nudge=True))
    deps.jobs.register(prompt_runs.DIGEST, lambda job: _digest(deps, job))
    prompt_answers.register(app, deps)

    on = listener(deps)

    @app.action(Action.PROMPT_DONE)
    @on
    def done(i: Interaction) -> None:
        i.ack()
        user, body = i.user, i.body
        spec, period = _spec(deps, i.value)
        me = i.me
        now = deps.clock.now()
        with deps.sessions.begin() as session:
            fresh = prompt_runs.mark_done(session, spec.id, period, user, now)
        note = (
            me.t("prompt.done", when=slack_time(now, me.tz, me.lang))
            if fresh
            else me.t("prompt.already_done")
        )
        _replace(deps, body, me.t("prompt.button.done"), prompt_answered(me.t, spec, period, note))

    @app.action(Action.PROMPT_SNOOZE)
    @on
    def snooze(i: Interaction) -> None:
        i.ack()
        user, body = i.user, i.body
        spec, period = _spec(deps, i.value)
        me = i.me
        now = deps.clock.now()
        with deps.sessions.begin() as session:
            until = prompts.next_working_morning(now, deps.calendar(session, user), me.tz)
            prompt_runs.snooze(session, spec.id, period, user, now=now, until=until)
        note = me.t("prompt.snoozed", when=slack_time(until, me.tz, me.lang))
        _replace(deps, body, note, prompt_answered(me.t, spec, period, note))

    @app.action(Action.PROMPT_OPEN)
    @on
    def open_form(i: Interaction) -> None:
        i.ack()
        spec, _period = _spec(deps, i.value)
        opener = deps.openers.get(spec.opens or "")
        if opener is None:
            raise NotFound("prompt.gone")
        opener(deps, i.body)


def _spec(deps: Deps, value: str) -> tuple[PromptSpec, str]:
    prompt_id, period = parse_prompt_value(value)
    spec = deps.policy.prompt(prompt_id)
    if spec is None or not spec.enabled:
        raise NotFound("prompt.gone")
    return spec, period


def _replace(deps: Deps, body: dict[str, Any], text: str, blocks: list[dict[str, Any]]) -> None:
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if channel and ts:
        deps.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)


def _deliver(deps: Deps, job: ClaimedJob, *, nudge: bool) -> None:
    payload = job.payload
    spec = deps.policy.prompt(payload["prompt"])
    if spec is None or not spec.enabled:
        return
    user, period = payload["user"], payload["period"]
    now = deps.clock.now()
    if nudge and now - job.due_at > LATE_GRACE:
        # A nudge only helps on time; after an outage the late prompt itself has just gone out.
        return
    with deps.sessions.begin() as session:
        if prompt_repo.response(session, spec.id, period, user) is not None:
            return  # done or excused: nothing to say
        if deps.is_away(session, user, now):
            prompt_runs.excuse(session, spec.id, period, user, now, "on leave")
            return
        calendar = deps.calendar(session)
        org_tz = deps.org_tz(session)
    me = deps.people.view(user)
    occurrence = prompts.occurrence_for_period(spec, period, job.due_at, calendar)
    deadline = prompts.deadline_time(spec, occurrence, calendar, org_tz)
    late = job.due_at if (not nudge and now - job.due_at > LATE_GRACE) else None
    kind = "nudge" if nudge else ("reminder" if payload.get("reminder") else "first")
    text, blocks = prompt_message(
        me.t,
        spec,
        period,
        tz=me.tz,
        deadline=deadline,
        late_since=late,
        kind=kind,
        can_open=(spec.opens or "") in deps.openers,
        extras=deps.prompt_extras[spec.id](user, period) if spec.id in deps.prompt_extras else None,
    )
    deps.deliver.dm(user, text=text, blocks=blocks)


def _digest(deps: Deps, job: ClaimedJob) -> None:
    payload = job.payload
    spec = deps.policy.prompt(payload["prompt"])
    if spec is None:
        return
    if spec.questions:
        prompt_answers.digest(deps, job, spec)
        return
    recipients: list[str] = payload["recipients"]
    with deps.sessions.begin() as session:
        answered = prompt_repo.responses(session, spec.id, payload["period"])
        excused = sum(1 for state in answered.values() if state == prompt_repo.EXCUSED)
        directory = Directory(session)
        missing = prompts.outstanding(recipients, answered)
        departments = {user: directory.department_of(user) for user in missing}
        readers = directory.users_with_role(payload["to_role"])
    # One delivery job per reader: a failure for one never repeats the digest to the others.
    posts = []
    for reader in readers:
        t = deps.people.translator(reader)
        rows = [
            (user, dept.name(t.lang) if dept else t("common.none"))
            for user, dept in departments.items()
        ]
        text, blocks = digest_message(t, spec, payload["period"], rows, len(recipients) - excused)
        posts.append(Post(reader, text, blocks, key=f"{job.dedupe_key}:{reader}"))
    deps.after_commit(schedule_posts(deps, posts))
