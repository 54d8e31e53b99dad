"""Issue 14.6: a user's very first error answer is in their Slack language (gus and fay are
zh-CN and have never used Procedo in these tests: nothing of theirs is cached)."""

from __future__ import annotations

from slackui.ids import Action, Callback
from store import profiles
from tests.support.approvals import file_expense, prompt_for
from tests.support.harness import Harness
from tests.support.tamper import press, submit_view


def _never_seen(h: Harness, name: str) -> None:
    with h.sessions.begin() as session:
        row = profiles.get(session, h.uid(name))
        assert row is None or row.locale is None, "the test needs a user the bot has not met"


def test_a_first_error_before_the_ack_is_in_the_users_language(harness: Harness) -> None:
    h = harness
    _never_seen(h, "gus")
    view = {"id": "VFIRST", "type": "modal", "callback_id": Callback.REQUEST_FORM}
    submit_view(h, "gus", {**view, "private_metadata": "not json", "state": {"values": {}}})
    told = h.ls.wait_for(lambda: next(iter(h.ls.dm("gus")), None), message="gus is told")
    assert "失效" in h.ls.text_of(told), h.ls.text_of(told)


def test_a_first_stale_click_is_explained_in_the_users_language(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    prompt = prompt_for(h, card, f"<@{h.uid('bob')}>")
    h.as_("bob").click("Approve", message=prompt)
    prompt_for(h, card, "step 2 of 2")
    _never_seen(h, "fay")
    old_value = next(  # the button as it was before bob decided (fay's client lagged behind)
        e["value"]
        for b in prompt.blocks
        if b.get("type") == "actions"
        for e in b["elements"]
        if e.get("action_id") == Action.REQUEST_APPROVE
    )
    press(h, "fay", prompt, Action.REQUEST_APPROVE, old_value)
    told = h.ls.wait_for(lambda: next(iter(h.ls.ephemerals("fay")), None), message="fay is told")
    assert "EX-0001" in h.ls.text_of(told)
    assert "已" in h.ls.text_of(told), h.ls.text_of(told)
