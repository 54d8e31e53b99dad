"""Document sign-off refuses a bad draft in the author's language, takes hostile text without
pinging anyone, and sends a document changed after sign-off back through its signer."""

from __future__ import annotations

import json
from pathlib import Path

from store import requests_repo
from tests.support.approvals import APPROVALS
from tests.support.documents import decide, document, draft, draft_values, thread_text
from tests.support.harness import Harness

HOSTILE = Path("/work/shared/testdata/hostile-inputs.jsonl")
PINGS = ("<!channel>", "<!here>", "<!everyone>", "<!subteam")


def _open(h: Harness, who: str) -> None:
    h.as_(who).command("/procedo", "new documents", channel="general")
    h.ls.wait_view(who, callback_id="request.form")


def _count(h: Harness) -> int:
    with h.sessions.begin() as session:
        return len(requests_repo.open_of(session, "documents"))


def test_a_draft_needs_content_and_an_audience_in_the_org(harness: Harness) -> None:
    h = harness
    _open(h, "alice")
    answer = h.as_("alice").submit(draft_values(body=None), validate=False)
    errors = (answer.json or {}).get("errors", {})
    assert "text or attach its file" in errors["f:body"], errors
    answer = h.as_("alice").submit(draft_values(audience=["erin", "zoe"]), validate=False)
    errors = (answer.json or {}).get("errors", {})
    assert "not in it: <@U0ZOE>" in errors.get("f:audience", ""), answer.json
    h.as_("alice").close_view()

    h.as_("gus").command("/procedo", "language zh", channel="general")
    _open(h, "gus")
    answer = h.as_("gus").submit(draft_values(body=None), validate=False)
    errors = (answer.json or {}).get("errors", {})
    assert "请填写正文或附上文件" in errors["f:body"], errors
    answer = h.as_("gus").submit(draft_values(audience=None), validate=False)
    assert "f:audience" in (answer.json or {}).get("errors", {}), answer.json
    assert _count(h) == 0  # nothing half-written


def test_hostile_text_in_the_draft(harness: Harness) -> None:
    h = harness
    inputs = [json.loads(line) for line in HOSTILE.read_text(encoding="ascii").splitlines() if line]
    filed = 0
    for item in inputs:
        _open(h, "alice")
        values = draft_values(title=item["text"][:150], body=item["text"])
        response = h.as_("alice").submit(values, validate=False)
        assert response.status == 200, (item["name"], response.body)
        answer = response.json or {}
        if answer.get("response_action") == "errors":
            assert all(answer["errors"].values()), item["name"]
            h.as_("alice").close_view()
            continue
        filed += 1
        card = h.ls.wait_message(APPROVALS, contains=f"DOC-{filed:04d}")
        raw = json.dumps(card.blocks) + card.text
        assert not any(ping in raw for ping in PINGS), (item["name"], raw[:300])
        h.settle()  # its posts pace on the fake clock, and a trigger id lasts 3 s of it
    assert _count(h) == filed
    assert 0 < filed < len(inputs)


def test_a_change_after_sign_off_goes_back_to_the_signer(harness: Harness) -> None:
    h = harness
    card = draft(h, "alice", doc_type="report")
    decide(h, card, "bob", "Approve")
    decide(h, card, "dan", "Sign off")  # a report is signed by the director
    signed = document(h)[1]["signed_hash"]
    decide(h, card, "carol", "Return for changes", reason="Wrong floor: it is the 14th")
    assert document(h)[0] == "returned"

    alice = h.as_("alice")
    alice.click("Edit & resubmit", message=h.ls.wait_dm("alice", contains="14th"))
    h.ls.wait_view("alice", callback_id="request.form")
    alice.submit({"f:body": "From Monday the office is on the 14th floor."})
    h.settle()
    decide(h, card, "bob", "Approve")
    decide(h, card, "dan", "Sign off")  # the signer signs the changed version again
    state, computed, number = document(h)
    assert state == "pending" and computed["signed_hash"] != signed and number is None
    decide(h, card, "carol", "Number and issue")
    assert document(h)[2] == "运营〔2026〕1号"
    assert "14th" in thread_text(h, card)
