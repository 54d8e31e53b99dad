"""Office supplies end to end (000 §3.2.3): the quick path and the form in both languages, the
in-stock path, purchase → receive (short) → issue, a rejection, the ledger's result."""

from __future__ import annotations

from tests.support.approvals import card_for, prompt_for
from tests.support.harness import Harness
from tests.support.supplies import balance, load_demo, quick, request_state, task, wait_state


def test_in_stock_quick_path_in_english(harness: Harness) -> None:
    h = harness
    load_demo(h)
    summary = quick(h, "alice", "2 A4 paper for printing contracts", "I understood")
    text = h.ls.text_of(summary)
    assert "2 ream A4 paper" in text and "12 ream available now" in text
    assert "printing contracts" in text
    h.as_("alice").click("Submit", message=summary)
    card = card_for(h, "SP-0001")
    assert "A4 paper" in h.ls.text_of(card)
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    wait_state(h, ("pending", "issue"))
    assert balance(h, "PAPER-A4").reserved == 2
    assert balance(h, "PAPER-A4").available == 10
    task(h, "carol", "SP-0001", "Issue", {"f:qty_0": "2"})
    h.settle()
    assert request_state(h) == ("pending", "confirm")
    task(h, "alice", "SP-0001", "Got it", {})
    h.settle()
    assert request_state(h) == ("closed", None)
    b = balance(h, "PAPER-A4")
    assert (b.on_hand, b.reserved, b.available) == (10, 0, 10)


def test_purchase_short_delivery_and_partial_issue_in_chinese(harness: Harness) -> None:
    h = harness
    load_demo(h)
    alice = h.as_("alice")
    alice.command("/procedo", "language zh", channel="general")
    h.ls.wait_ephemeral("alice", contains="中文")
    summary = quick(h, "alice", "5 A3纸 做海报", "我理解的是")
    assert "可用 2 ream" in h.ls.text_of(summary) and "做海报" in h.ls.text_of(summary)
    alice.click("提交", message=summary)
    card = card_for(h, "SP-0001")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    # Two on the shelf are reserved at once; three must be bought.
    wait_state(h, ("pending", "purchase"))
    assert (balance(h, "PAPER-A3").reserved, balance(h, "PAPER-A3").available) == (2, 0)
    task(
        h,
        "gus",
        "SP-0001",
        "已采购",
        {"f:supplier": "晨光文具", "f:expected": "2026-11-30", "f:qty_0": "3", "f:price_0": "25"},
    )
    h.settle()
    # 3 × 25 is under the finance threshold: no finance step, straight to receiving.
    assert request_state(h) == ("pending", "receive")
    assert balance(h, "PAPER-A3").on_order == 3
    # A short delivery: two arrive and pass inspection; one stays on order.
    task(h, "gus", "SP-0001", "验收入库", {"f:inspection": "passed", "f:qty_0": "2"})
    h.settle()
    b = balance(h, "PAPER-A3")
    assert (b.on_hand, b.reserved, b.on_order) == (4, 4, 1)
    assert request_state(h) == ("pending", "issue")
    task(h, "carol", "SP-0001", "Issue", {"f:qty_0": "4"})
    h.settle()
    # The rest is still on order: the receive task opens again, saying why.
    assert request_state(h) == ("pending", "receive")
    again = h.ls.wait_dm("gus", contains="SP-0001")
    assert again is not None
    task(h, "gus", "SP-0001", "验收入库", {"f:inspection": "passed", "f:qty_0": "1"})
    h.settle()
    task(h, "carol", "SP-0001", "Issue", {"f:qty_0": "1"})
    h.settle()
    assert request_state(h) == ("pending", "confirm")
    task(h, "alice", "SP-0001", "确认领取", {})
    h.settle()
    assert request_state(h) == ("closed", None)
    b = balance(h, "PAPER-A3")
    assert (b.on_hand, b.reserved, b.available, b.on_order) == (0, 0, 0, 0)
    alice.command("/supply", "stock A3", channel="general")
    shown = h.ls.text_of(h.ls.wait_ephemeral("alice", contains="库存"))
    assert "在库 0" in shown and "在途 0" in shown
