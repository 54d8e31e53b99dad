"""Issue 14.5: every value a user can type is range-checked before it reaches Python's `date`
or the database, and NUL is dropped from free text: the same answer on SQLite and PostgreSQL,
never a traceback."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from store.models import AuditEntry, Delegation
from tests.support.approvals import file_expense, history, prompt_for
from tests.support.harness import Harness
from tests.support.leave import ask


def _clean_log(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bad, [r.getMessage() for r in bad]


def answer(h: Harness, who: str, command: str, text: str) -> str:
    before = len(h.ls.ephemerals(who))
    h.as_(who).command(command, text, channel="general")
    reply = h.ls.wait_for(
        lambda: h.ls.ephemerals(who)[-1] if len(h.ls.ephemerals(who)) > before else None,
        message=f"an answer to {command} {text}",
    )
    return h.ls.text_of(reply)


@pytest.mark.parametrize(
    "when", ["until 9999-12-31", "99999999999天后", "until dec 1 9999", "12月1日到9999年1月1日"]
)
def test_a_delegation_far_in_the_future_is_refused(
    harness: Harness, caplog: pytest.LogCaptureFixture, when: str
) -> None:
    h = harness
    with caplog.at_level(logging.INFO):
        text = answer(h, "alice", "/procedo", f"delegate <@{h.uid('erin')}> {when}")
    assert "366 days" in text or "could not read" in text, text
    assert "went wrong" not in text
    with h.sessions.begin() as session:
        assert session.scalars(select(Delegation)).all() == []
    _clean_log(caplog)


@pytest.mark.parametrize(
    "number", ["EX-9999999999999999999999999", "EX-2147483648", "ex-٣", "EX-0", "EX-"]
)
def test_show_a_number_too_large_for_any_column_is_not_found(
    harness: Harness, caplog: pytest.LogCaptureFixture, number: str
) -> None:
    h = harness
    with caplog.at_level(logging.INFO):
        text = answer(h, "alice", "/procedo", f"show {number}")
    assert "No request" in text, text
    _clean_log(caplog)


@pytest.mark.parametrize("dates", ["9999-12-31", "2030-01-05", "dec 1 9999"])
def test_sick_leave_far_in_the_future_is_refused(
    harness: Harness, caplog: pytest.LogCaptureFixture, dates: str
) -> None:
    h = harness
    with caplog.at_level(logging.INFO):
        summary = ask(h, "alice", f"sick {dates} flu")
    text = h.ls.text_of(summary)
    assert "a year ahead" in text or "within 10 years" in text, text
    assert not any(
        e.get("action_id") == "leave.submit" for b in summary.blocks for e in b.get("elements", [])
    )
    _clean_log(caplog)


def test_dates_far_away_in_forms_are_field_errors(harness: Harness) -> None:
    h = harness
    alice = h.as_("alice")
    alice.command("/leave", "", channel="general")
    h.ls.wait_view("alice", callback_id="request.form", contains="Pick the dates")
    alice.fill("f:type", "sick")
    alice.fill("f:dates:start", "9999-12-31", dispatch=False)
    response = alice.submit({"f:dates:end": "9999-12-31", "f:reason": "flu"}, validate=False)
    errors = (response.json or {}).get("errors") or {}
    assert any("10 years" in str(v) for v in errors.values()), response.body
    alice.close_view()

    erin = h.as_("erin")
    erin.command("/procedo", "new overtime", channel="general")
    h.ls.wait_view("erin", callback_id="request.form")
    response = erin.submit(
        {"f:date": "1900-01-01", "f:days": "1", "f:description": "x"}, validate=False
    )
    errors = (response.json or {}).get("errors") or {}
    assert any("10 years" in str(v) for v in errors.values()), response.body


def test_nul_in_free_text_is_dropped_the_same_on_every_database(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    with caplog.at_level(logging.INFO):
        card = file_expense(h, "alice", description="before\x00after")
        h.as_("bob").post("approvals", "com\x00ment", thread_ts=card.ts)
        h.ls.wait_for(
            lambda: any(e.action == "request.comment" for e in history(h)), message="comment"
        )
        bob = h.as_("bob")
        bob.click("Reject", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
        h.ls.wait_view("bob", callback_id="request.reason")
        response = bob.submit({"reason": "no\x00pe \x07bell"})
        assert response.status == 200 and h.ls.view("bob") is None, response.body
        h.ls.wait_dm("alice", contains="rejected")
        # Command text with NUL reaches lookups (a department by name) without a DataError.
        text = answer(h, "bob", "/leave", "who ops\x00 today")
        assert "went wrong" not in text
    with h.sessions.begin() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "request"))
        texts = [(r.action, r.reason, r.detail.get("text")) for r in rows]
    assert ("request.comment", None, "comment") in texts
    assert ("request.rejected", "nope bell", None) in texts
    _clean_log(caplog)
