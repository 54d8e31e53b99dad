"""Minutes end to end (000 §3.2.2: 经审核后下发): a meeting scheduled by the form, the
note-taker's Record minutes button after it, the chair's change request back to the
note-taker, approval, minutes sent to every attendee, a corrected version approved again; the
action item chased as a task until done, with the overdue nudge; both languages."""

from __future__ import annotations

from datetime import timedelta

from procedures.meetings.hooks import ACTION, MINUTES
from store import requests_repo
from tests.support.approvals import card_for, prompt_for
from tests.support.harness import Harness
from tests.support.meetings import buttons, dm_with, meeting, quick
from tests.support.rectification import do_task

BUDGET = "Draft the Q4 budget | @carol | 2026-12-10"


def schedule_by_form(h: Harness) -> None:
    """Bob (Chinese) opens the form and schedules Tuesday 14:00–16:00 in Room 301."""
    bob = h.as_("bob")
    bob.command("/meeting", "", channel="general")
    h.ls.wait_view("bob", callback_id="meetings.form")
    bob.submit(
        {
            "topic": "Q4预算评审 <!channel>",
            "start": "2026-11-24 14:00",
            "end": "2026-11-24 16:00",
            "room": "r301",
            "attendees": ["alice", "carol"],
            "chair": "bob",
            "note_taker": "alice",
            "agenda": "Q4预算\n人员编制",
        }
    )
    assert h.ls.view("bob") is None


def case_state(h: Harness, procedure: str, number: int = 1) -> str:
    with h.sessions.read() as session:
        request = requests_repo.by_number(session, procedure, number)
        assert request is not None
        return request.state


def record(h: Harness, values: dict[str, str]) -> None:
    alice = h.as_("alice")
    alice.click("Record minutes", message=dm_with(h, "alice", "has ended", "Record minutes"))
    view = h.ls.wait_view("alice", callback_id="request.form", contains="Meeting minutes")
    assert "MT-0001" in str(view.blocks)  # prefilled: the meeting, its chair, who came
    alice.submit({f"f:{k}": v for k, v in values.items()})
    assert h.ls.view("alice") is None, h.ls.view("alice")


