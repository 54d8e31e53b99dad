"""Approval actions end to end (issue 8 §4): approvers' DMs with buttons, 转交 transfer, 加签
add an approver before / after, 退回 to an earlier step, 催办 nudge with its rate limit, and
the requester's DMs losing buttons that no longer fit."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.support.approvals import (
    APPROVALS,
    approver_dm,
    buttons_gone,
    card_text,
    file_expense,
    has_buttons,
    history,
    prompt_for,
    state_of,
    thread_text,
)
from tests.support.harness import Harness
from tests.support.rectification import do_task, issue, task_dm


def test_approvers_decide_from_their_dm_and_each_dm_is_updated_in_place(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    # Bob reads Chinese: his DM is in Chinese, with the buttons.
    dm = approver_dm(h, "bob")
    assert "等待你审批" in h.ls.text_of(dm) and "第 1/2 步" in h.ls.text_of(dm)
    h.as_("bob").click("批准", message=dm)
    closed = buttons_gone(h, dm)
    assert "已批准" in h.ls.text_of(closed) and "approved" not in h.ls.text_of(closed)
    # Both finance people get a DM; the one who does not decide sees it close too.
    fay_dm, ian_dm = approver_dm(h, "fay"), approver_dm(h, "ian")
    h.as_("ian").click("Approve", message=ian_dm)
    assert "已批准" in h.ls.text_of(buttons_gone(h, fay_dm))
    assert "Approved" in h.ls.text_of(buttons_gone(h, ian_dm))
    h.ls.wait_for(lambda: "Approved by" in card_text(h, card), message="the card is approved")


def test_the_requesters_older_dms_lose_their_buttons(harness: Harness) -> None:
    h = harness
    file_expense(h, "alice")
    submitted = h.ls.wait_dm("alice", contains="is submitted")
    assert has_buttons(submitted)
    h.as_("bob").click("批准", message=approver_dm(h, "bob"))
    step_approved = h.ls.wait_dm("alice", contains="step 1 approved")
    buttons_gone(h, submitted)  # no stale Withdraw / Nudge on the first DM
    assert has_buttons(h.ls.message(step_approved.channel, step_approved.ts))
    h.as_("fay").click("批准", message=approver_dm(h, "fay"))
    h.ls.wait_dm("alice", contains="is approved")
    gone = buttons_gone(h, step_approved)
    assert "Now: Approved" in h.ls.text_of(gone)


def test_transfer_moves_the_task_and_dms_the_new_person(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    prompt = prompt_for(h, card, f"<@{h.uid('bob')}>")
    bob_dm = approver_dm(h, "bob")
    # Erin is not who this step waits on: refused, and the attempt is audited.
    h.as_("erin").select("request.more", "Transfer…", message=prompt)
    h.ls.wait_ephemeral("erin", contains="Only whoever this step waits on")
    assert [e.detail["attempted"] for e in history(h) if e.action == "request.refused"] == [
        "transfer"
    ]
    bob = h.as_("bob")
    bob.select("request.more", "转交…", message=bob_dm)  # from his DM, in Chinese
    h.ls.wait_view("bob", callback_id="request.person")
    response = bob.submit({"person": "alice"}, validate=False)  # the requester: refused
    assert response.json and response.json["response_action"] == "errors"
    bob.submit({"person": "erin", "reason": "I am travelling <!channel>"})
    erin_dm = approver_dm(h, "erin")
    assert "waits for your decision" in h.ls.text_of(erin_dm)
    buttons_gone(h, bob_dm)
    h.ls.wait_dm("bob", contains="已转交")
    transferred = [e for e in history(h) if e.action == "request.transferred"]
    assert [(e.actor, e.detail["to"]) for e in transferred] == [(h.uid("bob"), h.uid("erin"))]
    h.ls.wait_for(lambda: "transferred their task" in thread_text(h, card), message="the note")
    raw = json.dumps([(m.text, m.blocks) for m in h.ls.replies(APPROVALS, card.ts)])
    assert "<!channel>" not in raw and "&lt;!channel&gt;" in raw  # nobody is pinged
    # Bob cannot decide any more; Erin can, as the owner (not "on behalf of").
    new_prompt = prompt_for(h, card, f"<@{h.uid('erin')}>")
    assert "on behalf of" not in h.ls.text_of(new_prompt)
    h.as_("erin").click("Approve", message=erin_dm)
    prompt_for(h, card, "step 2 of 2")


def test_add_an_approver_before_me(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    bob = h.as_("bob")
    bob.select("request.more", "前加签…", message=approver_dm(h, "bob"))
    h.ls.wait_view("bob", callback_id="request.person")
    response = bob.submit({"person": "carol"}, validate=False)  # no reason: refused
    assert response.json and response.json["response_action"] == "errors"
    assert state_of(h) == "pending" and "request.approver_added" not in {
        e.action for e in history(h)
    }
    bob.submit({"person": "carol", "reason": "Carol booked the trip"})
    first = prompt_for(h, card, "step 1 of 3")
    assert f"<@{h.uid('carol')}>" in h.ls.text_of(first) and "Added approver" in h.ls.text_of(first)
    h.as_("carol").click("Approve", message=approver_dm(h, "carol"))
    back = prompt_for(h, card, "step 2 of 3")
    assert f"<@{h.uid('bob')}>" in h.ls.text_of(back)
    h.as_("bob").click("批准", message=approver_dm(h, "bob"))
    h.as_("fay").click("Approve", message=prompt_for(h, card, "step 3 of 3"))
    h.ls.wait_dm("alice", contains="is approved")
    added = next(e for e in history(h) if e.action == "request.approver_added")
    assert added.reason == "Carol booked the trip" and added.detail["where"] == "before"
    assert "added <@" in thread_text(h, card)


def test_add_an_approver_after_me_and_only_the_assignee_may(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    prompt = prompt_for(h, card, f"<@{h.uid('bob')}>")
    h.as_("fay").select("request.more", "Add approver after me…", message=prompt)
    h.ls.wait_ephemeral("fay", contains="只有当前步骤的处理人")
    bob = h.as_("bob")
    bob.select("request.more", "Add approver after me…", message=prompt)
    h.ls.wait_view("bob", callback_id="request.person")
    bob.submit({"person": "carol", "reason": "Admin checks the booking"})
    h.ls.wait_dm("bob", contains="已加签")
    bob.click("批准", message=approver_dm(h, "bob"))
    second = prompt_for(h, card, "step 2 of 3")
    assert f"<@{h.uid('carol')}>" in h.ls.text_of(second)
    h.as_("carol").click("Approve", message=second)
    prompt_for(h, card, "step 3 of 3")


def test_return_to_an_earlier_step_or_to_the_requester(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice", "8000")  # bob → finance → dan
    h.as_("bob").click("批准", message=approver_dm(h, "bob"))
    h.as_("fay").click("批准", message=approver_dm(h, "fay"))
    dan = h.as_("dan")
    dan_prompt = prompt_for(h, card, "step 3 of 3")
    dan.select("request.more", "Return to a step…", message=dan_prompt)
    h.ls.wait_view("dan", callback_id="request.return_to", contains="第 1 步")
    dan.submit({"target": "0", "reason": "Department must confirm the client visit"})
    again = prompt_for(h, card, f"<@{h.uid('bob')}>: please decide")
    assert "step 1 of 3" in h.ls.text_of(again)
    buttons_gone(h, dan_prompt)  # the old round's prompt has no buttons left
    sent_back = next(e for e in history(h) if e.action == "request.sent_back")
    assert sent_back.detail["position"] == 0 and sent_back.detail["from_position"] == 2
    assert state_of(h) == "pending"
    # Now all the way back to the requester.
    bob = h.as_("bob")
    bob.select("request.more", "退回到…", message=approver_dm(h, "bob"))
    h.ls.wait_view("bob", callback_id="request.return_to")
    bob.submit({"target": "start", "reason": "请补充发票"})
    h.ls.wait_dm("alice", contains="请补充发票")
    assert state_of(h) == "returned"


def test_nudge_at_most_once_an_hour(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    submitted = h.ls.wait_dm("alice", contains="is submitted")
    alice = h.as_("alice")
    h.as_("bob").click("Nudge", message=submitted)  # only the requester nudges
    h.ls.wait_ephemeral("bob", contains="只有申请人")
    alice.click("Nudge", message=submitted)
    h.ls.wait_ephemeral("alice", contains="reminded about EX-0001")
    h.ls.wait_dm("bob", contains="在催办 EX-0001")  # in Bob's language
    alice.click("Nudge", message=submitted)
    h.ls.wait_ephemeral("alice", contains="less than an hour ago")
    assert [e.action for e in history(h)].count("request.nudged") == 1
    h.advance(timedelta(minutes=61))
    alice.click("Nudge", message=submitted)
    h.ls.wait_for(
        lambda: [e.action for e in history(h)].count("request.nudged") == 2 or None,
        message="the second nudge",
    )
    h.ls.wait_for(lambda: thread_text(h, card).count("nudged") == 2 or None, message="notes")
    h.ls.wait_for(
        lambda: len([m for m in h.ls.dm("bob") if "在催办" in h.ls.text_of(m)]) == 2 or None,
        message="Bob's second nudge DM",
    )
    assert len(h.ls.messages(APPROVALS)) == 1


def test_a_reject_reason_never_pings_anyone(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    bob = h.as_("bob")
    bob.click("Reject", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.ls.wait_view("bob", callback_id="request.reason")
    bob.submit({"reason": "<!channel> see <@U0DAN>"})
    dm = h.ls.wait_dm("alice", contains="was rejected")
    h.ls.wait_for(lambda: "Rejected by" in thread_text(h, card), message="the thread note")
    raw = json.dumps(
        [(m.text, m.blocks) for m in [*h.ls.replies(APPROVALS, card.ts), dm]]
        + [h.ls.message(APPROVALS, card.ts).blocks]
    )
    assert "<!channel>" not in raw and "<@U0DAN>" not in raw and "&lt;!channel&gt;" in raw


def test_an_action_task_is_transferred_from_the_assignees_dm(harness: Harness) -> None:
    h = harness
    card = issue(h, "hana", owner="alice")
    dm = task_dm(h, "alice", "RN-0001", "Acknowledge")
    alice = h.as_("alice")
    alice.select("request.more", "Transfer…", message=dm)
    h.ls.wait_view("alice", callback_id="request.person")
    alice.submit({"person": "erin"})  # a reason is optional for a transfer
    task_dm(h, "erin", "RN-0001", "Acknowledge")
    buttons_gone(h, dm)
    do_task(h, "erin", "RN-0001", "Acknowledge", {})
    h.ls.wait_for(
        lambda: "transferred their task" in thread_text(h, card) or None,
        message="the thread note",
    )
    done = [e for e in history(h, procedure="rectification") if e.action == "request.task_done"]
    assert [e.actor for e in done] == [h.uid("erin")]
