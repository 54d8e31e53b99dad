"""The listener contract: an error after the ack is one clear message, never Bolt's 404; an
interaction's deliveries go out after its ack; a retried view submission files once."""

from __future__ import annotations

from sqlalchemy import func, select

from store.models import Request
from tests.support.approvals import APPROVALS, file_expense, prompt_for, state_of
from tests.support.harness import Harness


def test_domain_errors_after_the_ack_always_answer_200(harness: Harness) -> None:
    """Bolt reset the ack when a listener raised within ~10 ms of acking, and answered 404
    ("didn't call ack()"); now the error is told and the HTTP answer stays the ack."""
    h = harness
    alice = h.as_("alice")
    for n in range(15):
        response = alice.command("/procedo", f"show EX-{9000 + n}", channel="general")
        assert response.status == 200, (n, response.status, response.body)
    told = [e for e in h.ls.ephemerals("alice") if "EX-90" in h.ls.text_of(e)]
    h.ls.wait_for(
        lambda: len([e for e in h.ls.ephemerals("alice") if "EX-90" in h.ls.text_of(e)]) >= 15,
        message="fifteen refusals",
    )
    assert all("ref" not in h.ls.text_of(e) for e in told)  # user errors, not crashes


def test_a_filed_request_is_delivered_after_the_ack(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    assert "EX-0001" in h.ls.text_of(card)
    h.ls.wait_dm("alice", contains="EX-0001")
    with h.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Request)) == 1
    assert len(h.ls.messages(APPROVALS)) == 1


def test_a_tampered_button_value_is_refused_clearly(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    prompt = prompt_for(h, card, f"<@{h.uid('bob')}>")
    with h.ls.ws.lock:  # what a forged request would carry
        stored = h.ls.ws.find_message(APPROVALS, prompt.ts)
        assert stored is not None
        for block in stored.blocks:
            for element in block.get("elements", []):
                if element.get("type") == "button":
                    element["value"] = "7:x:<!channel>"
    response = h.as_("bob").click("Approve", message=prompt)
    assert response.status == 200
    told = h.ls.wait_ephemeral("bob", contains="失效")  # Bob reads Chinese
    assert "编号" not in h.ls.text_of(told)  # a user error, not "something went wrong (ref …)"
    assert state_of(h) == "pending"
