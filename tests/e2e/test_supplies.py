"""Office supplies end to end (000 §3.2.3): the quick path and the form in both languages, the
in-stock path, purchase → receive (short) → issue, a rejection, the ledger's result."""

from __future__ import annotations

from tests.support.approvals import card_for, prompt_for
from tests.support.harness import Harness
from tests.support.supplies import balance, load_demo, quick, request_state, task


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
    h.settle()
    assert request_state(h) == ("pending", "issue")
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
