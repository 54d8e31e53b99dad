"""Hostile inputs through the risk form and the `/risk` command: each is a field error or a
short answer in the user's language, or a risk whose messages ping nobody; nothing is
half-written."""

from __future__ import annotations

import json
from pathlib import Path

from store import requests_repo
from tests.support.harness import Harness
from tests.support.risks import RISK_CHANNEL, count, open_form, risk_values

HOSTILE = Path("/work/shared/testdata/hostile-inputs.jsonl")
PINGS = ("<!channel>", "<!here>", "<!everyone>", "<!subteam")


def _inputs() -> list[dict[str, str]]:
    return [json.loads(line) for line in HOSTILE.read_text(encoding="ascii").splitlines() if line]


def _pings(raw: str) -> bool:
    return any(ping in raw for ping in PINGS)


def test_hostile_text_in_the_risk_form(harness: Harness) -> None:
    h = harness
    saved = 0
    for item in _inputs():
        h.settle()  # the last risk's posts pace on the fake clock; a trigger id lasts 3 s
        open_form(h, "erin")
        values = risk_values(
            title=item["text"],
            description=item["text"],
            measures=item["text"],
            plan_owner="alice",
            deadline="2026-12-18",
        )
        response = h.as_("erin").submit(values, validate=False)
        assert response.status == 200, (item["name"], response.body)
        answer = response.json or {}
        if answer.get("response_action") == "errors":
            assert all(answer["errors"].values()), item["name"]
            h.as_("erin").close_view()
            continue
        saved += 1
        number = f"RK-{saved:04d}"
        h.as_("erin").command("/risk", f"show {number}", channel="general")
        shown = h.ls.wait_ephemeral("erin", contains=number)
        assert not _pings(json.dumps(shown.blocks) + shown.text), item["name"]
    assert count(h) == saved and 0 < saved < len(_inputs())
    h.settle()
    for message in h.ls.messages(RISK_CHANNEL, include_threads=True) + h.ls.dm("alice"):
        assert not _pings(json.dumps(message.blocks) + message.text), message.text[:200]
    with h.sessions.begin() as session:
        # Every measure of every saved risk is a case; no risk without its cases.
        assert len(requests_repo.open_of(session, "risk-measure")) >= saved


def test_hostile_arguments_to_the_risk_command(harness: Harness) -> None:
    h = harness
    erin = h.as_("erin")
    for n, item in enumerate(_inputs()):
        text = item["text"][:200]
        for args in (f"report complaint-rate {text}", f"show {text}", f"list {text}"):
            before = len(h.ls.ephemerals("erin"))
            response = erin.command("/risk", args, channel="general")
            assert response.status == 200, (item["name"], args)
            answer = h.ls.wait_for(
                lambda: next(iter(h.ls.ephemerals("erin")[before:]), None),  # noqa: B023
                message=f"an answer to {item['name']} ({n})",
            )
            raw = json.dumps(answer.blocks) + answer.text
            assert not _pings(raw) and "went wrong" not in raw, (item["name"], args, raw[:200])
