"""Issue 14.1: user text that pings a channel or disguises a link is shown escaped everywhere:
reasons for reject, return, override, cancellation and refused cancellation, sent-back
reasons, comments, form text, and what a command echoes back."""

from __future__ import annotations

from tests.support.approvals import APPROVALS, card_for, file_expense, prompt_for
from tests.support.harness import Harness
from tests.support.injection import HOSTILE, assert_no_injection, injections
from tests.support.leave import ask
from tests.support.rectification import do_task, issue, submit, task_dm, thread_prompt


def _decide_with_reason(h: Harness, who: str, button: str, prompt: object) -> None:
    driver = h.as_(who)
    driver.click(button, message=prompt)  # type: ignore[arg-type]
    h.ls.wait_view(who, callback_id="request.reason")
    response = driver.submit({"reason": HOSTILE})
    assert response.status == 200 and h.ls.view(who) is None, response.body


def test_the_helper_sees_an_unescaped_mention(harness: Harness) -> None:
    harness.deps.client.chat_postMessage(channel=APPROVALS, text=f"raw {HOSTILE}")
    assert injections(harness.ls)


def test_hostile_text_everywhere_pings_nobody(harness: Harness) -> None:
    h = harness
    alice, bob = h.as_("alice"), h.as_("bob")

    # Form text, a thread comment, a rejection, and the timeline that shows them all.
    card = file_expense(h, "alice", description=HOSTILE)
    bob.post("approvals", HOSTILE, thread_ts=card.ts)
    _decide_with_reason(h, "bob", "Reject", prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.ls.wait_dm("alice", contains="rejected")
    alice.command("/procedo", "show EX-0001", channel="general")
    h.ls.wait_ephemeral("alice", contains="EX-0001")

    # Return, the pre-filled form that quotes the reason, resubmit, then an admin override.
    card = file_expense(h, "alice")
    _decide_with_reason(h, "bob", "Return for changes", prompt_for(h, card, f"<@{h.uid('bob')}>"))
    returned = h.ls.wait_dm("alice", contains="returned for changes")
    alice.click("Edit & resubmit", message=returned)
    h.ls.wait_view("alice", callback_id="request.form")
    alice.submit({"f:description": "Corrected"})
    h.ls.wait_dm("alice", contains="resubmitted")
    dan = h.as_("dan")
    dan.click("Reject", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.ls.wait_view("dan", callback_id="request.reason")
    dan.submit({"reason": HOSTILE})
    h.ls.wait_dm("alice", contains="Procedo admin")

    # Leave: the quick path's summary, approval, a cancellation asked for and refused.
    alice.click("Submit", message=ask(h, "alice", f"annual dec 7-8 {HOSTILE}"))
    card = card_for(h, "LV-0001")
    bob.click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    approved = h.ls.wait_dm("alice", contains="LV-0001 (Leave) is approved")
    alice.click("Ask to cancel", message=approved)
    h.ls.wait_view("alice", callback_id="request.cancel")
    alice.submit({"reason": HOSTILE})
    cancel_prompt = prompt_for(h, card, f"<@{h.uid('bob')}>", phrase="asks to cancel")
    _decide_with_reason(h, "bob", "Reject", cancel_prompt)
    h.ls.wait_dm("alice", contains="refused to cancel")

    # A task case sent back with a reason (rectification: Fail at re-inspection).
    card = issue(h, "hana", "RN-0001", owner="alice", problem=HOSTILE)
    do_task(h, "alice", "RN-0001", "Acknowledge", {})
    fix = task_dm(h, "alice", "RN-0001", "Submit fix")
    alice.click("Submit fix", message=fix)
    h.ls.wait_view("alice", callback_id="task.form")
    values = {"f:description": HOSTILE, "f:evidence:link": "https://files.example.com/f.jpg"}
    submit(h, "alice", values, fix)
    _decide_with_reason(h, "hana", "Fail", thread_prompt(h, card, "Fail"))
    task_dm(h, "alice", "RN-0001", "Submit fix")

    # What commands echo back of what was typed.
    for text in (
        f"show {HOSTILE}",
        f"new {HOSTILE}",
        HOSTILE,
        f"delegate <@{h.uid('erin')}> until {HOSTILE}",
    ):
        before = len(h.ls.ephemerals("alice"))
        alice.command("/procedo", text, channel="general")
        h.ls.wait_for(lambda: len(h.ls.ephemerals("alice")) > before, message=text)  # noqa: B023
    ask(h, "alice", HOSTILE)

    # The App Home lists what waits and what one filed.
    for who in ("alice", "bob", "hana"):
        h.as_(who).open_home()
        h.ls.wait_home(who)

    h.settle()
    assert_no_injection(h.ls)
