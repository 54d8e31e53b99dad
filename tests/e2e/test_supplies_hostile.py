"""Hostile inputs through `/supply`: the quick path, the form's purpose and free-text item,
and the count's note. Each is a clear answer or field error, or a request whose card pings
nobody; nothing is half-written."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from localslack import Ephemeral
from store import requests_repo
from tests.support.approvals import APPROVALS
from tests.support.harness import Harness
from tests.support.supplies import item_id, load_demo

HOSTILE = Path("/work/shared/testdata/hostile-inputs.jsonl")
PINGS = ("<!channel>", "<!here>", "<!everyone>", "<!subteam")


def _inputs() -> list[dict[str, str]]:
    return [json.loads(line) for line in HOSTILE.read_text(encoding="ascii").splitlines() if line]


def _nth(h: Harness, n: int) -> Ephemeral | None:
    shown = h.ls.ephemerals("alice")
    return shown[n] if len(shown) > n else None


def _shown(blocks: object) -> str:
    if isinstance(blocks, dict):
        return "".join(_shown(v) for k, v in blocks.items() if k != "value")
    if isinstance(blocks, list):
        return "".join(_shown(v) for v in blocks)
    return blocks if isinstance(blocks, str) else ""


def test_hostile_text_in_the_quick_path(harness: Harness) -> None:
    h = harness
    load_demo(h)
    alice = h.as_("alice")
    for n, item in enumerate(_inputs()):
        response = alice.command("/supply", f"2 A4 paper {item['text']}", channel="general")
        assert response.status == 200, item["name"]
        answer = h.ls.wait_for(partial(_nth, h, n), message=f"an answer to {item['name']}")
        # What Slack renders (a button's value is not shown: it is the payload to submit).
        raw = _shown(answer.blocks) + (answer.text or "")
        assert not any(ping in raw for ping in PINGS), (item["name"], raw)
        assert "went wrong" not in raw, item["name"]
    with h.sessions.begin() as session:
        assert requests_repo.open_of(session, "supply") == []


def test_hostile_text_in_the_form(harness: Harness) -> None:
    h = harness
    load_demo(h)
    a4 = item_id(h, "PAPER-A4")
    filed = 0
    for item in _inputs():
        h.as_("erin").command("/supply", "", channel="general")
        h.ls.wait_view("erin", callback_id="supplies.form")
        response = h.as_("erin").submit(
            {
                "line0:item": str(a4),
                "line0:qty": "1",
                "line1:item": "other",
                "line1:qty": item["text"][:6] or "1",
                "line1:other": item["text"][:200],
                "purpose": item["text"][:500],
            },
            validate=False,
        )
        assert response.status == 200, (item["name"], response.body)
        answer = response.json or {}
        if answer.get("response_action") == "errors":
            assert all(answer["errors"].values()), item["name"]
            h.as_("erin").close_view()
            continue
        filed += 1
        card = h.ls.wait_message(APPROVALS, contains=f"SP-{filed:04d}")
        raw = json.dumps(card.blocks) + card.text
        assert not any(ping in raw for ping in PINGS), (item["name"], raw[:300])
        h.settle()  # its posts pace on the fake clock, and a trigger id lasts 3 s of it
    with h.sessions.begin() as session:
        assert len(requests_repo.open_of(session, "supply")) == filed
    assert 0 < filed < len(_inputs())
