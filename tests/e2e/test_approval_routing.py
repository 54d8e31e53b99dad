"""Delegation (per request and standing), escalation and expiry on the fake clock, admin
override, and the lists: pending, mine, show, with who may see what."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.support.approvals import (
    card_text,
    file_expense,
    history,
    prompt_for,
    state_of,
    thread_text,
)
from tests.support.harness import Harness


def test_delegate_one_request(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    bob = h.as_("bob")
    bob.click("Delegate", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.ls.wait_view("bob", callback_id="request.delegate")
    response = bob.submit({"delegate": "alice"})  # the requester: refused in the form
    assert response.json and response.json["response_action"] == "errors"
    bob.submit({"delegate": "erin"})
    new_prompt = prompt_for(h, card, f"<@{h.uid('erin')}>")
    assert f"on behalf of <@{h.uid('bob')}>" in h.ls.text_of(new_prompt)
    # Bob's old buttons are gone, and Bob can no longer decide.
    bob.click("Approve", message=new_prompt)
    h.ls.wait_ephemeral("bob", contains="只有本步骤的审批人")  # Bob reads Chinese
    h.as_("erin").click("Approve", message=new_prompt)
    prompt_for(h, card, "step 2 of 2")
    assert "handed this decision to" in thread_text(h, card)


def test_standing_delegation_routes_new_requests(harness: Harness) -> None:
    h = harness
    bob = h.as_("bob")
    bob.command("/procedo", f"delegate <@{h.uid('erin')}|erin> until 11月30日", channel="general")
    h.ls.wait_ephemeral("bob", contains=f"<@{h.uid('erin')}>")
    card = file_expense(h, "alice")
    prompt = prompt_for(h, card, f"<@{h.uid('erin')}>")
    assert f"<@{h.uid('bob')}>" in h.ls.text_of(prompt)  # "on behalf of"
    # After the period, requests go to Bob again.
    h.advance(timedelta(days=8), tick=False)
    second = file_expense(h, "alice", "300")
    prompt_for(h, second, f"<@{h.uid('bob')}>")
    bob.command("/procedo", "delegate off", channel="general")
    h.ls.wait_ephemeral("bob", contains="关闭")


def test_reminder_escalation_and_expiry_follow_working_hours(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")  # Monday 23 November, 10:00 in Shanghai
    # Working hours are 9:00-18:00 on working days: 8 hours later is Monday 18:00.
    h.set_time(datetime.fromisoformat("2026-11-23T17:59:00+08:00"))
    assert "Reminder" not in thread_text(h, card)
    h.set_time(datetime.fromisoformat("2026-11-23T18:00:00+08:00"))
    h.ls.wait_for(lambda: "Reminder" in thread_text(h, card), message="a reminder")
    # 24 working hours (Wednesday 16:00): escalated to the level above Bob (Dan).
    h.set_time(datetime.fromisoformat("2026-11-25T16:00:00+08:00"))
    escalated = prompt_for(h, card, f"<@{h.uid('dan')}>")
    assert f"<@{h.uid('bob')}>" in h.ls.text_of(escalated)
    # 120 working hours (13 days and 3 hours of work: Thursday 10 December, 13:00): expired.
    h.set_time(datetime.fromisoformat("2026-12-10T12:59:00+08:00"))
    assert state_of(h) == "pending"
    h.as_("dan").command("/procedo", "pending", channel="general")
    listed = h.ls.wait_ephemeral("dan", contains="EX-0001")
    h.set_time(datetime.fromisoformat("2026-12-10T13:00:00+08:00"))
    h.ls.wait_dm("alice", contains="expired")
    assert state_of(h) == "expired"
    # The escalated prompt lost its buttons; a click from an older list is told why.
    assert not any(
        b.get("type") == "actions" for b in h.ls.message("C0APPROVALS", escalated.ts).blocks
    )
    h.as_("dan").click("批准", message=listed)  # Dan reads Chinese
    h.ls.wait_ephemeral("dan", contains="已过期")


def test_deciding_cancels_the_timers(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.as_("fay").click("Approve", message=prompt_for(h, card, "step 2 of 2"))
    h.ls.wait_dm("alice", contains="is approved")
    h.set_time(datetime.fromisoformat("2026-12-31T10:00:00+08:00"))
    assert "Reminder" not in thread_text(h, card)
    assert state_of(h) == "approved"


def test_a_bot_admin_may_override_with_a_reason(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    dan = h.as_("dan")  # bot admin, not an approver of step 1
    dan.click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.ls.wait_view("dan", callback_id="request.reason", contains="越权")
    dan.submit({"reason": "Bob is on a plane; approved per phone call"})
    prompt_for(h, card, "step 2 of 2")
    h.ls.wait_for(lambda: "override" in card_text(h, card), message="the override on the card")
    override = [e for e in history(h) if e.action == "request.override"]
    assert (
        override
        and override[0].actor == h.uid("dan")
        and "phone call" in (override[0].reason or "")
    )


def test_lists_and_who_may_see_a_request(harness: Harness) -> None:
    h = harness
    file_expense(h, "alice")
    h.as_("bob").command("/procedo", "pending", channel="general")
    pending = h.ls.wait_ephemeral("bob", contains="EX-0001")
    assert any(b.get("type") == "actions" for b in pending.blocks)  # decide from the list
    h.as_("alice").command("/procedo", "requests", channel="general")
    h.ls.wait_ephemeral("alice", contains="EX-0001")

    h.as_("fay").command("/procedo", "show ex-1", channel="general")  # finance may see
    h.ls.wait_ephemeral("fay", contains="时间线")
    h.as_("gus").command("/procedo", "show EX-0001", channel="general")
    h.ls.wait_ephemeral("gus", contains="无权查看")
    h.as_("alice").command("/procedo", "show EX-0099", channel="general")
    h.ls.wait_ephemeral("alice", contains="No request EX-0099")


def test_comments_in_the_thread_join_the_history(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    h.as_("bob").post("approvals", "Which client was this for?", thread_ts=card.ts)
    h.ls.wait_for(
        lambda: any(e.action == "request.comment" for e in history(h)), message="comment recorded"
    )
    h.as_("alice").command("/procedo", "show EX-0001", channel="general")
    h.ls.wait_ephemeral("alice", contains="Which client was this for?")
