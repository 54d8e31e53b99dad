"""The clock on complaints (004 §4.2), on the injected clock: a complaint near its response
deadline nudges its owner, an overdue one is escalated to the service lead once; a response in
time cancels both; the monthly report posts the four figures against their targets with the
month's CSV, from a set of complaints whose figures are worked out by hand."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from sqlalchemy import select

from localslack import Message
from store.models.audit import AuditEntry
from tests.support.complaints import SERVICE, card, file_complaint, step, through_to_resolved
from tests.support.harness import Harness


def _count(h: Harness, action: str) -> int:
    with h.sessions.read() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == action))
        return len(list(rows))


def _dms(h: Harness, who: str, contains: str) -> list[Message]:
    return [m for m in h.ls.dm(who) if contains in h.ls.text_of(m)]


def test_a_nudge_before_the_deadline_then_one_escalation(harness: Harness) -> None:
    h = harness
    file_complaint(h, severity="high")  # respond within 4 hours; nudge 1 hour before
    step(h, "bob", "Assign an owner", {"f:owner": "erin"})
    h.advance(timedelta(hours=2, minutes=59))
    assert not _dms(h, "erin", "needs its response by")
    h.advance(timedelta(minutes=2))
    h.ls.wait_dm("erin", contains="needs its response by")
    assert not _dms(h, "bob", "响应")  # bob reads Chinese: nothing escalated yet
    h.advance(timedelta(hours=1))
    escalated = h.ls.text_of(h.ls.wait_dm("bob", contains="未在"))
    assert "CP-0001" in escalated and "004 §4.2" in escalated
    thread = h.ls.replies(SERVICE, card(h).ts)
    assert any("Not responded to by" in h.ls.text_of(m) for m in thread)
    h.advance(timedelta(days=2))
    assert len(_dms(h, "bob", "未在")) == 1 and len(_dms(h, "erin", "needs its response")) == 1
    assert (_count(h, "complaint.nudged"), _count(h, "complaint.escalated")) == (1, 1)
    # Responded late: the card says so.
    step(h, "erin", "Record the response", {"f:text": "Sorry for the wait"})
    assert "after the deadline" in h.ls.text_of(card(h))


def test_a_response_in_time_cancels_the_nudge_and_the_escalation(harness: Harness) -> None:
    h = harness
    file_complaint(h, severity="high")
    step(h, "bob", "Assign an owner", {"f:owner": "erin"})
    h.advance(timedelta(hours=1))
    step(h, "erin", "Record the response", {"f:text": "Called back"})
    h.advance(timedelta(hours=6))
    assert not _dms(h, "erin", "needs its response") and not _dms(h, "bob", "未在")
    assert (_count(h, "complaint.nudged"), _count(h, "complaint.escalated")) == (0, 0)
    assert "in time" in h.ls.text_of(card(h))


def test_an_unassigned_complaint_nudges_the_service_lead(harness: Harness) -> None:
    h = harness
    file_complaint(h, severity="urgent")  # 2 hours
    h.advance(timedelta(hours=1, minutes=1))
    h.ls.wait_dm("bob", contains="尚未指派处理人")


def _revisit(h: Harness, number: str, handling: str, overall: str) -> None:
    values = {"f:handling": handling, "f:satisfaction": overall}
    step(h, "gus", "Record the revisit", values, number)


def test_the_monthly_report_from_known_complaints(harness: Harness) -> None:
    h = harness
    # November: five complaints received.
    #   CP-0001 revisited 5/5, CP-0002 revisited 4/4, CP-0003 revisited 3/4,
    #   CP-0004 resolved (not revisited), CP-0005 assigned only.
    # By hand: handling rate 4/5 = 80.0 % (target 100: missed); revisit rate 3/4 = 75.0 %
    # (100: missed); handling satisfaction (≥ 4) 2/3 = 66.7 % (95: missed); customer
    # satisfaction (≥ 4) 3/3 = 100.0 % (90: met).
    for n in range(1, 6):
        number = f"CP-{n:04d}"
        file_complaint(h, customer=f"Customer {n}", description=f"=cmd|{n}", number=number)
        if n <= 4:
            through_to_resolved(h, number)
        else:
            step(h, "bob", "Assign an owner", {"f:owner": "erin"}, number)
    _revisit(h, "CP-0001", "5", "5")
    _revisit(h, "CP-0002", "4", "4")
    _revisit(h, "CP-0003", "3", "4")
    # December, before the report: not November's.
    h.set_time(datetime.fromisoformat("2026-12-01T08:00:00+08:00"))
    file_complaint(h, customer="December", number="CP-0006")
    before = len(h.ls.messages(SERVICE))

    h.set_time(datetime.fromisoformat("2026-12-01T09:00:30+08:00"))
    report = h.ls.wait_message(SERVICE, contains="Customer service figures, 2026-11")
    text = h.ls.text_of(report)
    assert "Complaints received: 5" in text
    assert "*Problem-handling rate*: 80.0% (4/5); target 100% — missed" in text
    assert "*Complaint-handling satisfaction*: 66.7% (2/3); target 95% — missed" in text
    assert "*Revisit rate*: 75.0% (3/4); target 100% — missed" in text
    assert "*Customer satisfaction*: 100.0% (3/3); target 90% — met" in text
    assert "004 §4.2" in text

    uploaded = h.ls.wait_for(
        lambda: next((m for m in h.ls.messages(SERVICE) if m.files), None), message="the CSV"
    )
    record = h.ls.file(uploaded.files[0]["id"])
    assert record.name == "complaints-2026-11.csv"
    assert record.content.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets read it as UTF-8
    rows = list(csv.reader(io.StringIO(record.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Number", "Received", "Customer"]
    assert [r[0] for r in rows[1:]] == [f"CP-{n:04d}" for n in range(1, 6)]
    by_number = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_number["CP-0003"]["Handling score"] == "3"
    assert by_number["CP-0003"]["Overall score"] == "4"
    assert by_number["CP-0004"]["Status"] == "Resolved, waiting for the revisit"
    assert by_number["CP-0005"]["Resolved"] == "" and by_number["CP-0001"]["In time"] == "yes"
    assert by_number["CP-0002"]["Complaint"] == "'=cmd|2"  # a formula stays text

    # Once: the next ticks post nothing more for November.
    h.advance(timedelta(hours=2))
    reports = [m for m in h.ls.messages(SERVICE) if "figures, 2026-11" in h.ls.text_of(m)]
    assert len(reports) == 1 and len(h.ls.messages(SERVICE)) == before + 2

    # On demand, the same figures; and the running month's.
    h.as_("alice").command("/procedo", "complaints 2026-11", channel="general")
    h.ls.wait_ephemeral("alice", contains="(3/3); target 90% — met")
    h.as_("alice").command("/procedo", "complaints", channel="general")
    h.ls.wait_ephemeral("alice", contains="Complaints received: 1")
