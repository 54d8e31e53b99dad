"""The walkthrough `procedo local` offers, on its bundled demo catalogue: an employee asks in
Chinese for two reams of A4 (one is on the shelf), the head approves, administration buys,
receives and issues, and `/supply stock` shows the ledger's result."""

from __future__ import annotations

from handlers.supplies_cli import load_demo
from tests.support.approvals import card_for, prompt_for
from tests.support.harness import Harness
from tests.support.supplies import balance, quick, request_state, task, wait_state


def test_two_reams_of_a4_in_chinese_on_the_demo_catalogue(harness: Harness) -> None:
    h = harness
    load_demo(h.sessions, h.clock)
    load_demo(h.sessions, h.clock)  # a kept database keeps its stock: loaded once
    alice = h.as_("alice")
    alice.command("/procedo", "language zh", channel="general")
    h.ls.wait_ephemeral("alice", contains="中文")
    summary = quick(h, "alice", "2 A4纸 打印合同", "我理解的是")
    assert "可用 1 ream" in h.ls.text_of(summary)
    alice.click("提交", message=summary)
    card = card_for(h, "SP-0001")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    wait_state(h, ("pending", "purchase"))
    task(
        h,
        "gus",
        "SP-0001",
        "已采购",
        {"f:supplier": "晨光文具", "f:expected": "2026-11-30", "f:qty_0": "1", "f:price_0": "25"},
    )
    task(h, "gus", "SP-0001", "验收入库", {"f:inspection": "passed", "f:qty_0": "1"})
    task(h, "gus", "SP-0001", "发放", {"f:qty_0": "2"})
    task(h, "alice", "SP-0001", "确认领取", {})
    assert request_state(h) == ("closed", None)
    b = balance(h, "PAPER-A4")
    assert (b.on_hand, b.reserved, b.on_order) == (0, 0, 0)
    alice.command("/supply", "stock A4纸", channel="general")
    shown = h.ls.text_of(h.ls.wait_ephemeral("alice", contains="库存：1 种物品"))
    assert "在库 0" in shown and "已预留 0" in shown
    h.ls.wait_dm("alice", contains="SP-0001")
