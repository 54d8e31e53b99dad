"""Leave end to end: the form with its live count, the quick path in both languages, approval,
the balance moving, the team notice (private), and each refusal with its citation."""

from __future__ import annotations

import json
from decimal import Decimal

from tests.support.approvals import card_for, prompt_for
from tests.support.harness import Harness
from tests.support.leave import ask, leave_state, left

OPS_TEAM = "C0OPSTEAM"


def test_file_by_form_with_a_live_count_then_approve(harness: Harness) -> None:
    h = harness
    alice = h.as_("alice")
    assert left(h, "alice") == Decimal(5)  # six years of service at 1 January
    alice.command("/leave", "", channel="general")
    h.ls.wait_view("alice", callback_id="request.form", contains="Pick the dates")
    h.ls.wait_view("alice", callback_id="request.form", contains="Annual leave (5 left)")
    alice.fill("f:type", "annual")
    alice.fill("f:dates:start", "2026-12-01")
    alice.fill("f:dates:start_half", "pm")
    alice.fill("f:dates:end", "2026-12-03")
    h.ls.wait_view("alice", callback_id="request.form", contains="This counts *2.5* working days")
    alice.submit({"f:reason": "Family matters", "f:handover": "erin"})
    card = card_for(h, "LV-0001")
    assert "2.5" in h.ls.text_of(card) and "Family matters" in h.ls.text_of(card)

    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.ls.wait_dm("alice", contains="LV-0001 (Leave) is approved")
    assert left(h, "alice") == Decimal("2.5")
    notice = h.ls.wait_message(OPS_TEAM, contains="will be out")
    text = h.ls.text_of(notice)
    assert f"<@{h.uid('alice')}>" in text and "Dec 2026" in text and f"<@{h.uid('erin')}>" in text
    for private in ("Annual", "annual", "Family", "年假"):
        assert private not in text


def test_the_approver_sees_the_reason_escaped_on_the_card_and_in_show(harness: Harness) -> None:
    h = harness
    reason = "<!channel> 家里有事 & <@U0GUS> covers"
    alice = h.as_("alice")
    alice.command("/leave", "", channel="general")
    h.ls.wait_view("alice", callback_id="request.form", contains="Pick the dates")
    alice.fill("f:type", "annual")
    alice.fill("f:dates:start", "2026-12-01")
    alice.fill("f:dates:end", "2026-12-02")
    alice.submit({"f:reason": reason})
    escaped = "&lt;!channel&gt; 家里有事 &amp; &lt;@U0GUS&gt; covers"
    card = card_for(h, "LV-0001")
    assert escaped in json.dumps(card.blocks, ensure_ascii=False)
    assert "<!channel>" not in json.dumps(card.blocks) + (card.text or "")  # nobody is pinged
    prompt_for(h, card, f"<@{h.uid('bob')}>")  # the approver's prompt is in its thread
    h.as_("bob").command("/procedo", "show LV-0001", channel="general")
    shown = h.ls.wait_ephemeral("bob", contains="LV-0001")
    assert escaped in json.dumps(shown.blocks, ensure_ascii=False)
    assert "<!channel>" not in json.dumps(shown.blocks)


def test_quick_path_in_chinese(harness: Harness) -> None:
    h = harness
    bob = h.as_("bob")  # reads Chinese; 14 years of service: 10 days
    bob.command("/leave", "年假 12月1日下午到12月3日 家里有事", channel="general")
    summary = h.ls.wait_ephemeral("bob", contains="我理解的请假内容")
    text = h.ls.text_of(summary)
    assert "年假" in text and "2.5" in text and "7.5/10" in text and "家里有事" in text
    bob.click("提交", message=summary)
    h.ls.wait_ephemeral("bob", contains="已提交")
    card = card_for(h, "LV-0001")
    h.as_("dan").click("Approve", message=prompt_for(h, card, f"<@{h.uid('dan')}>"))
    h.ls.wait_dm("bob", contains="已由")
    assert left(h, "bob") == Decimal("7.5")


def test_quick_path_in_english_then_edit_in_the_form(harness: Harness) -> None:
    h = harness
    alice = h.as_("alice")
    alice.command("/leave", "vacation dec 7-8 family trip", channel="general")
    summary = h.ls.wait_ephemeral("alice", contains="Here is what I understood")
    assert "3 of 5" in h.ls.text_of(summary)
    alice.click("Edit", message=summary)
    h.ls.wait_view("alice", callback_id="request.form", contains="This counts *2* working days")
    alice.submit({"f:dates:end": "2026-12-09"})
    card_for(h, "LV-0001")
    h.ls.wait_dm("alice", contains="LV-0001")


def refused(h: Harness, who: str, text: str, *expected: str) -> None:
    summary = ask(h, who, text)
    body = h.ls.text_of(summary)
    for fragment in expected:
        assert fragment in body, body
    assert not any(
        e.get("action_id") == "leave.submit"
        for block in summary.blocks
        for e in block.get("elements", [])
    )


