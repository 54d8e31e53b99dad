"""What already waits on an approver moves when they start being away: a standing delegation
that begins (now or later), or their approved leave with a handover person."""

from __future__ import annotations

from datetime import datetime

from tests.support.approvals import card_for, file_expense, has_buttons, prompt_for
from tests.support.harness import Harness


def test_a_standing_delegation_takes_what_already_waits_when_it_begins(
    harness: Harness,
) -> None:
    h = harness
    bob, erin = h.uid("bob"), h.uid("erin")
    card = file_expense(h, "alice")
    old = prompt_for(h, card, f"<@{bob}>")
    h.as_("bob").command(
        "/procedo", f"delegate <@{erin}|erin> 11月25日到11月30日", channel="general"
    )
    h.ls.wait_ephemeral("bob", contains=f"<@{erin}>")
    h.tick()
    assert has_buttons(h.ls.message("C0APPROVALS", old.ts))  # not yet: it starts on the 25th

    h.set_time(datetime.fromisoformat("2026-11-25T00:00:00+08:00"))
    new = prompt_for(h, card, f"<@{erin}>")
    assert f"on behalf of <@{bob}>" in h.ls.text_of(new)
    assert not has_buttons(h.ls.message("C0APPROVALS", old.ts))
    h.as_("bob").click("Approve", message=new)  # Bob handed it on: he is told so
    h.ls.wait_ephemeral("bob", contains="只有本步骤的审批人")
    h.as_("erin").click("Approve", message=new)
    prompt_for(h, card, "step 2 of 2")


def test_a_delegation_from_now_moves_waiting_requests_at_once(harness: Harness) -> None:
    h = harness
    erin = h.uid("erin")
    first, second = file_expense(h, "alice"), file_expense(h, "alice", "300")
    h.as_("bob").command("/procedo", f"delegate <@{erin}|erin> until 11月30日", channel="general")
    for card in (first, second):
        prompt_for(h, card, f"<@{erin}>")
    h.as_("erin").command("/procedo", "pending", channel="general")
    h.ls.wait_ephemeral("erin", contains="EX-0002")


def test_an_approver_on_leave_hands_waiting_requests_to_their_handover_person(
    harness: Harness,
) -> None:
    h = harness
    bob, erin = h.uid("bob"), h.uid("erin")
    # Bob is off sick tomorrow and names Erin; Dan, his approver, agrees.
    h.as_("bob").command("/leave", "", channel="general")
    h.ls.wait_view("bob", callback_id="request.form")
    h.as_("bob").submit(
        {
            "f:type": "sick",
            "f:dates:start": "2026-11-24",
            "f:dates:end": "2026-11-24",
            "f:reason": "Dentist",
            "f:handover": "erin",
        }
    )
    leave = prompt_for(h, card_for(h, "LV-0001"), f"<@{h.uid('dan')}>")
    h.as_("dan").click("Approve", message=leave)
    h.ls.wait_dm("bob", contains="已由")  # approved: the clicks are answered before time moves

    card = file_expense(h, "alice")  # still today: it waits on Bob
    prompt_for(h, card, f"<@{bob}>")
    h.set_time(datetime.fromisoformat("2026-11-24T00:00:00+08:00"))
    moved = prompt_for(h, card, f"<@{erin}>")
    assert f"on behalf of <@{bob}>" in h.ls.text_of(moved)
    h.as_("erin").click("Approve", message=moved)
    prompt_for(h, card, "step 2 of 2")


def test_a_decision_handed_back_returns_to_its_approver(harness: Harness) -> None:
    h = harness
    bob, erin = h.uid("bob"), h.uid("erin")
    card = file_expense(h, "alice")
    h.as_("bob").click("Delegate", message=prompt_for(h, card, f"<@{bob}>"))
    h.ls.wait_view("bob", callback_id="request.delegate")
    h.as_("bob").submit({"delegate": "erin"})
    h.as_("erin").click("Delegate", message=prompt_for(h, card, f"<@{erin}>"))
    h.ls.wait_view("erin", callback_id="request.delegate")
    h.as_("erin").submit({"delegate": "bob"})
    back = prompt_for(h, card, f"<@{bob}>: please decide")
    assert "on behalf of" not in h.ls.text_of(back)
    h.as_("bob").click("Approve", message=back)
    prompt_for(h, card, "step 2 of 2")
