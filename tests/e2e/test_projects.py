"""Projects end to end (立项 / 验收, 001 §3): a proposal reviewed by operations and approved by
the director becomes PJ-0001 with a task letter to its team; a plan change shows old → new; an
acceptance review asks for rectification, the lead reapplies and it passes, archived; all
under one project number, in both languages."""

from __future__ import annotations

from typing import Any

from localslack import Message
from store import projects_repo, requests_repo
from tests.support.approvals import APPROVALS, card_for, card_text, has_buttons
from tests.support.harness import Harness

PLAN = {
    "f:title": "Customer portal",
    "f:goal": "Customers file and follow tickets online",
    "f:scope": "Ticket form, status page, e-mail notices",
    "f:budget": "80000",
    "f:start": "2026-12-07",
    "f:end": "2027-03-31",
    "f:team": ["erin", "gus"],
}


def propose(h: Harness, who: str = "alice", **values: Any) -> dict[str, Any]:
    h.as_(who).command("/procedo", "project new", channel="general")
    h.ls.wait_view(who, callback_id="projects.form")
    answer = h.as_(who).submit({**PLAN, **values}, validate=False)
    assert answer.status == 200, answer.body
    h.settle()
    return answer.json or {}


def prompt(h: Harness, card: Message, who: str, button: str) -> Message:
    mention = f"<@{h.uid(who)}>"

    def find() -> Message | None:
        for m in reversed(h.ls.replies(APPROVALS, card.ts)):
            labels = [
                str((e.get("text") or {}).get("text"))
                for block in m.blocks or []
                if block.get("type") == "actions"
                for e in block.get("elements", [])
            ]
            if has_buttons(m) and mention in h.ls.text_of(m) and button in labels:
                return m
        return None

    return h.ls.wait_for(find, message=f"a prompt for {who} with {button!r}")


def decide(
    h: Harness, procedure: str, card: Message, who: str, button: str, reason: str | None = None
) -> None:
    before = where(h, procedure)
    h.as_(who).click(button, message=prompt(h, card, who, button))
    if reason is not None:
        h.ls.wait_view(who, callback_id="request.reason")
        h.as_(who).submit({"reason": reason})
    h.ls.wait_for(lambda: where(h, procedure) != before, message=f"{who}'s {button!r} taken")
    h.settle()


def where(h: Harness, procedure: str, number: int = 1) -> tuple[str, int, int]:
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, procedure, number)
        assert request is not None
        return request.state, request.round, request.step


def project(h: Harness, number: int = 1) -> tuple[str, dict[str, Any]]:
    with h.sessions.begin() as session:
        found = projects_repo.by_number(session, number)
        assert found is not None
        return found.state, dict(found.plan)


def shown(h: Harness, who: str, text: str, contains: str) -> str:
    before = len(h.ls.ephemerals(who))
    h.as_(who).command("/procedo", text, channel="general")
    h.ls.wait_for(lambda: len(h.ls.ephemerals(who)) > before, message=f"{who}'s answer")
    answer = h.ls.text_of(h.ls.ephemerals(who)[-1])
    assert contains in answer, answer
    return answer


def approve_proposal(h: Harness) -> Message:
    assert propose(h) == {}
    card = card_for(h, "PI-0001")
    assert "PJ-0001" in card_text(h, card) and "001 §3.1" in card_text(h, card)
    assert project(h)[0] == "proposed"
    decide(h, "project", card, "bob", "Approve")  # operations management reviews
    decide(h, "project", card, "dan", "Approve")  # the director approves
    return card


