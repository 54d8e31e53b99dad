"""Issue 14.7: a database error during a modal submission keeps the modal open, with what the
user typed and a field error asking to try again; nothing is half-written."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from store import requests_repo
from tests.support.approvals import APPROVALS, file_expense, prompt_for, state_of
from tests.support.harness import Harness


def _locked(*_: object, **__: object) -> None:
    raise OperationalError("UPDATE ...", {}, Exception("database is locked"))


def test_the_form_stays_open_and_can_be_submitted_again(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    alice = h.as_("alice")
    alice.command("/procedo", "new expense", channel="general")
    h.ls.wait_view("alice", callback_id="request.form")
    values = {
        "f:amount": "321",
        "f:category": "travel",
        "f:description": "Taxi to the airport",
        "f:receipt:link": "https://files.example.com/r.pdf",
    }
    with monkeypatch.context() as patch:
        patch.setattr(requests_repo, "next_number", _locked)
        response = alice.submit(values)
    answer = response.json or {}
    assert answer.get("response_action") == "errors", response.body
    assert any("submit again" in text for text in answer["errors"].values()), answer
    view = h.ls.view("alice")
    assert view is not None, "the modal closed as if it had worked"
    assert "Taxi to the airport" in str(view.state_values)  # what she typed is still there
    assert not h.ls.messages(APPROVALS)
    # The database is back: the same modal goes through.
    response = alice.submit()
    assert response.status == 200 and h.ls.view("alice") is None, response.body
    h.ls.wait_message(APPROVALS, contains="EX-0001")


def test_the_reason_modal_stays_open_on_a_database_error(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    card = file_expense(h, "alice")
    bob = h.as_("bob")
    bob.click("Reject", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.ls.wait_view("bob", callback_id="request.reason")
    with monkeypatch.context() as patch:
        patch.setattr("procedures.decisions.flow.after_step", _locked)
        patch.setattr("procedures.engine.settle", _locked)
        response = bob.submit({"reason": "Wrong cost centre"})
    answer = response.json or {}
    assert answer.get("response_action") == "errors", response.body
    assert any("请重新提交" in text for text in answer["errors"].values()), answer  # bob: zh
    assert h.ls.view("bob") is not None
    assert state_of(h) == "pending"
    bob.submit()
    h.ls.wait_dm("alice", contains="Wrong cost centre")
    assert state_of(h) == "rejected"
