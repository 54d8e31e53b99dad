"""Rectification notices end to end (004 §3.4, 003 §3.2): issue → 签收 → fix with evidence →
failed re-inspection back to the fix with its reason → fix again → pass → closed; only the
quality role issues them; overdue notices nudge the owner and escalate to the owner's head;
the monthly digest to the quality role."""

from __future__ import annotations

from datetime import datetime

from tests.support.approvals import APPROVALS
from tests.support.harness import Harness
from tests.support.rectification import (
    buttons,
    card_text,
    do_task,
    history,
    issue,
    notice,
    submit,
    task_dm,
    thread_prompt,
)

SHANGHAI = "+08:00"


def test_the_whole_notice_in_english(harness: Harness) -> None:
    h = harness
    card = issue(h, "hana", owner="alice")
    text = h.ls.text_of(card)
    assert "RN-0001" in text and "Rectification notice" in text and "Fire exit blocked" in text
    assert "004 §3.4" in text and "Acknowledge receipt" in text

    # 签收: the owner acknowledges from her DM (an action task with no fields).
    dm = task_dm(h, "alice", "RN-0001", "Acknowledge")
    assert "Warehouse B" in h.ls.text_of(dm)
    assert "Acknowledge" in buttons(thread_prompt(h, card, "Acknowledge"))
    do_task(h, "alice", "RN-0001", "Acknowledge", {})
    h.ls.wait_dm("hana", contains="finished step 1")

    # The fix, with evidence: an input task validated by the form machinery.
    alice = h.as_("alice")
    fix_dm = task_dm(h, "alice", "RN-0001", "Submit fix")
    alice.click("Submit fix", message=fix_dm)
    h.ls.wait_view("alice", callback_id="task.form")
    missing = alice.submit(
        {"f:evidence:link": "https://files.example.com/fix-1.jpg"}, validate=False
    )
    assert missing.json and missing.json["response_action"] == "errors"
    assert "f:description" in missing.json["errors"] and notice(h)[0] == "pending"
    submit(
        h,
        "alice",
        {
            "f:description": "Moved the pallets to bay 4",
            "f:evidence:link": "https://files.example.com/fix-1.jpg",
        },
        fix_dm,
    )

    # 复查 by the inspector who issued it: Fail sends it back to the fix, with the reason.
    hana = h.as_("hana")
    prompt = thread_prompt(h, card, "Fail")
    assert "Reject" not in buttons(prompt) and "Pass" in buttons(prompt)
    hana.click("Fail", message=prompt)
    h.ls.wait_view("hana", callback_id="request.reason")
    hana.submit({"reason": "Door still blocked by a trolley"})
    again = task_dm(h, "alice", "RN-0001", "Submit fix")
    assert "Door still blocked by a trolley" in h.ls.text_of(again)
    state, round_, computed = notice(h)
    assert (state, round_, computed["failed_inspections"]) == ("pending", 2, 1)

    do_task(
        h,
        "alice",
        "RN-0001",
        "Submit fix",
        {
            "f:description": "Trolley parked elsewhere; signage added",
            "f:evidence:link": "https://files.example.com/fix-2.jpg",
        },
    )
    hana.click("Pass", message=thread_prompt(h, card, "Pass"))
    h.ls.wait_for(lambda: "Closed" in card_text(h, card), message="the card shows closed")
    assert notice(h)[0] == "closed"
    h.ls.wait_dm("alice", contains="RN-0001, step 2: Done")

    actions = [e.action for e in history(h)]
    assert actions == [
        "request.submitted",
        "request.task_done",
        "request.task_done",
        "request.sent_back",
        "request.task_done",
        "request.closed",
    ]
    # History is kept: both fixes, the reason, and the card lists each step's state.
    fixes = [
        e.detail["values"]["description"] for e in history(h) if e.detail.get("task") == "input"
    ]
    assert fixes == ["Moved the pallets to bay 4", "Trolley parked elsewhere; signage added"]
    final = card_text(h, card)
    assert "Re-inspection" in final and "Trolley parked elsewhere" in final
    thread = "\n".join(h.ls.text_of(m) for m in h.ls.replies(APPROVALS, card.ts))
    assert "sent it back to step 2" in thread and "Door still blocked by a trolley" in thread


