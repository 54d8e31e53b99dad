"""The approval engine end to end, on the expense reimbursement procedure (policy only)."""

from __future__ import annotations

from tests.support.approvals import (
    card_text,
    file_expense,
    has_buttons,
    history,
    prompt_for,
    state_of,
    thread_text,
)
from tests.support.harness import Harness


def test_submit_approve_through_the_chain_and_the_requester_is_told(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice", "1200")
    assert "EX-0001" in h.ls.text_of(card) and "Expense reimbursement" in h.ls.text_of(card)
    assert "Per regulation 001 §5.2" in h.ls.text_of(card)
    h.ls.wait_dm("alice", contains="EX-0001")

    first = prompt_for(h, card, f"<@{h.uid('bob')}>")
    h.as_("bob").click("Approve", message=first)
    second = prompt_for(h, card, "step 2 of 2")
    assert f"<@{h.uid('fay')}>" in h.ls.text_of(second) and f"<@{h.uid('ian')}>" in h.ls.text_of(
        second
    )
    h.as_("ian").click("Approve", message=second)

    h.ls.wait_dm("alice", contains="is approved by")
    h.ls.wait_for(lambda: "Approved by" in card_text(h, card), message="the card shows approved")
    assert state_of(h) == "approved"
    actions = [e.action for e in history(h)]
    assert actions == ["request.submitted", "request.step_approved", "request.approved"]
    assert "Step 1 approved by" in thread_text(h, card)


def test_reject_needs_a_reason_and_a_missing_one_changes_nothing(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    prompt = prompt_for(h, card, f"<@{h.uid('bob')}>")
    bob = h.as_("bob")
    bob.click("Reject", message=prompt)
    h.ls.wait_view("bob", callback_id="request.reason")
    before = len(history(h))
    response = bob.submit({"reason": "   "}, validate=False)
    assert response.json and response.json["response_action"] == "errors"
    view = h.ls.view("bob")
    assert view is not None and "reason" in view.errors
    assert state_of(h) == "pending" and len(history(h)) == before

    bob.submit({"reason": "Please use the travel agency next time"})
    h.ls.wait_dm("alice", contains="Please use the travel agency")
    assert state_of(h) == "rejected"
    h.ls.wait_for(lambda: "Rejected" in card_text(h, card), message="the card shows rejected")


def test_return_edit_and_resubmit_keeps_the_number_and_the_history(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice", "800", link="https://files.example.com/blurry.jpg")
    bob = h.as_("bob")
    bob.click("Return for changes", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.ls.wait_view("bob", callback_id="request.reason")
    bob.submit({"reason": "The receipt is unreadable"})
    returned = h.ls.wait_dm("alice", contains="unreadable")
    assert state_of(h) == "returned"

    alice = h.as_("alice")
    alice.click("Edit & resubmit", message=returned)
    # The form opens pre-filled, with the approver's reason on top.
    h.ls.wait_view("alice", callback_id="request.form", contains="unreadable")
    alice.submit({"f:receipt:link": "https://files.example.com/clear.pdf"})
    h.ls.wait_dm("alice", contains="resubmitted")

    bob.click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.as_("fay").click("Approve", message=prompt_for(h, card, "step 2 of 2"))
    h.ls.wait_dm("alice", contains="is approved")
    actions = [e.action for e in history(h)]
    assert actions == [
        "request.submitted",
        "request.returned",
        "request.resubmitted",
        "request.step_approved",
        "request.approved",
    ]
    resubmitted = history(h)[2]
    assert resubmitted.detail["changed"] == ["receipt"]
    assert len(h.ls.messages("C0APPROVALS")) == 1  # one card, updated in place
    assert "EX-0001" in card_text(h, card)


def test_withdraw_while_pending(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    submitted = h.ls.wait_dm("alice", contains="EX-0001")
    h.as_("alice").click("Withdraw", message=submitted)
    h.ls.wait_ephemeral("alice", contains="withdrawn")
    assert state_of(h) == "withdrawn"
    h.ls.wait_for(lambda: "Withdrawn" in card_text(h, card), message="card shows withdrawn")
    # The prompt loses its buttons: nobody can decide a withdrawn request.
    h.ls.wait_for(
        lambda: next(
            (
                m
                for m in h.ls.replies("C0APPROVALS", card.ts)
                if "Decision on step 1" in h.ls.text_of(m) and not has_buttons(m)
            ),
            None,
        ),
        message="the prompt closed",
    )


def test_a_department_head_goes_to_the_director(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "bob")
    prompt = prompt_for(h, card, f"<@{h.uid('dan')}>")
    assert f"<@{h.uid('bob')}>" not in h.ls.text_of(prompt).split(":")[0]


def test_big_amounts_need_the_director_too(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice", "8000")
    h.as_("bob").click("Approve", message=prompt_for(h, card, "step 1 of 3"))
    h.as_("fay").click("Approve", message=prompt_for(h, card, "step 2 of 3"))
    third = prompt_for(h, card, "step 3 of 3")
    assert f"<@{h.uid('dan')}>" in h.ls.text_of(third)
    h.as_("dan").click("Approve", message=third)
    h.ls.wait_dm("alice", contains="is approved")


def test_a_non_approver_is_refused_and_the_attempt_audited(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    prompt = prompt_for(h, card, f"<@{h.uid('bob')}>")
    h.as_("erin").click("Approve", message=prompt)
    h.ls.wait_ephemeral("erin", contains="Only the approvers of this step")
    assert state_of(h) == "pending"
    refused = [e for e in history(h) if e.action == "request.refused"]
    assert [(e.actor, e.detail["attempted"]) for e in refused] == [(h.uid("erin"), "approve")]


def test_the_requester_cannot_approve_their_own_request(harness: Harness) -> None:
    h = harness
    # Ian is in Finance: the finance step for him goes to Fay alone, who already decides
    # step 1 as his head, so she approves once. Ian himself is never an approver of it.
    card = file_expense(h, "ian")
    prompt = prompt_for(h, card, f"<@{h.uid('fay')}>")
    assert "step 1 of 1" in h.ls.text_of(prompt)
    h.as_("ian").click("Approve", message=prompt)
    h.ls.wait_ephemeral("ian", contains="cannot decide your own request")
    assert state_of(h) == "pending"
    h.as_("fay").click("Approve", message=prompt)
    h.ls.wait_dm("ian", contains="is approved")
