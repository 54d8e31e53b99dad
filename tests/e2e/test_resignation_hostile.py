"""Hostile text through a resignation (004 §5.3): the form's free text, every checklist note,
a risk title in the last-day list and HR's summary reach Slack escaped; each hostile input is
a clear field error or a filed case, never a server error or a half-written row."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from store import requests_repo
from tests.support.harness import Harness
from tests.support.injection import HOSTILE, assert_no_injection
from tests.support.resignation import act, file, open_form, values, where
from tests.support.risks import add_risk

INPUTS = Path("/work/shared/testdata/hostile-inputs.jsonl")


def test_hostile_text_in_the_form_the_notes_and_the_lists_is_escaped(harness: Harness) -> None:
    h = harness
    assert add_risk(h, title="Risk " + HOSTILE[:100]).status == 200  # owned by alice
    card = file(h, "alice", reason=HOSTILE, plan=HOSTILE)
    act(h, card, "bob", "Approve")
    act(h, card, "dan", "Approve")
    act(h, card, "hana", "Open checklist", form={})
    for who in ("dan", "carol", "fay", "bob"):
        act(h, card, who, "Done", form={"f:note": HOSTILE})
    assert where(h)[0] == "closed"
    h.ls.wait_dm("hana", contains="handover checklist of")
    h.set_time(datetime.fromisoformat("2026-12-31T18:00:00+08:00"))
    h.ls.wait_dm("erin", contains="moved to")
    h.settle()
    assert_no_injection(h.ls)


def test_each_hostile_input_is_a_field_error_or_a_filed_case(harness: Harness) -> None:
    h = harness
    filed = 0
    for line in INPUTS.read_text(encoding="ascii").splitlines():
        item = json.loads(line)
        open_form(h, "alice", "new resignation")
        text = item["text"]
        response = h.as_("alice").submit(values(reason=text, plan=text[:3000]), validate=False)
        assert response.status == 200, (item["name"], response.body)
        answer = response.json or {}
        if answer.get("response_action") == "errors":
            assert all(answer["errors"].values()), item["name"]
            h.as_("alice").close_view()
        else:
            filed += 1
        h.settle()  # the card and DMs are out before the next form opens
    with h.sessions.read() as session:
        cases = requests_repo.of_procedure(session, "resignation")
    assert len(cases) == filed  # a refused submission left nothing behind
    h.settle()
    assert_no_injection(h.ls)
