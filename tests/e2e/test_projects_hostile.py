"""Hostile text through a project's forms and everywhere it is shown afterwards — the card,
the task letter, `/procedo project`, a change's old → new and a reviewer's rectification items —
pings nobody and breaks no markup."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_projects import PLAN, decide, project, shown
from tests.support.approvals import card_for
from tests.support.harness import Harness
from tests.support.injection import assert_no_injection

HOSTILE = Path("/work/shared/testdata/hostile-inputs.jsonl")


def test_hostile_text_in_every_project_surface(harness: Harness) -> None:
    h = harness
    inputs = [json.loads(line) for line in HOSTILE.read_text(encoding="ascii").splitlines() if line]
    nasty = "\n".join(item["text"] for item in inputs)[:1900]
    title = " ".join(item["text"] for item in inputs[:6])[:150]
    h.as_("alice").command("/procedo", "project new", channel="general")
    h.ls.wait_view("alice", callback_id="projects.form")
    values = {**PLAN, "f:title": title, "f:goal": nasty, "f:scope": nasty}
    answer = h.as_("alice").submit(values, validate=False)
    assert answer.status == 200 and h.ls.view("alice") is None, answer.body
    h.settle()
    card = card_for(h, "PI-0001")
    decide(h, "project", card, "bob", "Approve")
    decide(h, "project", card, "dan", "Approve")
    h.ls.wait_dm("erin", contains="Task letter PJ-0001")

    h.as_("alice").command("/procedo", "project change PJ-0001", channel="general")
    h.ls.wait_view("alice", callback_id="projects.form")
    answer = h.as_("alice").submit({"f:scope": "<!channel> " + nasty[:1000], "f:reason": nasty})
    assert answer.status == 200, answer.body
    h.settle()
    change = card_for(h, "PC-0001")
    decide(h, "project_change", change, "bob", "Approve")
    decide(h, "project_change", change, "dan", "Approve")

    h.as_("erin").command("/procedo", "project accept PJ-0001", channel="general")
    h.ls.wait_view("erin", callback_id="projects.form")
    assert h.as_("erin").submit({"f:report": nasty}).status == 200
    h.settle()
    decide(h, "project_acceptance", card_for(h, "PA-0001"), "bob", "Rectify", nasty)
    shown(h, "erin", "project PJ-0001", "PA-0001")
    shown(h, "alice", "project", "PJ-0001")
    assert project(h)[0] == "accepting"
    assert_no_injection(h.ls)
