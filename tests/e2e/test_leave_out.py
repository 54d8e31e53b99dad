"""Who is out: /leave who, the morning post, prompts skipping people on leave, approvals going
to the handover person; and the monthly attendance report with its CSV for HR."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from tests.support.approvals import card_for, file_expense, prompt_for
from tests.support.harness import Harness
from tests.support.leave import ask

APPROVALS = "C0APPROVALS"


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+08:00")


def approved_leave(h: Harness, who: str, text: str, number: str, approver: str) -> None:
    h.as_(who).click(action_id="leave.submit", message=ask(h, who, text))
    card = card_for(h, number)
    h.as_(approver).click("Approve", message=prompt_for(h, card, f"<@{h.uid(approver)}>"))
    h.ls.wait_dm(who, contains=number)
    h.ls.wait_for(lambda: "Approved by" in h.ls.text_of(h.ls.message(APPROVALS, card.ts)))


def test_who_is_out_and_who_may_ask(harness: Harness) -> None:
    h = harness
    approved_leave(h, "alice", "annual nov 26-27", "LV-0001", "bob")
    h.as_("erin").command("/leave", "who nov 26", channel="general")
    answer = h.ls.wait_ephemeral("erin", contains="Out in Operations")
    assert f"<@{h.uid('alice')}>" in h.ls.text_of(answer)
    h.as_("erin").command("/leave", "who today", channel="general")
    h.ls.wait_ephemeral("erin", contains="Nobody is out")
    # Heads and HR may look at any department; others may not.
    h.as_("hana").command("/leave", "who ops this week", channel="general")
    h.ls.wait_ephemeral("hana", contains=f"<@{h.uid('alice')}>")
    h.as_("gus").command("/leave", "who ops this week", channel="general")
    h.ls.wait_ephemeral("gus", contains="只有部门负责人")


def test_morning_post_lists_who_is_out_today(harness: Harness) -> None:
    h = harness
    approved_leave(h, "alice", "annual nov 26-27", "LV-0001", "bob")
    h.set_time(at("2026-11-26T08:59"))
    assert not [m for m in h.ls.messages("C0OPSTEAM") if "Out today" in h.ls.text_of(m)]
    h.set_time(at("2026-11-26T09:00"))
    post = h.ls.wait_message("C0OPSTEAM", contains="Out today (2026-11-26)")
    assert f"<@{h.uid('alice')}>" in h.ls.text_of(post) and "Annual" not in h.ls.text_of(post)
    h.tick()
    assert len([m for m in h.ls.messages("C0OPSTEAM") if "Out today" in h.ls.text_of(m)]) == 1


def test_an_approver_on_leave_hands_decisions_to_the_handover_person(harness: Harness) -> None:
    h = harness
    # Bob (head of Ops) will be away on 26-27 November and names Carol as his handover.
    bob = h.as_("bob")
    bob.command("/leave", "", channel="general")
    h.ls.wait_view("bob", callback_id="request.form")
    bob.submit(
        {
            "f:type": "annual",
            "f:dates:start": "2026-11-26",
            "f:dates:end": "2026-11-27",
            "f:handover": "carol",
        }
    )
    card = card_for(h, "LV-0001")
    h.as_("dan").click("Approve", message=prompt_for(h, card, f"<@{h.uid('dan')}>"))
    h.ls.wait_dm("bob", contains="LV-0001")

    # While he is out, what would wait for Bob goes to Carol, on his behalf.
    h.set_time(at("2026-11-26T10:00"))
    expense = file_expense(h, "erin", "300")
    prompt = prompt_for(h, expense, f"<@{h.uid('carol')}>")
    assert f"on behalf of <@{h.uid('bob')}>" in h.ls.text_of(prompt)
    # Back at work on Monday: requests go to Bob again.
    h.set_time(at("2026-11-30T10:00"))
    second = file_expense(h, "erin", "200")
    prompt_for(h, second, f"<@{h.uid('bob')}>")


def test_prompts_skip_people_on_leave(harness: Harness) -> None:
    h = harness
    h.tick()
    approved_leave(h, "fay", "annual nov 30 - dec 2", "LV-0001", "dan")
    h.set_time(at("2026-12-01T09:00"))
    h.ls.wait_dm("carol", contains="Monthly attendance report")  # Carol is at work: asked
    assert not [m for m in h.ls.dm("fay") if "月度考勤上报" in h.ls.text_of(m)]  # Fay is away


def test_monthly_attendance_report_goes_to_hr_as_csv(harness: Harness) -> None:
    h = harness
    h.tick()  # the clock sees the prompts for the first time
    approved_leave(h, "alice", "annual nov 26-27", "LV-0001", "bob")
    h.as_("erin").click("Submit", message=ask(h, "erin", "sick nov 30 flu"))  # still pending
    card_for(h, "LV-0002")

    h.set_time(at("2026-12-01T09:00"))
    prompt = h.ls.wait_dm("bob", contains="月度考勤上报")
    text = h.ls.text_of(prompt)
    assert "运营部 2026-11 考勤" in text
    assert f"<@{h.uid('alice')}>：年假 2" in text
    assert "审批中 1 条" in text

    h.as_("bob").click("发送给人力资源部", message=prompt)
    upload = h.ls.wait_message("C0HR", contains="Attendance of Operations for 2026-11")
    assert upload.files
    content = h.ls.file(upload.files[0]["id"]).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    header = rows[0]
    alice = next(row for row in rows if row[1] == h.uid("alice"))
    assert alice[header.index("Annual leave")] == "2"
    erin = next(row for row in rows if row[1] == h.uid("erin"))
    assert erin[header.index("Pending requests")] == "1"
    h.ls.wait_dm("bob", contains="已于")

    # At the deadline HR gets the departments that have not sent theirs: all but Operations.
    h.set_time(at("2026-12-04T18:00"))
    digest = h.ls.wait_dm("hana", contains="Outstanding: Monthly attendance report")
    text = h.ls.text_of(digest)
    assert f"<@{h.uid('bob')}>" not in text
    for head in ("carol", "fay", "hana", "dan"):
        assert f"<@{h.uid(head)}>" in text
