"""Resignation and handover end to end (004 §5.3): a written application with the notice
period checked, the head's review, the superior's approval, HR's checklist of tasks by role
(the admin's lists the supplies issued to the leaver), each done with a note, and HR's summary;
a return for changes; both languages."""

from __future__ import annotations

from tests.support.approvals import card_for, prompt_for
from tests.support.harness import Harness
from tests.support.resignation import HR, act, file, history, open_form, prompt, values, where
from tests.support.supplies import load_demo, quick, task, wait_state

NOTE = {"f:note": "Done and recorded"}


def test_filed_reviewed_approved_and_the_checklist_done_with_hr_summary(harness: Harness) -> None:
    h = harness
    card = file(h)  # alice (English) leaves; erin succeeds her
    shown = h.ls.text_of(card)
    assert "004 §5.3" in shown and "RS-0001" in shown and "Moving to Hangzhou" in shown
    act(h, card, "bob", "Approve")  # the head reviews reason and handover plan
    act(h, card, "dan", "Approve")  # the superior approves
    act(h, card, "hana", "Open checklist", form={})
    act(h, card, "dan", "Done", form={"f:note": "Slack and mail accounts closed"})
    # The admin's task lists what was issued to the leaver (nothing here) in its form.
    h.as_("carol").click("Done", message=prompt(h, card, "carol", "Done"))
    view = h.ls.wait_view("carol", callback_id="task.form")
    assert "No supplies were issued to the leaver." in str(view.blocks)
    h.as_("carol").submit({"f:note": "Laptop SN-42 returned"})
    h.ls.wait_for(lambda: where(h)[2] > 4, message="the admin's task done")
    h.settle()
    act(h, card, "fay", "Done", form={"f:note": "Salary settled to 31 Dec"})
    act(h, card, "bob", "Done", form={"f:note": "Acme files and contacts handed to Erin"})
    assert where(h)[0] == "closed"

    summary = h.ls.wait_dm("hana", contains="handover checklist of")
    text = h.ls.text_of(summary)
    for note in ("Slack and mail accounts closed", "Laptop SN-42", "Salary settled", "Acme files"):
        assert note in text, text
    assert "004 §5.3" in text and f"<@{h.uid('erin')}>" in text and "31 Dec 2026" in text
    actions = [e.action for e in history(h)]
    assert actions.count("request.task_done") == 5


def test_a_last_day_inside_the_notice_period_is_refused_on_its_field(harness: Harness) -> None:
    h = harness
    open_form(h, "alice", "new resignation")
    refused = h.as_("alice").submit(values(last_day="2026-12-01"), validate=False)
    error = (refused.json or {}).get("errors", {}).get("f:last_day", "")
    # 22 working days after Monday 23 November 2026.
    assert "22 working days" in error and "23 Dec 2026" in error and "004 §5.3" in error, error
    h.as_("alice").close_view()

    h.as_("bob").command("/procedo", "help")  # his first command reads his profile (zh-CN)
    h.ls.wait_for(lambda: h.ls.ephemerals("bob"), message="bob's help")
    open_form(h, "bob", "离职")  # in Chinese, for a head
    refused = h.as_("bob").submit(values(last_day="2026-12-01"), validate=False)
    errors = (refused.json or {}).get("errors", {})
    assert "22 个工作日" in errors.get("f:last_day", ""), errors
    assert "2026年12月23日" in errors.get("f:last_day", ""), errors
    refused = h.as_("bob").submit(values(last_day="2026-12-23", successor="bob"), validate=False)
    errors = (refused.json or {}).get("errors", {})
    assert "不能是您本人" in errors.get("f:successor", ""), errors
    h.as_("bob").close_view()
    assert h.ls.messages(HR) == []


def test_returned_for_changes_then_resubmitted(harness: Harness) -> None:
    h = harness
    card = file(h)
    act(h, card, "bob", "Return for changes", reason="Name who takes the Acme account")
    assert where(h)[0] == "returned"
    h.ls.wait_dm("alice", contains="Name who takes the Acme account")


def test_the_admin_task_lists_the_supplies_issued_to_the_leaver(harness: Harness) -> None:
    h = harness
    load_demo(h)
    h.as_("alice").click(
        "Submit", message=quick(h, "alice", "2 A4 paper for contracts", "I understood")
    )
    h.as_("bob").click("Approve", message=prompt_for(h, card_for(h, "SP-0001"), "<@U0BOB>"))
    wait_state(h, ("pending", "issue"))
    task(h, "carol", "SP-0001", "Issue", {"f:qty_0": "2"})
    h.settle()

    card = file(h)
    act(h, card, "bob", "Approve")
    act(h, card, "dan", "Approve")
    act(h, card, "hana", "Open checklist", form={})
    act(h, card, "dan", "Done", form=NOTE)
    h.as_("gus").command("/procedo", "language zh", channel="general")
    h.as_("gus").click("Done", message=prompt(h, card, "gus", "Done"))
    view = h.ls.wait_view("gus", callback_id="task.form")
    assert "已向离职人发放：2 ream A4纸。" in str(view.blocks), view.blocks
    h.as_("gus").close_view()
    h.as_("carol").click("Done", message=prompt(h, card, "carol", "Done"))
    view = h.ls.wait_view("carol", callback_id="task.form")
    assert "Issued to the leaver: 2 ream A4 paper." in str(view.blocks), view.blocks