def test_initiation_task_letter_acceptance_rectify_reapply_pass(harness: Harness) -> None:
    h = harness
    approve_proposal(h)
    assert project(h)[0] == "approved"

    # The task letter (任务书): to the lead and each member, and the announcements channel.
    for who in ("alice", "erin"):
        letter = h.ls.wait_dm(who, contains="Task letter PJ-0001")
        text = h.ls.text_of(letter)
        assert "Customer portal" in text and "80,000" in text and "31 Mar 2027" in text, text
    letter = h.ls.wait_dm("gus", contains="项目任务书 PJ-0001")  # gus reads Chinese
    assert "项目预算" in h.ls.text_of(letter) and "2027年3月31日" in h.ls.text_of(letter)
    posted = h.ls.wait_message("C0ANNOUNCE", contains="PJ-0001")
    assert "001 §3.1" in h.ls.text_of(posted)

    # Acceptance by a team member: review asks to rectify two items.
    h.as_("erin").command("/procedo", "project accept PJ-0001", channel="general")
    h.ls.wait_view("erin", callback_id="projects.form")
    assert h.as_("erin").submit({"f:report": "Portal live, 120 tickets in week one"}).status == 200
    h.settle()
    card = card_for(h, "PA-0001")
    assert "PJ-0001" in card_text(h, card) and "001 §3.3" in card_text(h, card)
    assert project(h)[0] == "accepting"
    decide(h, "project_acceptance", card, "bob", "Rectify", "1. Add the user manual\n2. Fix login")
    assert where(h, "project_acceptance")[0] == "returned"
    answer = shown(h, "erin", "project PJ-0001", "1. Add the user manual")
    assert "2. Fix login" in answer and "rectifying" in answer and "○ PA-0001" in answer
    shown(h, "alice", "project change PJ-0001", "not an approved project in progress")

    # The applicant reapplies (same request, a new round); the review passes: archived.
    dm = h.ls.wait_for(
        lambda: next(
            (m for m in reversed(h.ls.dm("erin")) if "Edit & resubmit" in str(m.blocks)), None
        ),
        message="erin's resubmit button",
    )
    h.as_("erin").click("Edit & resubmit", message=dm)
    h.ls.wait_view("erin", callback_id="request.form")
    assert h.as_("erin").submit({"f:report": "Manual written, login fixed"}).status == 200
    h.settle()
    decide(h, "project_acceptance", card, "bob", "Pass")
    assert where(h, "project_acceptance")[:2] == ("approved", 2)
    assert project(h)[0] == "archived"
    answer = shown(h, "alice", "project PJ-0001", "accepted and archived")
    assert "PI-0001" in answer and "PA-0001" in answer and "round 2" in answer
    assert "✓ PA-0001, review 1" in answer and "○" not in answer  # reapplied, then passed

    # Archived: frozen, shown but no longer changed.
    shown(h, "alice", "project change PJ-0001", "is archived")
    shown(h, "erin", "project accept PJ-0001", "is archived")
    shown(h, "alice", "project", "Customer portal")


def test_a_plan_change_shows_what_changed_and_becomes_the_plan(harness: Harness) -> None:
    h = harness
    approve_proposal(h)
    h.as_("alice").command("/procedo", "project change PJ-0001", channel="general")
    view = h.ls.wait_view("alice", callback_id="projects.form")
    assert "Customer portal" in str(view), "the form is prefilled with the approved plan"

    # Nothing changed: refused on the form.
    answer = h.as_("alice").submit({"f:reason": "Just checking"}, validate=False)
    errors = (answer.json or {}).get("errors", {})
    assert "Nothing in the plan changed" in str(errors) and "001 §3" in str(errors), answer.json

    answer = h.as_("alice").submit(
        {"f:budget": "95000", "f:end": "2027-04-30", "f:reason": "Two more integrations"}
    )
    assert answer.status == 200 and h.ls.view("alice") is None, answer.body
    h.settle()
    card = card_for(h, "PC-0001")
    text = card_text(h, card)
    assert "What changes" in text and "80,000" in text and "95,000" in text, text
    assert "31 Mar 2027 → 30 Apr 2027" in text and "Customer portal →" not in text, text
    assert project(h)[1]["budget"]["amount"] in ("80000", "80000.00")  # not yet

    # A second change while one waits is refused, and audited.
    shown(h, "alice", "project change PJ-0001", "waiting for approval")
    decide(h, "project_change", card, "bob", "Approve")
    decide(h, "project_change", card, "dan", "Approve")
    state, plan = project(h)
    assert state == "approved" and plan["end"] == "2027-04-30", plan
    listed = shown(h, "alice", "project PJ-0001", "PC-0001")
    assert "budget, end" in listed, listed


def test_a_rejected_proposal_never_starts(harness: Harness) -> None:
    h = harness
    assert propose(h) == {}
    card = card_for(h, "PI-0001")
    decide(h, "project", card, "bob", "Reject", "No budget this year")
    assert project(h)[0] == "rejected"
    shown(h, "erin", "project accept PJ-0001", "not an approved project")
    assert not [m for m in h.ls.dm("erin") if "Task letter" in h.ls.text_of(m)]


