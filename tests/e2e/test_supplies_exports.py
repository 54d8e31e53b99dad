"""The CSV exports: the ledger entry by entry, consumption per department and month; a
person's text is never run as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

from procedures.supplies import queries
from store import requests_repo
from tests.support.approvals import card_for, prompt_for
from tests.support.harness import Harness
from tests.support.supplies import (
    balance,
    buttons,
    item_id,
    load_demo,
    quick,
    request_state,
    task,
    wait_state,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_ledger_and_consumption_exports(harness: Harness) -> None:
    h = harness
    load_demo(h)
    h.as_("alice").click(
        "Submit", message=quick(h, "alice", "2 A4 paper =cmd|' /C calc'!A0", "I understood")
    )
    card = card_for(h, "SP-0001")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    wait_state(h, ("pending", "issue"))
    task(h, "gus", "SP-0001", "发放", {"f:qty_0": "2"})
    with h.sessions.begin() as session:
        ledger = rows(queries.ledger_csv(session, h.deps.policy, SHANGHAI))
        consumption = rows(queries.consumption_csv(session, h.deps.policy, SHANGHAI))
    kinds = [(r["kind"], r["sku"], r["quantity"]) for r in ledger if r["sku"] == "PAPER-A4"]
    assert kinds == [
        ("opening", "PAPER-A4", "12"),
        ("reserved", "PAPER-A4", "2"),
        ("issued", "PAPER-A4", "2"),
    ]
    issued = next(r for r in ledger if r["kind"] == "issued")
    assert issued["request"] == "SP-0001" and issued["line"] == "1" and issued["item_zh"] == "A4纸"
    assert consumption == [
        {"month": "2026-11", "department": "ops", "item": "A4 paper", "issued": "2"}
    ]


def test_the_form_speaks_chinese(harness: Harness) -> None:
    h = harness
    load_demo(h)
    h.as_("bob").command("/supply", "", channel="general")
    view = h.ls.wait_view("bob", callback_id="supplies.form", contains="可用 12 ream")
    assert view is not None
    response = h.as_("bob").submit({"line0:qty": "abc", "purpose": "开会"}, validate=False)
    assert response.json and response.json["errors"] == {"line0:item": "请为该数量选择物品。"}


def test_withdrawing_at_the_issue_step_gives_the_reservation_back(harness: Harness) -> None:
    h = harness
    load_demo(h)
    h.as_("alice").click(
        "Submit", message=quick(h, "alice", "3 A4 paper for the binder", "I understood")
    )
    card = card_for(h, "SP-0001")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    wait_state(h, ("pending", "issue"))
    assert balance(h, "PAPER-A4").reserved == 3
    dm = h.ls.wait_for(
        lambda: next((m for m in reversed(h.ls.dm("alice")) if "Withdraw" in buttons(m)), None),
        message="the requester's DM with Withdraw",
    )
    h.as_("alice").click("Withdraw", message=dm)
    h.ls.wait_ephemeral("alice", contains="withdrawn")
    assert request_state(h) == ("withdrawn", None)
    b = balance(h, "PAPER-A4")
    assert (b.on_hand, b.reserved, b.available) == (12, 0, 12)


def test_a_double_click_on_submit_files_one_request(harness: Harness) -> None:
    h = harness
    load_demo(h)
    summary = quick(h, "alice", "2 A4 paper for printing contracts", "I understood")
    drivers = [h.ls.driver("alice"), h.ls.driver("alice")]
    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(lambda d: d.click("Submit", message=summary).status, drivers))
    assert statuses == [200, 200]
    card_for(h, "SP-0001")
    h.ls.wait_ephemeral("alice", contains="filed already")
    with h.sessions.begin() as session:
        assert len(requests_repo.open_of(session, "supply")) == 1


def test_the_form_refuses_more_than_the_limit_per_request(harness: Harness) -> None:
    h = harness
    load_demo(h)
    pens = item_id(h, "PEN-BLACK")
    h.as_("erin").command("/supply", "", channel="general")
    h.ls.wait_view("erin", callback_id="supplies.form")
    response = h.as_("erin").submit(
        {"line0:item": str(pens), "line0:qty": "30", "purpose": "Workshop"}, validate=False
    )
    assert response.json and response.json["errors"] == {
        "line0:qty": "Gel pen: at most 20 支 per request."
    }


def test_a_failed_inspection_keeps_everything_on_order(harness: Harness) -> None:
    h = harness
    load_demo(h)
    h.as_("alice").click(
        "Submit", message=quick(h, "alice", "1 toner cartridge for the printer", "I understood")
    )
    card = card_for(h, "SP-0001")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    wait_state(h, ("pending", "purchase"))
    task(
        h,
        "carol",
        "SP-0001",
        "Purchased",
        {"f:supplier": "HP", "f:expected": "2026-11-30", "f:qty_0": "1", "f:price_0": "900"},
    )
    task(h, "carol", "SP-0001", "Received", {"f:inspection": "failed", "f:qty_0": "1"})
    assert request_state(h) == ("pending", "receive")  # the receipt opens again
    b = balance(h, "TONER-HP")
    assert (b.on_hand, b.on_order) == (0, 1)
    again = h.ls.wait_dm("carol", contains="stays on order")
    assert again is not None
    task(h, "carol", "SP-0001", "Received", {"f:inspection": "passed", "f:qty_0": "1"})
    assert request_state(h) == ("pending", "issue")
