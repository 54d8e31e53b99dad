"""Bringing Slack in line with a request, and the clock's timers for pending steps.

The database is the truth and Slack a projection of it: the sync job (one at a time per
request, see `store.jobs.arm`) posts or updates the card, posts a thread note for every audit
event not yet shown, posts or closes the approver prompt, and DMs the requester. Each piece
records how far it got, so a retry after a failure resumes instead of repeating.
"""

from __future__ import annotations

from sqlalchemy import update

from handlers.deps import Deps
from handlers.tasks import sync_assignee_dms
from procedures import decisions, engine, handover
from procedures.request_view import Event, RequestView, events, snapshot
from scheduler.registry import JobHandler, PermanentFailure
from slackui.i18n import Translator
from slackui.views import requests as views
from store import requests_repo
from store.jobs import ClaimedJob
from store.models import Request, RequestStep


def register(deps: Deps) -> None:
    deps.jobs.register(engine.SYNC, lambda job: sync_request(deps, job.payload["request_id"]))
    for kind, run in (
        (engine.REMIND, decisions.remind),
        (engine.ESCALATE, decisions.escalate),
        (engine.EXPIRE, decisions.expire),
    ):
        deps.jobs.register(kind, _timer(deps, run))
    deps.jobs.register(handover.HANDOVER, lambda job: hand_over(deps, job.payload["approver"]))


def _timer(deps: Deps, run: decisions.TimerAction) -> JobHandler:
    def handle(job: ClaimedJob) -> None:
        payload = job.payload
        with deps.sessions.begin() as session:
            ctx = deps.engine_context(session)
            run(ctx, payload["request_id"], payload["round"], payload["position"])
        deps.after_commit(ctx.jobs)

    return handle


def hand_over(deps: Deps, approver: str) -> None:
    """Each request waiting on `approver` goes to their delegate, one transaction each."""
    with deps.sessions.begin() as session:
        waiting = [request.id for request, _step in requests_repo.pending_for(session, approver)]
    for request_id in waiting:
        with deps.sessions.begin() as session:
            ctx = deps.engine_context(session)
            decisions.hand_over_waiting(ctx, request_id, approver)
        deps.after_commit(ctx.jobs)


def _load(deps: Deps, request_id: int) -> tuple[RequestView, list[Event], str | None]:
    with deps.sessions.begin() as session:
        request = requests_repo.get(session, request_id)
        if request is None:
            raise PermanentFailure(f"request {request_id} is gone")
        view = snapshot(session, deps.policy, request)
        trail = events(session, request_id)
        channel = view.channel or deps.channel_for(session, view.spec.channel)
    return view, trail, channel


def _save(deps: Deps, request_id: int, **values: object) -> None:
    # A plain UPDATE: Slack bookkeeping must not bump the version a decision is checked against.
    with deps.sessions.begin() as session:
        session.execute(update(Request).where(Request.id == request_id).values(**values))


def _save_step(deps: Deps, step_id: int, **values: object) -> None:
    with deps.sessions.begin() as session:
        session.execute(update(RequestStep).where(RequestStep.id == step_id).values(**values))


def sync_request(deps: Deps, request_id: int) -> None:
    view, trail, channel = _load(deps, request_id)
    if channel is None:
        raise PermanentFailure(
            f"no channel for {view.spec.id}: set channels.{view.spec.channel} or "
            "channels.approvals in the org file"
        )
    t = Translator(deps.org_language())
    tz = deps.org_tz()
    override = next((e for e in reversed(trail) if e.action == "request.override"), None)
    text, blocks = views.card(view, t, tz, override)
    card_ts = view.card_ts
    if card_ts is None:
        card_ts = deps.deliver.post(channel, text=text, blocks=blocks)["ts"]
        _save(deps, request_id, channel=channel, card_ts=card_ts, card_version=view.version)
    elif view.card_version != view.version:
        deps.deliver.update(channel, card_ts, text=text, blocks=blocks)
        _save(deps, request_id, card_version=view.version)

    for event in (e for e in trail if e.id > view.thread_synced):
        line = views.note(view, event, t)
        if line is not None:
            deps.deliver.post(channel, text=line, thread_ts=card_ts)
        _save(deps, request_id, thread_synced=event.id)

    _sync_prompts(deps, view, channel, card_ts, t)
    _sync_dms(deps, view, trail)
    sync_assignee_dms(deps, view, trail)


def _sync_prompts(deps: Deps, view: RequestView, channel: str, card_ts: str, t: Translator) -> None:
    current = view.current
    for step in view.steps:
        is_current = current is not None and step.id == current.id
        stale = step.prompt_open and (not is_current or step.prompted_assignment < step.assignment)
        if stale and step.prompt_ts:
            text, blocks = views.closed_prompt(view, step, t)
            deps.deliver.update(channel, step.prompt_ts, text=text, blocks=blocks)
            _save_step(deps, step.id, prompt_open=False)
        if is_current and step.prompted_assignment < step.assignment:
            text, blocks = views.prompt(view, step, t)
            ts = deps.deliver.post(channel, text=text, blocks=blocks, thread_ts=card_ts)["ts"]
            _save_step(
                deps, step.id, prompt_ts=ts, prompt_open=True, prompted_assignment=step.assignment
            )


# What the requester did themselves needs no DM, except the confirmations of filing.
CONFIRMED_TO_REQUESTER = {"request.submitted", "request.resubmitted", "request.cancel_requested"}


def _sync_dms(deps: Deps, view: RequestView, trail: list[Event]) -> None:
    me = deps.people.view(view.requester)
    for event in (e for e in trail if e.id > view.dm_synced):
        own = event.actor == view.requester
        message = (
            None
            if own and event.action not in CONFIRMED_TO_REQUESTER
            else views.requester_dm(view, event, me.t)
        )
        if message is not None:
            text, blocks = message
            deps.deliver.dm(view.requester, text=text, blocks=blocks)
        _save(deps, view.id, dm_synced=event.id)
