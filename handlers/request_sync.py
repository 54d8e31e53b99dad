"""Bringing Slack in line with a request, and the clock's timers for pending steps.

The database is the truth and Slack a projection of it: the sync job (one at a time per
request, see `store.jobs.arm`) posts or updates the card, posts a thread note for every audit
event not yet shown, posts or closes the approver prompt, DMs the requester (and takes the
buttons off DMs that no longer fit), DMs each assignee with their buttons, and tells the CC
list when the case ends. Each piece records how far it got in the Slack projection tables
(`store.slack_repo`), so a retry after a failure resumes instead of repeating.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.assignee_dms import notify_people, sync_assignee_dms, sync_requester_buttons
from handlers.deps import Deps
from procedures import decisions, engine, handover
from procedures.request_view import Event, RequestView, events, snapshot
from scheduler.registry import JobHandler, PermanentFailure
from slackui.i18n import Translator
from slackui.views import requests as views
from store import requests_repo, slack_repo
from store.jobs import ClaimedJob


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


@dataclass(frozen=True)
class Projection:
    """What Slack shows of the request now (from `store.models.slack`), read with the view."""

    channel: str | None
    card_ts: str | None
    card_version: int
    thread_synced: int
    dm_synced: int
    prompts: dict[int, tuple[str | None, bool, int]]  # step id -> (ts, open, assignment)


def _load(deps: Deps, request_id: int) -> tuple[RequestView, list[Event], Projection, str | None]:
    with deps.sessions.begin() as session:
        request = requests_repo.get(session, request_id)
        if request is None:
            raise PermanentFailure(f"request {request_id} is gone")
        view = snapshot(session, deps.policy, request)
        trail = events(session, request_id)
        row = slack_repo.message(session, request_id)
        shown = Projection(
            channel=row.channel,
            card_ts=row.card_ts,
            card_version=row.card_version,
            thread_synced=row.thread_synced,
            dm_synced=row.dm_synced,
            prompts={
                p.step_id: (p.prompt_ts, p.prompt_open, p.prompted_assignment)
                for p in slack_repo.prompts(session, request_id).values()
            },
        )
        channel = shown.channel or deps.channel_for(session, view.spec.channel)
    return view, trail, shown, channel


def _save(deps: Deps, request_id: int, **values: object) -> None:
    with deps.sessions.begin() as session:
        slack_repo.save_message(session, request_id, **values)


def _save_prompt(deps: Deps, request_id: int, step_id: int, **values: object) -> None:
    with deps.sessions.begin() as session:
        slack_repo.save_prompt(session, step_id, request_id, **values)


def sync_request(deps: Deps, request_id: int) -> None:
    view, trail, shown, channel = _load(deps, request_id)
    if channel is None:
        raise PermanentFailure(
            f"no channel for {view.spec.id}: set channels.{view.spec.channel} or "
            "channels.approvals in the org file"
        )
    t = Translator(deps.org_language())
    tz = deps.org_tz()
    text, blocks = views.card(view, t, tz, trail)
    card_ts = shown.card_ts
    if card_ts is None:
        card_ts = deps.deliver.post(channel, text=text, blocks=blocks)["ts"]
        _save(deps, request_id, channel=channel, card_ts=card_ts, card_version=view.version)
    elif shown.card_version != view.version:
        deps.deliver.update(channel, card_ts, text=text, blocks=blocks)
        _save(deps, request_id, card_version=view.version)

    for event in (e for e in trail if e.id > shown.thread_synced):
        line = views.note(view, event, t)
        if line is not None:
            deps.deliver.post(channel, text=line, thread_ts=card_ts)
        _save(deps, request_id, thread_synced=event.id)

    _sync_prompts(deps, view, shown, channel, card_ts, t)
    notify_people(deps, view, trail, after=shown.dm_synced)
    _sync_dms(deps, view, trail, shown)
    sync_requester_buttons(deps, view, trail)
    sync_assignee_dms(deps, view, trail)


def _sync_prompts(
    deps: Deps, view: RequestView, shown: Projection, channel: str, card_ts: str, t: Translator
) -> None:
    """Every prompt still showing buttons it should not loses them (any round); the current
    step gets a new prompt whenever its people changed."""
    current = view.current
    for step_id, (ts, is_open, prompted) in shown.prompts.items():
        step = view.step_by_id(step_id)
        is_current = current is not None and step_id == current.id
        if not is_open or not ts or step is None:
            continue
        if not is_current or prompted < step.assignment:
            text, blocks = views.closed_prompt(view, step, t)
            deps.deliver.update(channel, ts, text=text, blocks=blocks)
            _save_prompt(deps, view.id, step_id, prompt_open=False)
    if current is None:
        return
    prompted = shown.prompts.get(current.id, (None, False, 0))[2]
    if prompted < current.assignment:
        text, blocks = views.prompt(view, current, t)
        ts = deps.deliver.post(channel, text=text, blocks=blocks, thread_ts=card_ts)["ts"]
        _save_prompt(
            deps,
            view.id,
            current.id,
            prompt_ts=ts,
            prompt_open=True,
            prompted_assignment=current.assignment,
        )


# What the requester did themselves needs no DM, except the confirmations of filing.
CONFIRMED_TO_REQUESTER = {"request.submitted", "request.resubmitted", "request.cancel_requested"}


def _sync_dms(deps: Deps, view: RequestView, trail: list[Event], shown: Projection) -> None:
    me = deps.people.view(view.requester)
    for event in (e for e in trail if e.id > shown.dm_synced):
        own = event.actor == view.requester
        message = (
            None
            if own and event.action not in CONFIRMED_TO_REQUESTER
            else views.requester_dm(view, event, me.t)
        )
        if message is not None:
            text, blocks = message
            sent = deps.deliver.dm(view.requester, text=text, blocks=blocks)
            if any(block.get("type") == "actions" for block in blocks):
                with deps.sessions.begin() as session:
                    slack_repo.add_requester_dm(
                        session, view.id, event.id, sent["channel"], sent["ts"], text
                    )
        _save(deps, view.id, dm_synced=event.id)
