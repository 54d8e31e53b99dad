"""The risk register end to end (000 §6): a risk scored into each level through `/risk`, the
response plan a high risk needs before it can be saved, its measures as action tasks, the
director's acceptance that expires back into review, a review that changes the level, and
`/risk list|show|mine` in both languages."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.support.harness import Harness
from tests.support.rectification import do_task, task_dm
from tests.support.risks import add_risk, count, risk, thread_prompt


@pytest.mark.parametrize(
    ("likelihood", "impact", "level"),
    [("1", "1", "low"), ("3", "2", "medium"), ("1", "5", "medium"), ("5", "5", "critical")],
)
def test_each_score_lands_in_its_level(
    harness: Harness, likelihood: str, impact: str, level: str
) -> None:
    h = harness
    plan = {"measures": "Find a second supplier", "plan_owner": "alice", "deadline": "2026-12-18"}
    response = add_risk(h, likelihood=likelihood, impact=impact, **plan)
    assert response.status == 200 and h.ls.view("erin") is None, response.body
    saved = risk(h)
    assert (saved.level, saved.likelihood * saved.impact) == (level, int(likelihood) * int(impact))
    h.ls.wait_dm("erin", contains="RK-0001")


def test_a_high_risk_needs_its_plan_before_it_is_saved(harness: Harness) -> None:
    h = harness
    response = add_risk(h, likelihood="4", impact="3")
    assert response.json and response.json["response_action"] == "errors", response.body
    errors = response.json["errors"]
    assert "response plan" in errors["f:measures"] and "f:plan_owner" in errors
    assert count(h) == 0

    response = h.as_("erin").submit(
        {
            "f:measures": "Find a second supplier\n- Keep four weeks of stock",
            "f:plan_owner": "alice",
            "f:deadline": "2026-12-18",
        },
        validate=False,
    )
    assert response.status == 200 and h.ls.view("erin") is None, response.body
    saved = risk(h)
    assert (saved.level, saved.status, saved.owner) == ("high", "open", h.uid("alice"))
    # The owner is told, and each measure is an action task in her DM; Done needs evidence.
    h.ls.wait_dm("alice", contains="owner of risk RK-0001")
    task_dm(h, "alice", "RM-0002", "Done")
    do_task(
        h,
        "alice",
        "RM-0001",
        "Done",
        {"f:note": "Signed with Acme Packaging", "f:evidence:link": "https://files.example/c.pdf"},
    )
    h.as_("erin").command("/risk", "show RK-0001", channel="general")
    shown = h.ls.wait_ephemeral("erin", contains="Scores over time")
    text = h.ls.text_of(shown)
    assert "RM-0001 · done" in text and "RM-0002 · open" in text and "4×3" in text


def test_accepting_a_high_risk_is_the_directors_and_expires(harness: Harness) -> None:
    h = harness
    add_risk(h, likelihood="4", impact="4", strategy="accept")
    assert risk(h).status == "acceptance_pending"
    dan = h.as_("dan")  # the director (Chinese speaker)
    prompt = thread_prompt(h, "RA-0001")
    dan.click(message=prompt, action_id="request.approve")
    h.ls.wait_for(lambda: risk(h).status == "accepted" or None, message="the acceptance")
    accepted = risk(h)
    assert accepted.status == "accepted" and accepted.accepted_until is not None
    assert abs(accepted.accepted_until - h.clock.now() - timedelta(days=90)) < timedelta(minutes=1)

    h.advance(timedelta(days=91))
    assert risk(h).status == "open"
    review = task_dm(h, "alice", "RR-0001", "Review")
    assert "RK-0001" in h.ls.text_of(review)


def test_a_review_changes_the_level_and_keeps_the_history(harness: Harness) -> None:
    h = harness
    plan = {"measures": "Second supplier", "plan_owner": "alice", "deadline": "2026-12-18"}
    add_risk(h, likelihood="4", impact="4", **plan)
    assert risk(h).level == "high"
    h.advance(timedelta(days=91))  # high: reviewed quarterly
    do_task(
        h,
        "alice",
        "RR-0001",
        "Review",
        {"f:likelihood": "2", "f:impact": "2", "f:effect": "Second supplier signed"},
    )
    confirm = thread_prompt(h, "RR-0001", "Confirm")
    h.as_("erin").click("Confirm", message=confirm)
    # The click is acked before its work commits: wait for what it does.
    h.ls.wait_for(lambda: risk(h).level == "low" or None, message="the review applied")
    h.tick()
    reviewed = risk(h)
    assert (reviewed.level, reviewed.likelihood, reviewed.impact) == ("low", 2, 2)
    h.as_("erin").command("/risk", "show RK-0001", channel="general")
    text = h.ls.text_of(h.ls.wait_ephemeral("erin", contains="Scores over time"))
    assert "4×4" in text and "2×2" in text and "Second supplier signed" in text
    # Lowered below the plan's threshold: the reviewer's confirmation closed the open measure.
    assert "RM-0001 · done" in text


def test_list_mine_and_show_in_chinese(harness: Harness) -> None:
    h = harness
    add_risk(h, likelihood="1", impact="1")
    add_risk(h, title="<!channel> 数据泄露", likelihood="3", impact="3", owner="bob")
    bob = h.as_("bob")  # zh-CN
    bob.command("/risk", "list", channel="general")
    text = h.ls.text_of(h.ls.wait_ephemeral("bob", contains="风险台账"))
    assert text.index("RK-0002") < text.index("RK-0001")  # ranked by level
    assert "<!channel>" not in str(h.ls.ephemerals("bob")[-1].blocks)
    bob.command("/risk", "mine", channel="general")
    mine = h.ls.text_of(h.ls.wait_ephemeral("bob", contains="你负责的风险"))
    assert "RK-0002" in mine and "RK-0001" not in mine
    bob.command("/risk", "list nonsense", channel="general")
    h.ls.wait_ephemeral("bob", contains="不是风险等级")
    bob.command("/risk", "show RK-0099", channel="general")
    h.ls.wait_ephemeral("bob", contains="没有风险 RK-0099")


def test_the_home_tab_lists_my_risks_and_opens_the_form(harness: Harness) -> None:
    h = harness
    add_risk(h, likelihood="2", impact="2")
    h.as_("alice").open_home()
    h.ls.wait_home("alice", contains="Risks you own: 1")
    h.ls.wait_home("alice", contains="RK-0001")
    h.as_("alice").click("Add a risk", message=h.ls.home("alice"))
    h.ls.wait_view("alice", callback_id="risks.form")


def test_the_identification_prompt_opens_the_form(harness: Harness) -> None:
    h = harness
    h.set_time(datetime.fromisoformat("2026-12-31T10:00:00+08:00"))
    h.set_time(datetime.fromisoformat("2027-01-04T10:05:00+08:00"))  # first working day of Q1
    prompt = h.ls.wait_dm("bob", contains="风险")  # bob heads Operations and reads Chinese
    h.as_("bob").click("登记风险", message=prompt)
    h.ls.wait_view("bob", callback_id="risks.form")


def test_a_critical_risk_is_reviewed_monthly_and_confirmed_by_the_director(
    harness: Harness,
) -> None:
    h = harness
    plan = {"measures": "Daily backups", "plan_owner": "alice", "deadline": "2026-12-18"}
    add_risk(h, likelihood="5", impact="5", **plan)
    h.advance(timedelta(days=31))  # critical: monthly
    do_task(
        h,
        "alice",
        "RR-0001",
        "Review",
        {"f:likelihood": "4", "f:impact": "4", "f:effect": "Backups run, not yet tested"},
    )
    confirm = thread_prompt(h, "RR-0001", "Confirm")
    assert h.uid("dan") in str(confirm.blocks) or "dan" in h.ls.text_of(confirm)
    h.as_("dan").click(message=confirm, action_id="request.approve")
    h.ls.wait_for(lambda: risk(h).level == "high" or None, message="the review applied")
    h.tick()
    # Still a level that needs its plan: the measure stays open; the next review in 90 days.
    h.as_("erin").command("/risk", "show RK-0001", channel="general")
    text = h.ls.text_of(h.ls.wait_ephemeral("erin", contains="Scores over time"))
    assert "RM-0001 · open" in text
    assert abs(risk(h).next_review_at - h.clock.now() - timedelta(days=90)) < timedelta(hours=1)
