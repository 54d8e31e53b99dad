"""Hostile inputs through the rectification notice form: each is either a field error in the
user's language or a notice whose card pings nobody; nothing is half-written."""

from __future__ import annotations

import json
from pathlib import Path

from store import requests_repo
from tests.support.approvals import APPROVALS
from tests.support.harness import Harness
from tests.support.rectification import notice_values, open_form

HOSTILE = Path("/work/shared/testdata/hostile-inputs.jsonl")
PINGS = ("<!channel>", "<!here>", "<!everyone>", "<!subteam")


def _inputs() -> list[dict[str, str]]:
    return [json.loads(line) for line in HOSTILE.read_text(encoding="ascii").splitlines() if line]


def test_hostile_text_in_the_notice_form(harness: Harness) -> None:
    h = harness
    filed = 0
    for item in _inputs():
        open_form(h, "hana")
        response = h.as_("hana").submit(
            notice_values(problem=item["text"], location=item["text"][:500]), validate=False
        )
        assert response.status == 200, (item["name"], response.body)
        answer = response.json or {}
        if answer.get("response_action") == "errors":
            assert all(answer["errors"].values()), item["name"]
            h.as_("hana").close_view()
            continue
        filed += 1
        number = f"RN-{filed:04d}"
        card = h.ls.wait_message(APPROVALS, contains=number)
        raw = json.dumps(card.blocks) + card.text
        assert not any(ping in raw for ping in PINGS), (item["name"], raw[:300])
        h.settle()  # its posts pace on the fake clock, and a trigger id lasts 3 s of it
    with h.sessions.begin() as session:
        assert len(requests_repo.open_of(session, "rectification")) == filed
    assert 0 < filed < len(_inputs())