def test_each_refusal_says_why_and_cites_the_rule(harness: Harness) -> None:
    h = harness
    # Too little notice: annual leave needs 3 working days (today is Monday 23 Nov).
    refused(h, "alice", "annual tomorrow", "3 working days in advance", "2026-11-26", "002 §4.1")
    # Sick leave is exempt from notice, and may even be filed afterwards.
    sick = ask(h, "alice", "sick today fever")
    assert "Sick leave" in h.ls.text_of(sick) and "cannot file" not in h.ls.text_of(sick)
    # Not enough balance: 5 days of annual leave, asking for 10.
    refused(h, "alice", "annual dec 7-18", "you have 5 left")
    # No working days: a weekend.
    refused(h, "alice", "annual dec 5-6", "no working days")
    # A type that is taken in whole days only.
    refused(h, "alice", "marriage dec 10 afternoon", "whole days")
    # Overlap with my own leave.
    h.as_("alice").click("Submit", message=ask(h, "alice", "annual dec 1-2"))
    card_for(h, "LV-0001")
    refused(h, "alice", "annual dec 2-3", "already have leave", "LV-0001")
    # A reason is required for personal leave.
    refused(h, "alice", "personal dec 9", "needs a reason")


def test_an_unknown_type_or_unreadable_dates(harness: Harness) -> None:
    h = harness
    assert "is not a type of leave" in h.ls.text_of(ask(h, "alice", "holidayz dec 1"))
    assert "could not read the dates" in h.ls.text_of(ask(h, "alice", "annual someday"))


def test_withdraw_costs_nothing_and_cancelling_approved_leave_restores_it(harness: Harness) -> None:
    h = harness
    alice = h.as_("alice")
    alice.click("Submit", message=ask(h, "alice", "annual dec 1-2"))
    card = card_for(h, "LV-0001")
    assert left(h, "alice") == Decimal(3)  # pending counts against what is left
    alice.click("Withdraw", message=h.ls.wait_dm("alice", contains="LV-0001"))
    h.ls.wait_ephemeral("alice", contains="withdrawn")
    assert left(h, "alice") == Decimal(5)

    alice.click("Submit", message=ask(h, "alice", "annual dec 7-8"))
    card = card_for(h, "LV-0002")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    approved = h.ls.wait_dm("alice", contains="LV-0002 (Leave) is approved")
    assert left(h, "alice") == Decimal(3)
    # Cancelling approved leave is itself approved by the approver.
    alice.click("Ask to cancel", message=approved)
    h.ls.wait_view("alice", callback_id="request.cancel")
    alice.submit({"reason": "The trip is off"})
    cancel_prompt = prompt_for(h, card, f"<@{h.uid('bob')}>", phrase="asks to cancel")
    assert leave_state(h, 2) == "cancelling"
    assert left(h, "alice") == Decimal(3)  # still approved until the approver agrees
    h.as_("bob").click("Approve", message=cancel_prompt)
    h.ls.wait_dm("alice", contains="LV-0002 is cancelled")
    assert left(h, "alice") == Decimal(5)
    assert leave_state(h, 2) == "cancelled"
    h.ls.wait_message(OPS_TEAM, contains="will not be out")


def test_approved_overtime_earns_compensatory_leave(harness: Harness) -> None:
    h = harness
    erin = h.as_("erin")
    refused(h, "erin", "comp dec 3", "you have 0 left")
    erin.command("/procedo", "new overtime", channel="general")
    h.ls.wait_view("erin", callback_id="request.form")
    erin.submit({"f:date": "2026-11-21", "f:days": "1", "f:description": "Weekend release"})
    card = card_for(h, "OT-0001")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.ls.wait_dm("erin", contains="OT-0001 (Overtime) is approved")
    assert left(h, "erin", "compensatory") == Decimal(1)
    summary = ask(h, "erin", "comp dec 3")
    assert "0 of 1" in h.ls.text_of(summary)


def test_leave_across_new_year_is_charged_to_each_year(harness: Harness) -> None:
    h = harness
    alice = h.as_("alice")  # 5 days in 2026 and 5 in 2027
    # 14 working days in December alone: refused against the 2026 balance, naming the year.
    refused = h.ls.text_of(ask(h, "alice", "annual dec 14 - jan 8"))
    assert "In 2026 this is 14 working days of Annual leave, but you have 5 left" in refused
    # 30 and 31 December in 2026; 1 January is a holiday, 4 January is in 2027.
    summary = ask(h, "alice", "annual dec 30 - jan 4")
    text = h.ls.text_of(summary)
    assert "2026: uses 2, 3 of 5 left" in text and "2027: uses 1, 4 of 5 left" in text
    alice.click("Submit", message=summary)
    card = card_for(h, "LV-0001")
    assert (left(h, "alice"), left(h, "alice", year=2027)) == (Decimal(3), Decimal(4))  # pending
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.ls.wait_dm("alice", contains="LV-0001 (Leave) is approved")
    assert (left(h, "alice"), left(h, "alice", year=2027)) == (Decimal(3), Decimal(4))
    assert leave_state(h, 1) == "approved"
