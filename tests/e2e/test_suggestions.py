"""The suggestions box end to end (002 §5.2, 003 §3.2): a named suggestion adopted with a
reward and its author told by DM; an anonymous one not adopted, whose author no query can
reveal and who follows it by receipt code; refusals; both languages."""

from __future__ import annotations

import json
import re
from datetime import datetime

from sqlalchemy import text

from tests.support.approvals import APPROVALS
from tests.support.harness import Harness


def _values(**overrides: str | None) -> dict[str, str | None]:
    values: dict[str, str | None] = {
        "f:title": "Print double-sided by default",
        "f:text": "Set every printer to duplex; single-sided on request.",
        "f:benefit": "Half the paper",
        "f:anonymous": "no",
    }
    values.update({f"f:{k}": v for k, v in overrides.items()})
    return values


def _submit(h: Harness, who: str, **overrides: str | None) -> str:
    """Submit through `/procedo suggest`; returns the receipt the modal shows."""
    _open(h, who)
    return _send(h, who, **overrides)


def _open(h: Harness, who: str) -> None:
    h.as_(who).command("/procedo", "suggest", channel="general")
    h.ls.wait_view(who, callback_id="suggestions.form")
    h.settle()


def _send(h: Harness, who: str, **overrides: str | None) -> str:
    response = h.as_(who).submit(_values(**overrides))
    assert response.status == 200, response.body
    view = h.ls.view(who)
    assert view is not None and view.callback_id != "suggestions.form"
    h.settle()
    return json.dumps(view.blocks, ensure_ascii=False)


def _decide(h: Harness, who: str, button: str, note: str, number: str = "SG-0001") -> None:
    card = h.ls.wait_message(APPROVALS, contains=number)
    h.as_(who).click(button, message=card)
    h.ls.wait_view(who, callback_id="suggestions.decide")
    assert h.as_(who).submit({"f:note": note}).status == 200
    h.settle()


def test_a_named_suggestion_adopted_with_a_reward(harness: Harness) -> None:
    h = harness
    receipt = _submit(h, "alice")
    assert "SG-0001" in receipt and "under your name" in receipt
    card = h.ls.wait_message(APPROVALS, contains="SG-0001")
    shown = h.ls.text_of(card)
    assert "Print double-sided" in shown and f"<@{h.uid('alice')}>" in shown
    assert "002 §5.2" in shown

    # Only the process-improvement owners (the operations role) decide.
    h.as_("erin").click("Adopt", message=card)
    h.ls.wait_ephemeral("erin", contains="Only the process-improvement owners")

    h.as_("bob").click("Adopt", message=card)
    h.ls.wait_view("bob", callback_id="suggestions.decide")
    empty = h.as_("bob").submit({"f:note": "   "}, validate=False)
    assert (empty.json or {}).get("response_action") == "errors"
    assert h.as_("bob").submit({"f:note": "500 CNY and a thank-you at the monthly meeting"})
    h.settle()
    dm = h.ls.wait_dm("alice", contains="was adopted")
    assert "500 CNY" in h.ls.text_of(dm)
    h.ls.wait_for(
        lambda: "Adopted" in h.ls.text_of(h.ls.message(APPROVALS, card.ts)),
        message="the card shows the outcome",
    )
    assert len(h.ls.messages(APPROVALS)) == 1  # one card, updated in place


def test_an_anonymous_suggestion_keeps_no_link_to_its_author(harness: Harness) -> None:
    h = harness
    h.as_("gus").command("/procedo", "language zh", channel="general")
    h.settle()
    _open(h, "gus")
    calls_before = len(h.ls.calls())
    receipt = _send(h, "gus", anonymous="yes", title="会议室预约上墙")
    assert "匿名提交" in receipt
    code = re.search(r"`([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})`", receipt)
    assert code is not None
    card = h.ls.wait_message(APPROVALS, contains="SG-0001")
    assert "Anonymous" in h.ls.text_of(card) and h.uid("gus") not in json.dumps(card.blocks)

    _decide(h, "bob", "Not adopt", "The booking system already shows it")
    # No row anywhere names gus beside this suggestion: not its own, its audit, its jobs.
    gus = h.uid("gus")
    with h.sessions.begin() as session:
        for query in (
            "SELECT * FROM suggestions",
            "SELECT * FROM audit_log WHERE subject_type = 'suggestion'",
            "SELECT * FROM jobs WHERE kind LIKE 'suggestions.%'",
        ):
            rows = [str(tuple(r)) for r in session.execute(text(query))]
            assert rows and not any(gus in r for r in rows), (query, rows)
    # Nor did any Slack call after the submission go to him or name him.
    later = h.ls.calls()[calls_before:]
    named = [c.summary() for c in later if gus in json.dumps(c.args)]
    assert named == [], named

    # He follows it with his code, in his language.
    h.as_("gus").command("/procedo", f"suggest status {code.group(1)}")
    status = h.ls.text_of(h.ls.wait_ephemeral("gus", contains="SG-0001"))
    assert "未采纳" in status and "The booking system already shows it" in status
    h.as_("gus").command("/procedo", "suggest status AAAA-BBBB-CCCC")
    h.ls.wait_ephemeral("gus", contains="没有与该回执码对应的建议")


def test_a_suggestion_needs_a_title_and_its_text(harness: Harness) -> None:
    h = harness
    h.as_("alice").command("/procedo", "suggest", channel="general")
    h.ls.wait_view("alice", callback_id="suggestions.form")
    answer = h.as_("alice").submit(_values(title=None, text="<!channel>"), validate=False)
    errors = (answer.json or {}).get("errors", {})
    assert "f:title" in errors
    with h.sessions.begin() as session:
        assert session.execute(text("SELECT count(*) FROM suggestions")).scalar_one() == 0


def test_the_quarterly_digest_lists_last_quarter_with_outcomes(harness: Harness) -> None:
    h = harness
    h.tick()  # the clock starts its prompt cursors now
    _submit(h, "alice")
    _submit(h, "erin", anonymous="yes", title="Quiet room <!channel>")
    _decide(h, "bob", "Adopt", "500 CNY")
    h.set_time(datetime.fromisoformat("2027-01-04T09:05:00+08:00"))
    digest = h.ls.wait_dm("bob", contains="季度合理化建议汇总")  # bob reads Chinese
    shown = h.ls.text_of(digest)
    assert "2026 年第 4 季度：共 2 条建议，采纳 1 条，未采纳 0 条，评估中 1 条" in shown, shown
    assert "SG-0001" in shown and "500 CNY" in shown and "匿名" in shown
    assert "<!channel>" not in str(digest.blocks)
    assert h.uid("erin") not in str(digest.blocks)
