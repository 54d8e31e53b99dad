"""Office supplies: the form with several lines, rejections (head, finance) that give back
what was reserved, refusals in the user's language, an issue of more than is reserved, a
double click, the low-stock alert firing once, and a stock count with a variance approved
into an adjustment."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from store import requests_repo, supplies_repo
from store.models import PromptResponse
from tests.support.approvals import card_for, prompt_for
from tests.support.harness import Harness
from tests.support.supplies import (
    balance,
    buttons,
    catalogue_text,
    import_catalogue,
    item_id,
    load_demo,
    quick,
    request_state,
    task,
    task_dm,
    wait_state,
)

ADMIN = "C0ADMIN"


def open_form(h: Harness, who: str) -> None:
    h.as_(who).command("/supply", "", channel="general")
    h.ls.wait_view(who, callback_id="supplies.form")


def test_the_form_takes_several_lines_and_a_head_rejection_gives_the_stock_back(
    harness: Harness,
) -> None:
    h = harness
    load_demo(h)
    erin = h.as_("erin")
    open_form(h, "erin")
    view = h.ls.view("erin")
    assert view is not None and "A4 paper (80 g, 500 sheets) · 12 ream available" in json.dumps(
        view.blocks, ensure_ascii=False
    )
    # A quantity without an item, and "something else" without a name: field errors.
    response = erin.submit(
        {"line0:qty": "2", "line1:item": "other", "line1:qty": "1", "purpose": "Onboarding"},
        validate=False,
    )
    assert response.json and response.json["response_action"] == "errors"
    assert set(response.json["errors"]) == {"line0:item", "line1:other"}
    erin.click("Add an item", view=True)
    h.ls.wait_view("erin", callback_id="supplies.form", contains="Item 4")
    a4, pens = item_id(h, "PAPER-A4"), item_id(h, "PEN-BLACK")
    response = erin.submit(
        {
            "line0:item": str(a4),
            "line0:qty": "3",
            "line1:item": str(pens),
            "line1:qty": "10",
            "line2:item": "other",
            "line2:qty": "2",
            "line2:other": "Whiteboard marker, blue <!channel>",
            "purpose": "Onboarding <!here> the new hires",
        }
    )
    assert response.status == 200 and h.ls.view("erin") is None
    card = card_for(h, "SP-0001")
    text = h.ls.text_of(card)
    assert "3 ream A4 paper" in text and "10 支 Gel pen" in text and "Whiteboard marker" in text
    everything = json.dumps(card.blocks, ensure_ascii=False)
    assert "<!channel>" not in everything and "<!here>" not in everything
    bob = h.as_("bob")
    bob.click("Reject", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    h.ls.wait_view("bob", callback_id="request.reason")
    bob.submit({"reason": "Use the onboarding kit"})
    h.ls.wait_dm("erin", contains="SP-0001")
    assert request_state(h) == ("rejected", None)
    assert balance(h, "PAPER-A4").reserved == 0 and balance(h, "PAPER-A4").available == 12


def test_a_large_purchase_needs_finance_and_its_rejection_closes_the_order(
    harness: Harness,
) -> None:
    h = harness
    load_demo(h)
    summary = quick(h, "alice", "2 toner cartridges for the printer", "I understood")
    assert "0 个 available now" in h.ls.text_of(summary)
    h.as_("alice").click("Submit", message=summary)
    card = card_for(h, "SP-0001")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    task(
        h,
        "carol",
        "SP-0001",
        "Purchased",
        {"f:supplier": "HP store", "f:expected": "2026-11-30", "f:qty_0": "2", "f:price_0": "1200"},
    )
    h.settle()
    assert request_state(h) == ("pending", "finance")  # 2 × 1200 is over 2000
    h.ls.wait_for(
        lambda: "2400.00 CNY" in h.ls.text_of(h.ls.message("C0APPROVALS", card.ts)) or None,
        message="the card shows the purchase total",
    )
    assert balance(h, "TONER-HP").on_order == 2
    fay = h.as_("fay")
    fay.click("Reject", message=prompt_for(h, card, f"<@{h.uid('fay')}>"))
    h.ls.wait_view("fay", callback_id="request.reason")
    fay.submit({"reason": "Buy compatible cartridges"})
    h.ls.wait_dm("alice", contains="SP-0001")
    assert request_state(h) == ("rejected", None)
    assert balance(h, "TONER-HP").on_order == 0


def test_refusals_are_clear_in_each_language(harness: Harness) -> None:
    h = harness
    load_demo(h)
    h.as_("alice").command("/supply", "staplers for the new hires", channel="general")
    h.ls.wait_ephemeral("alice", contains="How many?")
    h.as_("alice").command("/supply", "6 staplers for the new hires", channel="general")
    h.ls.wait_ephemeral("alice", contains="at most 5 个 per request")
    h.as_("bob").command("/supply", "30 中性笔 开会", channel="general")
    h.ls.wait_ephemeral("bob", contains="每次申领最多 20 支")
    h.as_("bob").command("/supply", "2 飞机 开会", channel="general")
    unknown = h.ls.wait_ephemeral("bob", contains="目录中没有“飞机”")
    assert "修改" in buttons(unknown)
    h.as_("bob").command("/supply", "2 订书机", channel="general")
    h.ls.wait_ephemeral("bob", contains="用途是什么")
    # Discontinued: the catalogue no longer lists the stapler.
    text = "\n".join(
        line
        for line in open_demo().splitlines()
        if "STAPLER," not in line and "sku: STAPLER," not in line
    )
    import_catalogue(text, "demo", h.sessions, h.clock, "test")
    h.as_("alice").command("/supply", "3 staplers for the new hires", channel="general")
    h.ls.wait_ephemeral("alice", contains="Stapler is discontinued")


def open_demo() -> str:
    return catalogue_text()


def test_an_issue_over_the_reservation_is_refused_and_a_double_submit_issues_once(
    harness: Harness,
) -> None:
    h = harness
    load_demo(h)
    summary = quick(h, "alice", "2 notebooks for minutes", "I understood")
    h.as_("alice").click("Submit", message=summary)
    card = card_for(h, "SP-0001")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    carol = h.as_("carol")
    dm = task_dm(h, "carol", "SP-0001", "Issue")
    carol.click("Issue", message=dm)
    h.ls.wait_view("carol", callback_id="task.form", contains="reserved 2")
    too_many = carol.submit({"f:qty_0": "3"}, validate=False)
    assert too_many.json and too_many.json["response_action"] == "errors"
    assert "f:qty_0" in too_many.json["errors"]
    assert carol.submit({"f:qty_0": "2"}).status == 200
    carol.resubmit()  # Slack retries the submission: nothing is issued twice
    h.settle()
    b = balance(h, "NOTEBOOK")
    assert (b.on_hand, b.reserved) == (13, 0)
    assert request_state(h) == ("pending", "confirm")


def test_the_low_stock_alert_fires_once_per_crossing(harness: Harness) -> None:
    h = harness
    load_demo(h)
    for n, quantity in ((1, 7), (2, 1)):
        summary = quick(h, "alice", f"{quantity} A4 paper for printing", "I understood")
        h.as_("alice").click("Submit", message=summary)
        card = card_for(h, f"SP-000{n}")
        h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
        wait_state(h, ("pending", "issue"), n)
        h.tick()
    alert = h.ls.wait_message(ADMIN, contains="Low stock: A4 paper")
    assert "5 ream available" in h.ls.text_of(alert)
    assert "Open a purchase" in buttons(alert)
    alerts = [m for m in h.ls.messages(ADMIN) if "Low stock" in h.ls.text_of(m)]
    assert len(alerts) == 1  # 12 → 5 crossed the level; 5 → 4 did not cross it again
    # The button opens a restock request for the reorder quantity.
    h.as_("carol").click("Open a purchase", message=alert)
    view = h.ls.wait_view("carol", callback_id="supplies.form")
    assert "20" in json.dumps(view.blocks)
    h.as_("carol").submit({})
    card = card_for(h, "SP-0003")
    h.as_("dan").click("Approve", message=prompt_for(h, card, f"<@{h.uid('dan')}>"))
    wait_state(h, ("pending", "purchase"), 3)
    assert balance(h, "PAPER-A4").reserved == 8  # a restock reserves nothing
    task(
        h,
        "gus",
        "SP-0003",
        "已采购",
        {"f:supplier": "Deli", "f:expected": "2026-11-30", "f:qty_0": "20", "f:price_0": "20"},
    )
    task(h, "gus", "SP-0003", "验收入库", {"f:inspection": "passed", "f:qty_0": "20"})
    assert request_state(h, 3) == ("closed", None)  # on the shelf: nothing to issue
    b = balance(h, "PAPER-A4")
    assert (b.on_hand, b.reserved, b.available, b.on_order) == (32, 8, 24, 0)
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "supply", 3)
        assert request is not None
        states = [s.state for s in requests_repo.steps(session, request)]
    assert states == ["approved", "done", "skipped", "done", "skipped", "skipped"]


def test_a_count_with_a_variance_is_approved_into_an_adjustment(harness: Harness) -> None:
    h = harness
    load_demo(h)
    h.tick()  # the clock sees the prompts for the first time
    h.set_time(datetime.fromisoformat("2026-12-25T09:00:00+08:00"))
    prompt = h.ls.wait_dm("gus", contains="季度办公用品盘点")
    gus = h.as_("gus")
    gus.click("开始盘点", message=prompt)
    view = h.ls.wait_view("gus", callback_id="supplies.count", contains="台账：12 ream")
    assert view is not None
    a4 = item_id(h, "PAPER-A4")
    bad = gus.submit({f"count:{a4}": "eleven"}, validate=False)
    assert bad.json and f"count:{a4}" in bad.json["errors"]
    assert gus.submit({f"count:{a4}": "11", "note": "One ream water-damaged"}).status == 200
    card = card_for(h, "SC-0001", channel=ADMIN)
    with h.sessions.begin() as session:  # handing the count in answers the prompt
        answered = list(session.scalars(select(PromptResponse)))
        assert [(a.prompt_id, a.user_id, a.state) for a in answered] == [
            ("stock-count", h.uid("gus"), "done")
        ], [(a.prompt_id, a.period, a.user_id) for a in answered]
    assert "12 → 11 (-1)" in h.ls.text_of(card)
    assert balance(h, "PAPER-A4").on_hand == 12  # not before the approval
    prompt = h.ls.wait_for(
        lambda: next(
            (
                m
                for m in reversed(h.ls.replies(ADMIN, card.ts))
                if f"<@{h.uid('carol')}>" in h.ls.text_of(m) and "Approve" in buttons(m)
            ),
            None,
        ),
        message="the count's approval prompt",
    )
    h.as_("carol").click("Approve", message=prompt)
    h.ls.wait_for(lambda: balance(h, "PAPER-A4").on_hand == 11 or None, message="adjusted")
    with h.sessions.begin() as session:
        kinds = [e.kind for e in supplies_repo.entries(session)]
    assert kinds.count("adjusted") == 1