def test_refusals(harness: Harness) -> None:
    h = harness
    answer = propose(h, **{"f:end": "2026-12-01"})  # before the start
    assert "must be after the start" in str(answer.get("errors")), answer
    answer = h.as_("alice").submit({**PLAN, "f:budget": "lots"}, validate=False).json or {}
    assert "f:budget" in answer.get("errors", {}), answer
    h.as_("alice").close_view()
    with h.sessions.begin() as session:
        assert projects_repo.by_number(session, 1) is None  # nothing half-written
    assert not h.ls.messages(APPROVALS)

    # `/procedo new` lists the change and the acceptance too: they say how to file them.
    h.as_("alice").command("/procedo", "new project_change", channel="general")
    notice = h.ls.wait_view("alice", callback_id="projects.notice")
    assert "/procedo project change PJ-0001" in str(notice)
    h.as_("alice").close_view()

    approve_proposal(h)
    shown(h, "ian", "project accept PJ-0001", "Only the lead or a team member")
    shown(h, "erin", "project change PJ-0001", "Only the lead of PJ-0001")
    shown(h, "alice", "project accept PJ-9", "There is no project PJ-9")
    shown(h, "ian", "project PJ-0001", "Only the team of PJ-0001")
    from store.audit import entries_for

    with h.sessions.begin() as session:
        found = projects_repo.by_number(session, 1)
        assert found is not None
        refused = [
            e for e in entries_for(session, "project", str(found.id)) if "refused" in e.action
        ]
        assert {e.detail["attempted"] for e in refused} == {"accept", "change"}


def test_in_chinese(harness: Harness) -> None:
    h = harness
    for who in ("alice", "bob", "erin"):
        h.as_(who).command("/procedo", "language zh", channel="general")
    h.settle()
    h.as_("alice").command("/procedo", "立项", channel="general")
    h.ls.wait_view("alice", callback_id="projects.form")
    answer = h.as_("alice").submit({**PLAN, "f:end": "2026-12-07"}, validate=False).json or {}
    assert "结束日期须晚于开始日期" in str(answer.get("errors")), answer
    assert h.as_("alice").submit(PLAN).status == 200
    h.settle()
    card = card_for(h, "PI-0001")
    decide(h, "project", card, "bob", "Approve")  # the channel speaks the org language
    decide(h, "project", card, "dan", "Approve")
    letter = h.ls.wait_dm("erin", contains="项目任务书 PJ-0001")
    assert "项目预算" in h.ls.text_of(letter) and "2027年3月31日" in h.ls.text_of(letter)
    shown(h, "alice", "项目 PJ-0001", "已立项，实施中")
    shown(h, "alice", "project change PJ-9", "没有项目 PJ-9")


def test_a_returned_proposal_is_corrected_under_the_same_number(harness: Harness) -> None:
    h = harness
    assert propose(h) == {}
    card = card_for(h, "PI-0001")
    decide(h, "project", card, "bob", "Return for changes", "Budget too high")
    dm = h.ls.wait_for(
        lambda: next(
            (m for m in reversed(h.ls.dm("alice")) if "Edit & resubmit" in str(m.blocks)), None
        ),
        message="alice's resubmit button",
    )
    h.as_("alice").click("Edit & resubmit", message=dm)
    h.ls.wait_view("alice", callback_id="request.form")
    # The corrected proposal is checked like the first one.
    answer = h.as_("alice").submit({"f:end": "2026-12-01"}, validate=False).json or {}
    assert "must be after the start" in str(answer.get("errors")), answer
    assert h.as_("alice").submit({"f:end": "2027-03-31", "f:budget": "60000"}).status == 200
    h.settle()
    decide(h, "project", card, "bob", "Approve")
    decide(h, "project", card, "dan", "Approve")
    state, plan = project(h)
    assert state == "approved" and plan["budget"]["amount"] in ("60000", "60000.00"), plan
    letter = h.ls.wait_dm("erin", contains="Task letter PJ-0001")
    assert "60,000" in h.ls.text_of(letter)
    with h.sessions.begin() as session:
        assert projects_repo.by_number(session, 2) is None  # one project, one number
