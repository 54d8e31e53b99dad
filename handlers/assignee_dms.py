"""The DMs the sync job keeps in line with a case, beside its card and thread: each assignee's
DM with their buttons (every kind of task), the buttons on the requester's DMs, and the one-off
DMs of a nudge (催办) and of the CC list (抄送).

Every DM that shows buttons is recorded in the Slack projection (`store.slack_repo`) and
edited in place once the buttons no longer fit: no stale Approve, Withdraw or Resubmit.
"""

from __future__ import annotations

from handlers.deps import Deps
from handlers.outbox import Post, schedule_posts
from procedures.request_view import ApproverView, Event, RequestView, StepView
from slackui.views import actions as action_views
from slackui.views import requests as views
from slackui.views import tasks as task_views
from store import slack_repo


def _dm_open(view: RequestView, step: StepView, user: str) -> bool:
    current = view.current
    return current is not None and step.id == current.id and user in step.waiting


def sync_assignee_dms(deps: Deps, view: RequestView, trail: list[Event]) -> None:
    """Each person the current step waits on has a DM with its buttons; once it no longer
    waits on them (decided, transferred, the case moved on, in any round) the DM says how it
    ended, without the buttons."""
    with deps.sessions.read() as session:
        shown = {
            k: (r.dm_channel, r.dm_ts, r.dm_open)
            for k, r in slack_repo.approver_dms(session, view.id).items()
        }
    current = view.current
    if current is not None:
        for person in current.active_approvers:
            # A DM that was closed and waits on them again (加签 before them, handed back)
            # is posted afresh.
            if person.user not in current.waiting or shown.get(person.id, (None, None, False))[2]:
                continue
            t = deps.people.translator(person.user)
            if current.task == "decision":
                text, blocks = action_views.approver_dm(view, current, t)
            else:
                note = task_views.sent_back_note(view, trail, t)
                text, blocks = task_views.assignee_dm(view, current, t, note)
            sent = deps.deliver.dm(person.user, text=text, blocks=blocks)
            _save(deps, view.id, person.id, dm_channel=sent["channel"], dm_ts=sent["ts"], open=True)
    for approver_id, (channel, ts, is_open) in shown.items():
        step, found = _find(view, approver_id)
        if not is_open or not channel or not ts or step is None or found is None:
            continue
        if found.active and _dm_open(view, step, found.user):
            continue
        t = deps.people.translator(found.user)
        if step.task == "decision":
            text, blocks = action_views.closed_dm(view, step, t)
        else:
            text, blocks = task_views.closed(view, step, t)
        deps.deliver.update(channel, ts, text=text, blocks=blocks)
        _save(deps, view.id, approver_id, open=False)


def _find(view: RequestView, approver_id: int) -> tuple[StepView | None, ApproverView | None]:
    for step in (*view.steps, *view.earlier):
        for person in step.approvers:
            if person.id == approver_id:
                return step, person
    return None, None


def _save(deps: Deps, request_id: int, approver_id: int, *, open: bool, **values: object) -> None:
    with deps.sessions.begin() as session:
        slack_repo.save_approver_dm(session, approver_id, request_id, dm_open=open, **values)


def sync_requester_buttons(deps: Deps, view: RequestView, trail: list[Event]) -> None:
    """Only the requester's newest DM may keep its buttons, and only those that still fit
    where the request stands; older ones lose theirs, in place."""
    with deps.sessions.read() as session:
        posted = [
            (row.id, row.event_id, row.channel, row.ts, row.text)
            for row in slack_repo.open_requester_dms(session, view.id)
        ]
    if not posted:
        return
    by_id = {event.id: event for event in trail}
    newest = max(event_id for _, event_id, *_ in posted)
    t = deps.people.translator(view.requester)
    for dm_id, event_id, channel, ts, text in posted:
        event = by_id.get(event_id)
        fits = event is not None and event_id == newest and views.requester_buttons(view, event)
        if fits:
            continue
        blocks = views.requester_dm_closed(view, text, t)
        deps.deliver.update(channel, ts, text=text, blocks=blocks)
        with deps.sessions.begin() as session:
            slack_repo.close_requester_dm(session, dm_id)


def notify_people(deps: Deps, view: RequestView, trail: list[Event], after: int) -> None:
    """The DMs of a nudge (to whoever it waited on) and of a CC (to the list), for events the
    sync has not handled yet; each is a keyed post, so a retried sync never sends it twice."""
    posts: list[Post] = []
    for event in (e for e in trail if e.id > after):
        if event.action not in ("request.nudged", "request.copied"):
            continue
        users = event.detail.get("users") or []
        for user in users if isinstance(users, list) else []:
            t = deps.people.translator(str(user))
            if event.action == "request.nudged":
                text = action_views.nudge_dm(view, event, t)
            else:
                text = action_views.copy_dm(view, event, t)
            key = f"{event.action}:{event.id}:{user}"
            posts.append(Post(channel=str(user), text=text, key=key))
    if posts:
        deps.after_commit(schedule_posts(deps, posts))
