"""A confidential document is read only by its readers — the author, the people who handle it
and its audience; everywhere else (the card and its thread, task DMs, App Home, `/procedo show`,
`/procedo document`) it is its number and title alone, bot admins included (002 §7)."""

from __future__ import annotations

import json

from tests.support.approvals import APPROVALS
from tests.support.documents import card_text, decide, document, draft, thread_text
from tests.support.harness import Harness

SECRET = "Layoffs of team K"  # the text; the title is "Org change"


def _leaks(h: Harness, readers: set[str]) -> list[str]:
    """Every Web API call that carried the text anywhere but a reader's DM."""
    allowed = {h.uid(u) for u in readers} | {f"D0{u.upper()}" for u in readers}
    out = []
    for call in h.ls.calls():
        if call.method == "response_url" or SECRET not in json.dumps(call.args, ensure_ascii=False):
            continue
        if call.method in ("chat.postMessage", "chat.update") and call.args["channel"] in allowed:
            continue
        out.append(f"{call.method} {call.args.get('channel')}")
    return out


def test_a_confidential_document_shows_as_number_and_title_elsewhere(harness: Harness) -> None:
    h = harness
    card = draft(
        h,
        "alice",
        title="Org change",
        classification="confidential",
        body=SECRET,
        audience=["erin"],
    )
    assert "Org change" in card_text(h, card) and "Confidential" in card_text(h, card)
    assert SECRET not in card_text(h, card) and SECRET not in thread_text(h, card)

    # The reviewer reads it in full; a bot admin outside it sees number and title only.
    h.as_("bob").command("/procedo", "document DOC-0001")
    assert SECRET in h.ls.text_of(h.ls.wait_ephemeral("bob", contains="Org change"))
    for command in ("document DOC-0001", "show DOC-0001"):
        h.as_("dan").command("/procedo", command)
    h.ls.wait_for(lambda: len(h.ls.ephemerals("dan")) == 2, message="dan's two answers")
    dan = [h.ls.text_of(e) for e in h.ls.ephemerals("dan")]
    assert all("Org change" in text and SECRET not in text for text in dan), dan
    assert any("受限文件" in text for text in dan)  # dan reads Chinese

    # App Home lists it without its text, and so does `/procedo pending` for the approver.
    h.as_("alice").open_home()
    home = h.ls.wait_home("alice", contains="DOC-0001")
    assert SECRET not in json.dumps(home.blocks, ensure_ascii=False)
    before = len(h.ls.ephemerals("bob"))
    h.as_("bob").command("/procedo", "pending")
    h.ls.wait_for(lambda: len(h.ls.ephemerals("bob")) > before, message="bob's pending list")
    pending = h.ls.text_of(h.ls.ephemerals("bob")[-1])
    assert "Org change" in pending and SECRET not in pending

    decide(h, card, "bob", "Approve")
    decide(h, card, "bob", "Sign off")
    decide(h, card, "carol", "Number and issue")
    assert document(h)[0] == "closed"

    erin = h.ls.wait_dm("erin", contains="is circulated to you")
    assert SECRET in h.ls.text_of(erin)
    h.as_("erin").click("Read", message=erin)
    h.settle()
    assert _leaks(h, readers={"erin"}) == []
    h.ls.wait_for(lambda: "1 / 1" in card_text(h, card), message="the tally on the card")
    assert SECRET not in card_text(h, card)

    # Someone outside it, after issue, still gets the number and title alone.
    h.as_("fay").command("/procedo", "document DOC-0001")
    fay = h.ls.text_of(h.ls.wait_ephemeral("fay", contains="Org change"))
    assert SECRET not in fay and "运营〔2026〕1号" in fay
    assert len(h.ls.messages(APPROVALS)) == 1


def test_a_return_reason_on_a_confidential_document_goes_by_dm_only(harness: Harness) -> None:
    h = harness
    card = draft(
        h, "alice", title="Org change", classification="confidential", body="x", audience=["erin"]
    )
    comment = f"Cut the paragraph on {SECRET}"
    decide(h, card, "bob", "Return for changes", reason=comment)
    assert comment in h.ls.text_of(h.ls.wait_dm("alice", contains="Cut the paragraph"))
    h.settle()
    assert SECRET not in card_text(h, card) and SECRET not in thread_text(h, card)
    assert "confidential" in card_text(h, card)
    assert _leaks(h, readers={"alice", "bob"}) == []
