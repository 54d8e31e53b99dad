"""Customer complaints end to end (004 §4.2): recorded, assigned by the service lead, responded
to, resolved and revisited with scores, the card updated in place at each step and every step
audited; refusals of bad input and of steps out of turn, in both languages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from slackui.views.forms import ACTION
from store.models.audit import AuditEntry
from store.models.complaints import Complaint
from tests.support.complaints import SERVICE, card, file_complaint, step
from tests.support.harness import Harness
from tests.support.injection import HOSTILE, assert_no_injection
from tests.support.tamper import press, submit_view


def _audit(h: Harness) -> list[str]:
    with h.sessions.read() as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.subject_type == "complaint").order_by(AuditEntry.id)
        )
        return [r.action for r in rows]


def _complaint(h: Harness) -> Complaint:
    with h.sessions.read() as session:
        row = session.scalars(select(Complaint)).one()
        session.expunge(row)
        return row


def test_a_complaint_from_filing_to_a_satisfied_revisit(harness: Harness) -> None:
    h = harness
    first = file_complaint(h)
    shown = h.ls.text_of(first)
    assert "CP-0001" in shown and "Acme Trading" in shown and "004 §4.2" in shown
    assert "Waiting for an owner" in shown

    step(h, "bob", "Assign an owner", {"f:owner": "erin"})
    dm = h.ls.wait_dm("erin", contains="CP-0001")
    assert "Respond to the customer by" in h.ls.text_of(dm)
    step(h, "erin", "Record the response", {"f:text": "Called back, apologised"})
    step(h, "erin", "Record the resolution", {"f:text": "Credit note issued"})
    step(h, "gus", "Record the revisit", {"f:handling": "5", "f:satisfaction": "4"})

    h.ls.wait_for(lambda: "Revisited" in h.ls.text_of(card(h)), message="the card shows it")
    final = h.ls.text_of(card(h))
    assert "in time" in final and "Credit note issued" in final and "handling 5, overall 4" in final
    assert not [b for b in card(h).blocks if b["type"] == "actions"]  # no step left
    assert len(h.ls.messages(SERVICE)) == 1  # one card, updated in place
    row = _complaint(h)
    assert (row.state, row.owner, row.handling_score, row.satisfaction_score) == (
        "revisited",
        h.uid("erin"),
        5,
        4,
    )
    assert _audit(h) == [
        "complaint.filed", "complaint.assigned", "complaint.responded",
        "complaint.resolved", "complaint.revisited",
    ]  # fmt: skip

    h.as_("alice").command("/procedo", "complaint CP-0001", channel="general")
    one = h.ls.text_of(h.ls.wait_ephemeral("alice", contains="CP-0001 · Customer complaint"))
    assert "Credit note issued" in one
    h.as_("zoe").command("/procedo", "complaint CP-0001", channel="general")
    h.ls.wait_ephemeral("zoe", contains="只有登记人、处理人")  # zoe reads Chinese


def test_in_chinese(harness: Harness) -> None:
    h = harness
    h.as_("gus").command("/procedo", "language zh", channel="general")
    h.settle()
    file_complaint(h, "gus", customer="华东贸易", description="发票重复寄出", severity="urgent")
    assert "已登记" in str(h.ls.view("gus").blocks)  # type: ignore[union-attr]
    step(h, "bob", "Assign an owner", {"f:owner": "gus"})
    dm = h.ls.text_of(h.ls.wait_dm("gus", contains="CP-0001"))
    assert "你被指派处理投诉" in dm and "紧急" in dm and "004 §4.2" in dm
    h.as_("gus").command("/procedo", "投诉 CP-0001", channel="general")
    one = h.ls.text_of(h.ls.wait_ephemeral("gus", contains="客户投诉"))
    assert "华东贸易" in one and "待响应" in one and "客户投诉处理满意度不低于95%" in one
    h.as_("gus").command("/procedo", "投诉统计 2026-13", channel="general")
    h.ls.wait_ephemeral("gus", contains="查看指定月份")


def test_bad_input_is_refused_with_what_to_do(harness: Harness) -> None:
    h = harness
    h.as_("alice").command("/procedo", "complaint", channel="general")
    h.ls.wait_view("alice", callback_id="complaints.form")
    bad = {"f:customer": "Acme", "f:channel": "phone", "f:description": "   ", "f:severity": "high"}
    empty = h.as_("alice").submit(bad, validate=False)
    assert "f:description" in (empty.json or {}).get("errors", {})
    # A severity the form never offered (a tampered submission) is refused on its field.
    view = h.ls.view("alice")
    assert view is not None
    state = {
        "f:customer": {ACTION: {"type": "plain_text_input", "value": "Acme"}},
        "f:channel": {ACTION: {"type": "static_select", "selected_option": {"value": "phone"}}},
        "f:description": {ACTION: {"type": "plain_text_input", "value": "Broken"}},
        "f:severity": {ACTION: {"type": "static_select", "selected_option": {"value": "doom"}}},
    }
    raw: dict[str, Any] = {"type": "modal", "id": view.id, "callback_id": "complaints.form"}
    raw["state"] = {"values": state}
    unknown = submit_view(h, "alice", {**raw, "blocks": view.blocks})
    assert "f:severity" in (unknown.json or {}).get("errors", {}), unknown.body
    with h.sessions.read() as session:
        assert session.scalars(select(Complaint)).first() is None  # nothing half-written
    h.as_("alice").close_view()

    file_complaint(h)
    # Only the service lead (the operations role) assigns.
    h.as_("erin").click("Assign an owner", message=card(h))
    h.ls.wait_ephemeral("erin", contains="Only the service lead assigns")
    old_card = card(h)
    step(h, "bob", "Assign an owner", {"f:owner": "erin"})
    # The old card's Assign button, pressed after the assignment: out of order.
    press(h, "bob", old_card, "complaints.assign", "1")
    h.ls.wait_ephemeral("bob", contains="当前不在这一步（状态：待响应）")  # bob reads Chinese
    # Someone else than the owner cannot record the response.
    h.as_("alice").click("Record the response", message=card(h))
    h.ls.wait_ephemeral("alice", contains="Only the owner of CP-0001")
    step(h, "erin", "Record the response", {"f:text": "Called back"})
    step(h, "erin", "Record the resolution", {"f:text": "Fixed"})
    h.as_("erin").click("Record the revisit", message=card(h))
    h.ls.wait_view("erin", callback_id="complaints.step")
    out_of_range = h.as_("erin").submit({"f:handling": "6", "f:satisfaction": "4"}, validate=False)
    assert "f:handling" in (out_of_range.json or {}).get("errors", {})
    assert _complaint(h).state == "resolved"
    assert _audit(h).count("complaint.refused") == 3


def test_hostile_text_is_escaped_everywhere(harness: Harness) -> None:
    h = harness
    file_complaint(h, customer=HOSTILE[:150], description=HOSTILE)
    step(h, "bob", "Assign an owner", {"f:owner": "erin"})
    step(h, "erin", "Record the response", {"f:text": HOSTILE})
    step(h, "erin", "Record the resolution", {"f:text": HOSTILE})
    step(
        h,
        "erin",
        "Record the revisit",
        {"f:handling": "2", "f:satisfaction": "3", "f:note": HOSTILE},
    )
    h.as_("alice").command("/procedo", "complaint CP-0001", channel="general")
    h.ls.wait_ephemeral("alice", contains="CP-0001")
    assert_no_injection(h.ls)


def test_more_refusals_each_saying_what_to_do(harness: Harness) -> None:
    h = harness
    file_complaint(h)
    # An owner from outside the org is refused on the field; the modal stays open.
    h.as_("bob").click("Assign an owner", message=card(h))
    h.ls.wait_view("bob", callback_id="complaints.step")
    outside = h.as_("bob").submit({"f:owner": "zoe"})
    assert "f:owner" in (outside.json or {}).get("errors", {}), outside.body
    assert _complaint(h).state == "open"
    h.as_("bob").close_view()
    # A tampered button value is "out of date", not a traceback.
    assert press(h, "bob", card(h), "complaints.assign", "99999999999").status == 200
    h.ls.wait_ephemeral("bob", contains="已失效")  # bob reads Chinese
    step(h, "bob", "Assign an owner", {"f:owner": "erin"})
    step(h, "erin", "Record the response", {"f:text": "Called back"})
    step(h, "erin", "Record the resolution", {"f:text": "Fixed"})
    # Neither the owner nor the quality group: no revisit.
    h.as_("alice").click("Record the revisit", message=card(h))
    h.ls.wait_ephemeral("alice", contains="or the quality supervision group")
    h.as_("alice").command("/procedo", "complaint CP-0042", channel="general")
    h.ls.wait_ephemeral("alice", contains="There is no such complaint")
    h.as_("alice").command("/procedo", "complaint nonsense", channel="general")
    h.ls.wait_ephemeral("alice", contains="`/procedo complaint CP-0001`")
    assert _audit(h).count("complaint.refused") == 1
