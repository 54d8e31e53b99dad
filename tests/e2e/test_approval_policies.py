"""Policy-declared approval behaviour end to end: in-order steps (依次), the CC list told when a
case ends (抄送), and the special-case rules for an approver who has left, shown on the card."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete

from bot.modules import load_policy
from store.db import Sessions
from store.models import Membership, RoleGrant
from tests.support.approvals import approver_dm, card_text, file_expense, history, prompt_for
from tests.support.approvals import thread_text as thread
from tests.support.harness import Harness, start_harness

POLICY = """
procedures:
  - id: expense
    cc: {{roles: [hr], head: true}}
    chain:
      - name: {{en: Department approval, zh: 部门审批}}
        approver: requester
      - name: {{en: Finance review, zh: 财务审核}}
        role: finance
        mode: in_order
      - name: {{en: Quality check, zh: 质量检查}}
        user: U0GUS
{extra}
"""


def harness_with(db_url: str, sessions: Sessions, tmp_path: Path, extra: str = "") -> Harness:
    path = tmp_path / "policy.yml"
    path.write_text(POLICY.format(extra=extra), encoding="utf-8")
    return start_harness(db_url, sessions, policy=load_policy(path))


@pytest.fixture
def h(db_url: str, sessions: Sessions, tmp_path: Path) -> Iterator[Harness]:
    harness = harness_with(db_url, sessions, tmp_path)
    yield harness
    harness.close()


def leaves(h: Harness, name: str) -> None:
    """`name` leaves the org (as an org import without them would make it)."""
    with h.sessions.begin() as session:
        session.execute(delete(Membership).where(Membership.user_id == h.uid(name)))
        session.execute(delete(RoleGrant).where(RoleGrant.user_id == h.uid(name)))


def test_in_order_then_the_cc_list_is_told_at_the_end(h: Harness) -> None:
    card = file_expense(h, "alice")
    h.as_("bob").click("批准", message=approver_dm(h, "bob"))
    finance = prompt_for(h, card, "step 2 of 3")
    # One after another: Fay first (Ian's turn comes after hers), Ian has no DM yet.
    assert f"<@{h.uid('fay')}>" in h.ls.text_of(finance)
    assert f"<@{h.uid('ian')}>" not in h.ls.text_of(finance).split(":")[0]
    h.as_("ian").click("Approve", message=finance)
    h.ls.wait_ephemeral("ian", contains="Only the approvers of this step")
    h.as_("ian").command("/procedo", "pending", channel="general")
    h.ls.wait_ephemeral("ian", contains="Nothing is waiting for you")  # not his turn yet
    h.as_("fay").click("批准", message=approver_dm(h, "fay"))
    ians_turn = prompt_for(h, card, f"<@{h.uid('ian')}>: please decide")
    assert "step 2 of 3" in h.ls.text_of(ians_turn)
    h.as_("ian").command("/procedo", "pending", channel="general")
    h.ls.wait_ephemeral("ian", contains="EX-0001")
    h.as_("ian").click("Approve", message=approver_dm(h, "ian"))
    h.as_("gus").click("批准", message=approver_dm(h, "gus"))
    h.ls.wait_dm("alice", contains="is approved")
    # CC: HR (Hana reads English) and Alice's head (Bob reads Chinese), once each.
    h.ls.wait_dm("hana", contains="For your information (CC)")
    cc = h.ls.wait_dm("bob", contains="抄送给你")
    assert "已批准" in h.ls.text_of(cc) and "approved" not in h.ls.text_of(cc)
    h.ls.wait_for(lambda: "Copied to" in thread(h, card), message="the thread says who was told")
    copied = [e for e in history(h) if e.action == "request.copied"]
    assert [sorted(e.detail["users"]) for e in copied] == [sorted([h.uid("bob"), h.uid("hana")])]
    actions = [e.action for e in history(h)]
    assert actions.index("request.approved") < actions.index("request.copied")
    h.tick()
    assert len([m for m in h.ls.dm("hana") if "(CC)" in h.ls.text_of(m)]) == 1


def test_a_withdrawn_case_tells_no_cc(h: Harness) -> None:
    file_expense(h, "alice")
    h.as_("alice").click("Withdraw", message=h.ls.wait_dm("alice", contains="is submitted"))
    h.ls.wait_ephemeral("alice", contains="withdrawn")
    h.tick()
    assert "request.copied" not in [e.action for e in history(h)]
    assert not [m for m in h.ls.dm("hana") if "(CC)" in h.ls.text_of(m)]


def test_an_approver_who_left_goes_a_level_up_and_the_card_says_so(h: Harness) -> None:
    leaves(h, "gus")
    card = file_expense(h, "alice")
    h.ls.wait_for(lambda: "has left" in card_text(h, card), message="the rule on the card")
    assert f"<@{h.uid('gus')}> has left, so it goes a level up" in card_text(h, card)
    h.as_("bob").click("批准", message=approver_dm(h, "bob"))
    h.as_("fay").click("批准", message=approver_dm(h, "fay"))
    h.as_("ian").click("Approve", message=approver_dm(h, "ian"))
    third = prompt_for(h, card, "step 3 of 3")
    assert f"<@{h.uid('bob')}>" in h.ls.text_of(third)


def test_an_approver_who_left_skipped_by_rule(
    db_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    h = harness_with(db_url, sessions, tmp_path, extra="    if_left: skip")
    try:
        leaves(h, "gus")
        card = file_expense(h, "alice")
        h.ls.wait_for(lambda: "skipped" in card_text(h, card), message="the rule on the card")
        assert "Step 3 (Quality check)" in card_text(h, card)
        h.as_("bob").click("批准", message=approver_dm(h, "bob"))
        finance = prompt_for(h, card, "step 2 of 2")
        assert finance
        skipped = [e for e in history(h) if e.action == "request.step_skipped"]
        assert [e.detail["special"]["rule"] for e in skipped] == ["skip"]
    finally:
        h.close()
