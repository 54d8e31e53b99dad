"""Budget adjustments end to end (000 §5.1, 004 §6.1): finance reviews, the director approves a
change above the policy's amount, the ledger keeps each line with its adjustments and
`/procedo budget` shows them; a stated amount that is not the ledger's is refused; both
languages."""

from __future__ import annotations

from tests.support.approvals import APPROVALS, card_for, prompt_for
from tests.support.harness import Harness


def _file(h: Harness, who: str, number: str, **values: str) -> None:
    fields = {"line": "Travel", "current": "100000", "change": "20000", "reason": "Two more fairs"}
    fields.update(values)
    h.as_(who).command("/procedo", "new budget", channel="general")
    h.ls.wait_view(who, callback_id="request.form")
    response = h.as_(who).submit({f"f:{k}": v for k, v in fields.items()})
    assert response.status == 200 and h.ls.view(who) is None, response.body
    card_for(h, number)
    h.settle()


def _state(h: Harness, number: int) -> str:
    from store import requests_repo

    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "budget", number)
        assert request is not None
        return request.state


def _approve(h: Harness, who: str, number: str, contains: str) -> None:
    card = card_for(h, number)
    before = len(h.ls.ephemerals(who))
    h.as_(who).click("Approve", message=prompt_for(h, card, contains))
    h.ls.wait_for(lambda: len(h.ls.ephemerals(who)) > before, message=f"{who} decided")
    h.settle()


def test_small_change_by_finance_large_one_by_the_director_and_the_lines(harness: Harness) -> None:
    h = harness
    _file(h, "bob", "BA-0001")  # +20,000: finance alone
    card = card_for(h, "BA-0001")
    assert "000 §5.1" in h.ls.text_of(card) and "120,000.00" in h.ls.text_of(card)
    _approve(h, "fay", "BA-0001", f"<@{h.uid('fay')}>")
    h.ls.wait_for(lambda: _state(h, 1) == "approved", message="approved by finance")

    # The ledger says 120,000 now: a stale current amount is refused on its field.
    h.as_("bob").command("/procedo", "new budget", channel="general")
    h.ls.wait_view("bob", callback_id="request.form")
    stale = h.as_("bob").submit(
        {"f:line": "Travel", "f:current": "100000", "f:change": "-60000", "f:reason": "Cut"},
        validate=False,
    )
    assert "120,000.00" in (stale.json or {}).get("errors", {}).get("f:current", ""), stale.json
    h.as_("bob").close_view()

    _file(h, "bob", "BA-0002", current="120000", change="-60000", reason="Fairs cancelled")
    _approve(h, "fay", "BA-0002", f"<@{h.uid('fay')}>")
    assert _state(h, 2) == "pending"  # 60,000 is above 50,000: the director too
    _approve(h, "dan", "BA-0002", f"<@{h.uid('dan')}>")
    h.ls.wait_for(lambda: _state(h, 2) == "approved", message="approved by the director")

    h.as_("alice").command("/procedo", "budget")
    h.ls.wait_for(lambda: h.ls.ephemerals("alice"), message="alice's answer")
    shown = h.ls.text_of(h.ls.ephemerals("alice")[-1])
    assert "*Travel*: CNY 60,000.00 (approved CNY 100,000.00)" in shown, shown
    assert "BA-0001: +CNY 20,000.00" in shown and "BA-0002: −CNY 60,000.00" in shown

    # In Chinese, and refused for someone outside the department.
    h.as_("fay").command("/procedo", "budget ops 2026")
    assert "运营部 2026 年度预算" in h.ls.text_of(h.ls.wait_ephemeral("fay", contains="2026"))
    h.as_("gus").command("/procedo", "budget ops")
    h.ls.wait_ephemeral("gus", contains="分管领导")
    assert len(h.ls.messages(APPROVALS)) == 2


def test_a_change_of_zero_or_below_zero_is_refused(harness: Harness) -> None:
    h = harness
    h.as_("bob").command("/procedo", "new budget", channel="general")
    h.ls.wait_view("bob", callback_id="request.form")
    for change, says in (("0", "other than zero"), ("-100001", "cannot go below zero")):
        answer = h.as_("bob").submit(
            {"f:line": "Travel", "f:current": "100000", "f:change": change, "f:reason": "x"},
            validate=False,
        )
        assert says in (answer.json or {}).get("errors", {}).get("f:change", ""), answer.json
    assert not h.ls.messages(APPROVALS)


def test_a_line_with_an_adjustment_waiting_takes_no_second_one(harness: Harness) -> None:
    h = harness
    _file(h, "bob", "BA-0001")  # Travel +20,000, waiting for finance
    h.as_("bob").command("/procedo", "new budget", channel="general")
    h.ls.wait_view("bob", callback_id="request.form")
    second = h.as_("bob").submit(
        {"f:line": " Travel ", "f:current": "100000", "f:change": "5000", "f:reason": "More"},
        validate=False,
    )
    assert "BA-0001" in (second.json or {}).get("errors", {}).get("f:line", ""), second.json
    # Another line is fine meanwhile.
    second = h.as_("bob").submit(
        {"f:line": "Training", "f:current": "8000", "f:change": "2000", "f:reason": "Course"},
        validate=False,
    )
    assert second.status == 200 and h.ls.view("bob") is None, second.body
    card_for(h, "BA-0002")
