"""What people see of supplies: `/supply stock|mine|pending`, the App Home line, and the CSV
exports (the admin role only)."""

from __future__ import annotations

from tests.support.approvals import card_for, prompt_for
from tests.support.harness import Harness
from tests.support.supplies import buttons, load_demo, quick, wait_state


def test_stock_mine_pending_home_and_export(harness: Harness) -> None:
    h = harness
    load_demo(h)
    h.as_("alice").click(
        "Submit", message=quick(h, "alice", "2 toner cartridges for the printer", "I understood")
    )
    card = card_for(h, "SP-0001")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    wait_state(h, ("pending", "purchase"))

    h.as_("erin").command("/supply", "stock paper", channel="general")
    stock = h.ls.text_of(h.ls.wait_ephemeral("erin", contains="Stock: 2 items"))
    assert "A4 paper" in stock and "available 12" in stock and "Toner" not in stock
    assert "Export CSV" not in stock  # not for everyone

    h.as_("alice").command("/supply", "mine", channel="general")
    mine = h.ls.text_of(h.ls.wait_ephemeral("alice", contains="Your supplies requests"))
    assert "SP-0001" in mine and "being bought" in mine

    h.as_("alice").command("/supply", "pending", channel="general")
    h.ls.wait_ephemeral("alice", contains="Only administration")
    h.as_("gus").command("/supply", "pending", channel="general")
    pending = h.ls.wait_ephemeral("gus", contains="待行政部处理")
    text = h.ls.text_of(pending)
    assert "为 *SP-0001*" in text and "硒鼓 库存不足" in text  # toner: 0 on the shelf

    h.as_("gus").open_home()
    h.ls.wait_home("gus", contains="待采购 1")
    h.as_("alice").open_home()
    h.ls.wait_home("alice", contains="your open requests: 1")

    h.as_("gus").click("导出 CSV", message=pending)
    h.ls.wait_ephemeral("gus", contains="CSV 文件")
    uploads = [m for m in h.ls.dm("gus") if m.files]
    names = sorted(str(f.get("name") or f.get("title")) for m in uploads for f in m.files)
    assert len(names) == 2, names
    assert "Export CSV" not in buttons(h.ls.wait_ephemeral("erin", contains="Stock"))


def test_the_admin_role_edits_an_item_in_slack(harness: Harness) -> None:
    h = harness
    load_demo(h)
    h.as_("alice").command("/supply", "item stapler", channel="general")
    h.ls.wait_ephemeral("alice", contains="Only administration")
    carol = h.as_("carol")
    carol.command("/supply", "item sta", channel="general")
    h.ls.wait_ephemeral("carol", contains="Several items match")
    carol.command("/supply", "item stapler", channel="general")
    h.ls.wait_view("carol", callback_id="supplies.item", contains="STAPLER")
    bad = carol.submit({"item:reorder_level": "-3"}, validate=False)
    assert bad.json and "item:reorder_level" in bad.json["errors"]
    assert carol.submit({"item:reorder_level": "2", "item:discontinued": "yes"}).status == 200
    h.ls.wait_dm("carol", contains="2 change(s)")
    h.as_("alice").command("/supply", "2 staplers for the new hires", channel="general")
    h.ls.wait_ephemeral("alice", contains="Stapler is discontinued")


def test_procedo_new_opens_the_supplies_forms(harness: Harness) -> None:
    h = harness
    load_demo(h)
    h.as_("erin").command("/procedo", "new supply", channel="general")
    h.ls.wait_view("erin", callback_id="supplies.form", contains="12 ream available")
    h.as_("erin").command("/procedo", "new stock-count", channel="general")
    h.ls.wait_ephemeral("erin", contains="administration")
    h.as_("carol").command("/procedo", "new stock-count", channel="general")
    h.ls.wait_view("carol", callback_id="supplies.count", contains="ledger: 12 ream")
