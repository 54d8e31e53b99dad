"""Issue 14.4: every refused attempt is audited and the user is told why; the Ask-to-cancel
modal opens only for those who may use it; a person outside the org cannot delegate."""

from __future__ import annotations

from sqlalchemy import select

from slackui.ids import Action
from store.models import AuditEntry, Delegation, Request
from tests.support.approvals import card_for, file_expense, history, prompt_for, state_of
from tests.support.harness import Harness
from tests.support.leave import ask
from tests.support.tamper import press


def refusals(h: Harness) -> list[tuple[str, str]]:
    """(who, attempted) of every `request.refused` on EX-0001."""
    return [
        (e.actor, str(e.detail.get("attempted")))
        for e in history(h)
        if e.action == "request.refused"
    ]


def test_deciding_ones_own_request_is_refused_and_audited(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    prompt = prompt_for(h, card, f"<@{h.uid('bob')}>")
    alice = h.as_("alice")
    alice.click("Approve", message=prompt)
    h.ls.wait_ephemeral("alice", contains="cannot decide your own request")
    alice.click("Reject", message=prompt)
    h.ls.wait_for(lambda: len(h.ls.ephemerals("alice")) >= 2, message="the second refusal")
    assert h.ls.view("alice") is None  # no reason modal for her own request
    me = h.uid("alice")
    assert refusals(h) == [(me, "approve"), (me, "reject")]
    assert state_of(h) == "pending"


def test_withdraw_and_resubmit_by_someone_else_are_refused_and_audited(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    request_id = _request_id(h)
    erin = h.uid("erin")
    press(h, "erin", card, Action.REQUEST_WITHDRAW, str(request_id))
    h.ls.wait_ephemeral("erin", contains="Only the requester")
    assert state_of(h) == "pending"

    bob = h.as_("bob")
    bob.click("Return for changes", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.ls.wait_view("bob", callback_id="request.reason")
    bob.submit({"reason": "Receipt unreadable"})
    h.ls.wait_dm("alice", contains="Receipt unreadable")
    press(h, "erin", card, Action.REQUEST_RESUBMIT, str(request_id))
    h.ls.wait_for(lambda: len(h.ls.ephemerals("erin")) >= 2, message="the second refusal")
    assert h.ls.view("erin") is None
    assert refusals(h) == [(erin, "withdraw"), (erin, "resubmit")]
    assert state_of(h) == "returned"


def test_ask_to_cancel_opens_only_for_the_requester_of_approved_cancellable_leave(
    harness: Harness,
) -> None:
    h = harness
    h.as_("alice").click("Submit", message=ask(h, "alice", "annual dec 7-8"))
    card = card_for(h, "LV-0001")
    request_id = _request_id(h, "leave")
    # Pending: not yet (no modal, told why).
    press(h, "alice", card, Action.REQUEST_CANCEL, str(request_id))
    h.ls.wait_ephemeral("alice", contains="while the request is Pending")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.ls.wait_dm("alice", contains="LV-0001 (Leave) is approved")
    # Someone else: refused, audited, no modal.
    press(h, "erin", card, Action.REQUEST_CANCEL, str(request_id))
    h.ls.wait_ephemeral("erin", contains="Only the requester")
    assert h.ls.view("erin") is None and h.ls.view("alice") is None
    with h.sessions.begin() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == "request.refused"))
        assert [(r.actor, r.detail["attempted"]) for r in rows] == [(h.uid("erin"), "cancel")]
    # An expense is not cancellable: the requester gets no modal either.
    file_expense(h, "alice")
    expense_id = _request_id(h)
    press(h, "alice", card, Action.REQUEST_CANCEL, str(expense_id))
    h.ls.wait_ephemeral("alice", contains="cannot be cancelled here")
    assert h.ls.view("alice") is None


def test_send_to_hr_by_someone_who_heads_nothing_is_audited(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")  # any message of the bot's will do to press on
    press(h, "alice", card, Action.PROMPT_OPEN, "attendance-report|2026-12-01")
    h.ls.wait_ephemeral("alice", contains="head")
    with h.sessions.begin() as session:
        rows = list(
            session.scalars(select(AuditEntry).where(AuditEntry.action == "report.refused"))
        )
    assert [(r.actor, r.detail) for r in rows] == [(h.uid("alice"), {"attempted": "send_to_hr"})]
    assert not h.ls.messages("C0HR")


def test_someone_outside_the_org_cannot_set_a_standing_delegation(harness: Harness) -> None:
    h = harness
    h.as_("zoe").command("/procedo", f"delegate <@{h.uid('erin')}> until dec 10", channel="general")
    h.ls.wait_ephemeral("zoe", contains="组织通讯录")  # zoe is zh-CN
    with h.sessions.begin() as session:
        assert session.scalars(select(Delegation)).all() == []
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.actor == h.uid("zoe"))
        ).all()
    assert actions == ["delegation.refused"]


def _request_id(h: Harness, procedure: str = "expense") -> int:
    with h.sessions.begin() as session:
        ids = session.scalars(
            select(Request.id).where(Request.procedure == procedure).order_by(Request.id)
        ).all()
    return ids[-1]