def test_the_whole_notice_in_chinese(harness: Harness) -> None:
    h = harness
    for who in ("gus", "ian"):
        h.as_(who).command("/procedo", "language zh", channel="general")
        h.ls.wait_ephemeral(who)
    card = issue(h, "gus", owner="ian", problem="消防通道堆放杂物")
    assert "消防通道堆放杂物" in h.ls.text_of(card)
    dm = task_dm(h, "ian", "RN-0001", "签收")
    assert "由你办理" in h.ls.text_of(dm)
    do_task(h, "ian", "RN-0001", "签收", {})
    h.ls.wait_dm("gus", contains="已完成第 1 步")
    do_task(
        h,
        "ian",
        "RN-0001",
        "提交整改",
        {"f:description": "已清理通道", "f:evidence:link": "https://files.example.com/a.jpg"},
    )
    gus = h.as_("gus")
    gus.click("Fail", message=thread_prompt(h, card, "Fail"))
    h.ls.wait_view("gus", callback_id="request.reason")
    gus.submit({"reason": "通道仍有纸箱"})
    again = h.ls.text_of(task_dm(h, "ian", "RN-0001", "提交整改"))
    assert "退回：通道仍有纸箱" in again and "需要你填报" in again
    do_task(
        h,
        "ian",
        "RN-0001",
        "提交整改",
        {"f:description": "纸箱已移走", "f:evidence:link": "https://files.example.com/b.jpg"},
    )
    gus.click("Pass", message=thread_prompt(h, card, "Pass"))
    h.ls.wait_for(lambda: notice(h)[0] == "closed", message="the notice is closed")
    h.ls.wait_dm("ian", contains="RN-0001 第 2 步：已完成")


def test_only_the_quality_role_may_issue_a_notice(harness: Harness) -> None:
    h = harness
    h.as_("alice").command("/procedo", "new rectification", channel="general")
    refused = h.ls.wait_ephemeral("alice", contains="Only quality supervision")
    assert "004 §3.4" in h.ls.text_of(refused)
    assert h.ls.view("alice") is None
    h.as_("bob").command("/procedo", "new rectification", channel="general")  # reads Chinese
    assert "004 §3.4" in h.ls.text_of(h.ls.wait_ephemeral("bob", contains="只有质量监督人员"))


def test_a_notice_to_oneself_is_refused_on_the_owner_field(harness: Harness) -> None:
    h = harness
    from tests.support.rectification import notice_values, open_form

    open_form(h, "hana")
    response = h.as_("hana").submit(notice_values(owner="hana"))
    assert response.json and response.json["response_action"] == "errors"
    assert "f:owner" in response.json["errors"]


def test_overdue_nudges_the_owner_then_escalates_to_the_head(harness: Harness) -> None:
    h = harness
    card = issue(h, "hana", owner="alice", deadline="2026-11-24")
    do_task(h, "alice", "RN-0001", "Acknowledge", {})
    # Tuesday's deadline passes; Wednesday morning the owner is nudged, not yet her head.
    h.set_time(datetime.fromisoformat(f"2026-11-25T09:30:00{SHANGHAI}"))
    nudge = h.ls.wait_dm("alice", contains="past its deadline (2026-11-24)")
    assert "RN-0001" in h.ls.text_of(nudge)
    assert not [m for m in h.ls.dm("bob") if "RN-0001" in h.ls.text_of(m)]
    # One working day later bob, alice's head, is told (in Chinese, his language).
    h.set_time(datetime.fromisoformat(f"2026-11-26T09:30:00{SHANGHAI}"))
    told = h.ls.wait_dm("bob", contains="超过期限（2026-11-24）仍未完成")
    assert f"<@{h.uid('alice')}>" in h.ls.text_of(told)
    thread = "\n".join(h.ls.text_of(m) for m in h.ls.replies(APPROVALS, card.ts))
    assert "Past its deadline" in thread and "escalated to" in thread
    # Once a notice is closed nothing more is sent; the audit shows each step once.
    actions = [e.action for e in history(h)]
    assert actions.count("request.overdue") == 1 and actions.count("request.overdue_escalated") == 1


def test_the_monthly_digest_lists_open_and_overdue_notices(harness: Harness) -> None:
    h = harness
    h.tick()  # the clock starts its prompt cursors now
    issue(h, "hana", number="RN-0001", owner="alice", deadline="2026-11-24")
    issue(
        h,
        "hana",
        number="RN-0002",
        owner="erin",
        deadline="2026-12-18",
        problem="Loose cable <!channel>",
    )
    h.set_time(datetime.fromisoformat(f"2026-12-01T09:05:00{SHANGHAI}"))
    digest = h.ls.wait_dm("hana", contains="Monthly rectification digest")
    text = h.ls.text_of(digest)
    assert "2 open, 1 overdue" in text
    assert text.index("RN-0001") < text.index("RN-0002")  # overdue first
    assert "overdue" in text and "Loose cable" in text
    assert "<!channel>" not in str(digest.blocks)  # a typed ping is shown, never sent
    zh = h.ls.wait_dm("gus", contains="月度整改通知汇总")
    assert "未关闭 2 项，其中逾期 1 项" in h.ls.text_of(zh)