def test_minutes_reviewed_then_sent_then_corrected(harness: Harness) -> None:
    h = harness
    schedule_by_form(h)
    m = meeting(h)
    assert (m.topic, m.room_id, m.chair, m.note_taker) == (
        "Q4预算评审 <!channel>",
        "r301",
        "U0BOB",
        "U0ALICE",
    )
    notice = dm_with(h, "carol", "Q4", "Attend")
    assert "&lt;!channel&gt;" in str(notice.blocks) and "<!channel>" not in str(notice.blocks)
    h.as_("carol").click("Attend", message=notice)
    h.as_("alice").click("Attend", message=dm_with(h, "alice", "Q4", "Attend"))
    h.settle()

    # Too early: nobody records minutes of a meeting that has not happened.
    assert not [m for m in h.ls.dm("alice") if "Record minutes" in buttons(m)]
    h.advance(timedelta(hours=30, minutes=1))  # Tuesday 16:01, the meeting has ended
    record(
        h,
        {
            "discussion": "Costs up 4% <!here>",
            "resolutions": "Approve the draft budget",
            "actions": BUDGET,
        },
    )
    card = card_for(h, "MM-0001")
    assert "Approve the draft budget" in h.ls.text_of(card)

    # The chair asks for changes; they go back to the note-taker with the comment.
    bob = h.as_("bob")
    bob.click("Request changes", message=prompt_for(h, card, "<@U0BOB>"))
    h.ls.wait_view("bob", callback_id="request.reason")
    bob.submit({"reason": "Name the headcount decision too"})
    returned = dm_with(h, "alice", "Name the headcount decision too", "Edit & resubmit")
    assert case_state(h, MINUTES) == "returned"
    assert not [m for m in h.ls.dm("carol") if "Minutes of MT-0001" in h.ls.text_of(m)]
    h.as_("alice").click("Edit & resubmit", message=returned)
    h.ls.wait_view("alice", callback_id="request.form")
    h.as_("alice").submit({"f:resolutions": "Approve the draft budget; freeze headcount"})
    bob.click("Approve and send", message=prompt_for(h, card, "<@U0BOB>"))

    # Only now are the minutes sent, to every attendee, each in their language.
    sent = dm_with(h, "carol", "Minutes of MT-0001")
    text = h.ls.text_of(sent)
    assert "version 1" in text and "freeze headcount" in text and "Draft the Q4 budget" in text
    assert "<!here>" not in str(sent.blocks)
    dm_with(h, "bob", "会议纪要 MT-0001")
    assert case_state(h, MINUTES) == "approved"
    assert meeting(h).minutes_version == 1

    # The action item is a task for its owner, listed by /meeting actions.
    task = dm_with(h, "carol", "AI-0001", "Done")
    assert "Draft the Q4 budget" in h.ls.text_of(task)
    mine = h.ls.text_of(quick(h, "carol", "actions"))
    assert "AI-0001" in mine and "Draft the Q4 budget" in mine and "MT-0001" in mine
    # Her head sees them too, and exports them; nobody else does.
    assert "AI-0001" in h.ls.text_of(quick(h, "carol", "actions admin"))
    assert "department head" in h.ls.text_of(quick(h, "alice", "actions <@U0CAROL>"))
    assert "department head" in h.ls.text_of(quick(h, "alice", "actions admin"))
    assert "CSV" in h.ls.text_of(quick(h, "dan", "actions <@U0CAROL> csv"))
    exported = h.ls.wait_for(
        lambda: next((m for m in h.ls.dm("dan") if m.files), None), message="dan's CSV"
    )
    rows = h.ls.file(exported.files[0]["id"]).content.decode("utf-8-sig").splitlines()
    assert rows[0] == "number,task,owner,due,meeting,state"
    assert rows[1] == "AI-0001,Draft the Q4 budget,U0CAROL,2026-12-10,MT-0001,pending"
    shown = h.ls.text_of(quick(h, "bob", "show MT-0001"))
    assert "AI-0001" in shown and "已审核 1 版" in shown

    # A correction is a new version, reviewed again; the first stays as it was.
    record(h, {"resolutions": "Approve the draft budget; freeze headcount until March"})
    bob.click("Approve and send", message=prompt_for(h, card_for(h, "MM-0002"), "<@U0BOB>"))
    corrected = dm_with(h, "carol", "version 2")
    assert "replaces version 1. Changed: resolutions." in h.ls.text_of(corrected)
    assert meeting(h).minutes_version == 2
    with h.sessions.read() as session:
        first = requests_repo.by_number(session, MINUTES, 1)
        assert first is not None and "until March" not in first.payload["resolutions"]
        assert len(requests_repo.of_procedure(session, ACTION)) == 1  # the item is not doubled

    # A working day before the due date (Wednesday 9 December) the owner is reminded; past
    # it she is nudged; then she reports it done.
    h.settle()
    h.advance(timedelta(days=15))  # Wednesday 9 December, 16:01
    due_soon = h.ls.wait_dm("carol", contains="is due 2026-12-10")
    # She needs more time: a new date and why; the chair is told, the timers move with it.
    h.as_("carol").click("Need more time", message=due_soon)
    h.ls.wait_view("carol", callback_id="meetings.extend")
    early = h.as_("carol").submit(
        {"due": "2026-12-01", "reason": "Waiting for finance"}, validate=False
    )
    assert early.json and "after the current due date" in str(early.json["errors"])
    h.as_("carol").submit({"due": "2026-12-20", "reason": "Waiting for finance"})
    h.ls.wait_dm("bob", contains="延至 2026-12-20")
    h.settle()
    h.advance(timedelta(days=2))  # Friday 11 December: not overdue any more
    assert not [m for m in h.ls.dm("carol") if "past its deadline" in h.ls.text_of(m)]
    h.advance(timedelta(days=10))  # Monday 21 December
    dm_with(h, "carol", "AI-0001")
    h.ls.wait_dm("carol", contains="past its deadline")
    do_task(h, "carol", "AI-0001", "Done", {"f:note": "Sent to finance"})
    assert case_state(h, ACTION) == "closed"
    assert "No open action items" in h.ls.text_of(quick(h, "carol", "actions"))


def test_only_the_note_taker_records_and_the_chair_reviews(harness: Harness) -> None:
    h = harness
    schedule_by_form(h)
    h.advance(timedelta(hours=30, minutes=1))
    # Carol is not the note-taker: the minutes form refuses her.
    carol = h.as_("carol")
    carol.command("/procedo", "new minutes", channel="general")
    h.ls.wait_view("carol", callback_id="request.form")
    response = carol.submit(
        {"f:meeting": "MT-0001", "f:chair": "bob", "f:present": "all", "f:resolutions": "x"},
        validate=False,
    )
    assert response.json and response.json["response_action"] == "errors"
    assert "note-taker" in str(response.json["errors"])
    # Action items are not filed by hand: only approved minutes file them.
    carol.close_view()
    carol.command("/procedo", "new meeting_action", channel="general")
    assert "not filed by hand" in h.ls.text_of(h.ls.wait_ephemeral("carol", contains="000 §3.2.2"))
    assert h.ls.view("carol") is None
    # A bad action line is refused with its line number, nothing filed.
    alice = h.as_("alice")
    alice.click("Record minutes", message=dm_with(h, "alice", "has ended", "Record minutes"))
    h.ls.wait_view("alice", callback_id="request.form")
    response = alice.submit(
        {"f:resolutions": "ok", "f:actions": "Do it | @nobody_known | 2026-12-10"}, validate=False
    )
    assert response.json and "line 1" in str(response.json["errors"])
    with h.sessions.read() as session:
        assert requests_repo.of_procedure(session, MINUTES) == []
