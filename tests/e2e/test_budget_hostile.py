"""Hostile inputs through the budget adjustment form's free text (the line and the reason):
each is a field error in the user's language or a card that pings nobody; nothing is
half-written, and a line's name is matched as typed, whitespace collapsed."""

from __future__ import annotations

import json
from pathlib import Path

from store import requests_repo
from tests.support.approvals import APPROVALS
from tests.support.harness import Harness

HOSTILE = Path("/work/shared/testdata/hostile-inputs.jsonl")
PINGS = ("<!channel>", "<!here>", "<!everyone>", "<!subteam")


def test_hostile_text_in_the_budget_form(harness: Harness) -> None:
    h = harness
    inputs = [json.loads(line) for line in HOSTILE.read_text(encoding="ascii").splitlines() if line]
    filed = 0
    for item in inputs:
        h.as_("bob").command("/procedo", "new budget", channel="general")
        h.ls.wait_view("bob", callback_id="request.form")
        values = {
            "f:line": item["text"][:150],
            "f:current": "1000",
            "f:change": item["text"] if item["name"].startswith(("number", "id-")) else "10",
            "f:reason": item["text"],
        }
        response = h.as_("bob").submit(values, validate=False)
        assert response.status == 200, (item["name"], response.body)
        answer = response.json or {}
        if answer.get("response_action") == "errors":
            assert all(answer["errors"].values()), item["name"]
            h.as_("bob").close_view()
            continue
        filed += 1
        card = h.ls.wait_message(APPROVALS, contains=f"BA-{filed:04d}")
        raw = json.dumps(card.blocks) + card.text
        assert not any(ping in raw for ping in PINGS), (item["name"], raw[:300])
        h.settle()  # its posts pace on the fake clock, and a trigger id lasts 3 s of it
    with h.sessions.begin() as session:
        assert len(requests_repo.open_of(session, "budget")) == filed
    assert 0 < filed < len(inputs)
