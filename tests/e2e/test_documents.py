"""Document sign-off end to end (000 §3.2.1, 002 §4.3): draft → head review (with a return) →
sign-off by the level the type needs → numbered by administration → circulated with Read and a
tally → archived; refusals of bad drafts; both languages."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from store.db import Sessions
from tests.support.acks import fail_on_ack_problems
from tests.support.documents import (
    card_text,
    decide,
    document,
    draft,
)
from tests.support.harness import Harness, start_harness


@pytest.fixture
def zh_harness(
    request: pytest.FixtureRequest, db_url: str, sessions: Sessions
) -> Iterator[Harness]:
    """An org whose language is Chinese: the channel's cards and prompts are in Chinese too."""
    h = start_harness(db_url, sessions, settings={"PROCEDO_LANGUAGE": "zh"})
    yield h
    h.close()
    fail_on_ack_problems(request, h.ls)


def test_a_notice_from_draft_to_archive_in_english(harness: Harness) -> None:
    h = harness
    card = draft(h, "alice")
    text = card_text(h, card)
    assert "DOC-0001" in text and "Document sign-off" in text and "Office move" in text
    assert "000 §3.2.1" in text and "12th floor" in text

    decide(h, card, "bob", "Approve")  # head review
    decide(h, card, "bob", "Sign off")  # a notice is signed by the head
    assert document(h)[1]["signed_by"] == h.uid("bob")
    decide(h, card, "carol", "Number and issue")

    state, computed, number = document(h)
    assert state == "closed" and number == "运营〔2026〕1号"
    assert computed["doc_number"] == number
    h.ls.wait_for(lambda: number in card_text(h, card), message="the card shows the number")
    h.ls.wait_for(lambda: "0 / 2" in card_text(h, card), message="the tally starts at 0")

    # 传阅: each reader gets the document with Read; the tally is on the card.
    erin = h.ls.wait_dm("erin", contains="is circulated to you")
    assert "Bring your badge" in h.ls.text_of(erin)
    h.as_("erin").click("Read", message=erin)
    h.settle()
    h.ls.wait_for(lambda: "1 / 2" in card_text(h, card), message="the tally moves")
    h.ls.wait_for(
        lambda: "You read it" in h.ls.text_of(h.ls.message(erin.channel, erin.ts)),
        message="the DM says when she read it",
    )
    assert document(h)[1]["read"] == 1

    # The author sees who read it and who has not.
    h.as_("alice").command("/procedo", "document DOC-0001")
    shown = h.ls.wait_ephemeral("alice", contains="Read 1 of 2")
    assert "Not read yet" in h.ls.text_of(shown) and f"<@{h.uid('gus')}>" in h.ls.text_of(shown)


def test_a_report_returned_then_signed_by_the_director_in_chinese(zh_harness: Harness) -> None:
    h = zh_harness
    for who in ("alice", "gus"):
        h.as_(who).command("/procedo", "language zh", channel="general")
    card = draft(h, "alice", doc_type="report", title="第三季度运营报告")
    decide(h, card, "bob", "退回补正", reason="请补充客户数据")
    h.ls.wait_dm("alice", contains="请补充客户数据")
    assert document(h)[0] == "returned"

    alice = h.as_("alice")
    alice.click("修改并重新提交", message=h.ls.wait_dm("alice", contains="请补充客户数据"))
    h.ls.wait_view("alice", callback_id="request.form")
    alice.submit({"f:body": "客户数据：新增 12 家。"})
    h.settle()

    decide(h, card, "bob", "批准")
    decide(h, card, "dan", "签发")  # a report is signed by the director
    decide(h, card, "gus", "编号印发")
    state, _, number = document(h)
    assert state == "closed" and number == "运营〔2026〕1号"
    # The circulation DM (with 已阅), not gus's approver DM for the numbering step.
    gus = h.ls.wait_for(
        lambda: next(
            (
                m
                for m in reversed(h.ls.dm("gus"))
                if "已阅" in json.dumps(m.blocks, ensure_ascii=False)
            ),
            None,
        ),
        message="gus's circulation DM",
    )
    assert "新增 12 家" in h.ls.text_of(gus)
    h.as_("gus").click("已阅", message=gus)
    h.settle()
    h.ls.wait_for(
        lambda: "你已于" in h.ls.text_of(h.ls.message(gus.channel, gus.ts)), message="已阅"
    )
