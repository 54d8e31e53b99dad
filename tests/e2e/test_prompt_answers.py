"""Periodic prompts that collect answers: answered in a form, reviewed by the person's approver,
seen by the person; edited before the deadline, refused after it or once reviewed; late answers
marked late; people away for the whole window excused; a digest with totals and a CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.modules import DOMAINS, load_policy
from localslack.records import Message
from procedures.modules import Domain
from procedures.policy import parse_policy, policy_document
from procedures.yaml_source import SourceError
from store import prompt_repo
from store.db import Sessions
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET, Harness, start_harness

HOSTILE = '<!channel> =HYPERLINK("http://evil") <http://evil|click>'

WEEKLY = """\
prompts:
  - id: weekly-review
    title: {en: Weekly self-review, zh: 每周自评}
    text: {en: "How did the week of {date} go?", zh: "{date} 这一周怎么样？"}
    cite: "000 §4.3"
    schedule: {cron: "0 9 * * 1"}
    audience: {department: ops}
    deadline_working_days: 3
    follow_up: {digest_to: hr}
    questions:
      - {id: done, type: long_text, label: {en: What you did, zh: 完成的工作}}
      - {id: planned, type: money, label: {en: Budget, zh: 预算}, currencies: [CNY]}
      - {id: actual, type: money, label: {en: Spent, zh: 实际支出}, currencies: [CNY]}
    variance: {planned: planned, actual: actual}
    review:
      by: approver
      fields:
        - id: rating
          type: select
          label: {en: Rating, zh: 评价等级}
          options:
            - {value: "good", label: {en: Good, zh: 良好}}
            - {value: "poor", label: {en: Needs work, zh: 待改进}}
        - {id: comment, type: text, label: {en: Comment, zh: 评语}, required: false}
"""


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}+08:00")


@pytest.fixture
def weekly(db_url: str, sessions: Sessions, tmp_path: Path) -> Iterator[Harness]:
    # Erin is away from Monday 11:00 on: after her prompt went out, for the whole window.
    away: dict[str, Any] = {"since": at("2099-01-01T00:00"), "who": ""}
    domain = Domain(
        name="away",
        is_away=lambda _s, _p, user, when, _tz: user == away["who"] and when >= away["since"],
    )
    override = tmp_path / "policy.yml"
    override.write_text(WEEKLY, encoding="utf-8")
    domains = (*DOMAINS, domain)
    policy = parse_policy(policy_document(override, domains), domains)
    h = start_harness(db_url, sessions, policy=policy)
    away.update(who=h.uid("erin"), since=at("2026-11-30T11:00"))
    h.tick()  # first sight of the prompt: from now on
    yield h
    h.close()


def prompt_dm(h: Harness, name: str) -> Message:
    """The weekly prompt itself (the DM with its Answer button)."""
    return next(
        m
        for m in reversed(h.ls.dm(name))
        if '"prompt.answer"' in json.dumps(m.blocks) and "weekly-review" in json.dumps(m.blocks)
    )


def test_answered_reviewed_seen_and_frozen_once_reviewed(weekly: Harness) -> None:
    h = weekly
    h.set_time(at("2026-11-30T09:00"))
    alice, bob = h.as_("alice"), h.as_("bob")
    alice.click("Answer", message=prompt_dm(h, "alice"))
    h.ls.wait_view("alice", callback_id="prompt.answers")
    # A field error first: the modal stays open and nothing is kept.
    response = alice.submit(
        {"f:done": "", "f:planned": "1000", "f:actual": "1250.50"}, validate=False
    )
    assert response.status == 200 and "errors" in response.body
    with h.sessions.read() as session:
        assert prompt_repo.response(session, "weekly-review", "2026-11-30", h.uid("alice")) is None
    alice.submit({"f:done": HOSTILE, "f:planned": "1000", "f:actual": "1250.50"})
    saved = h.ls.wait_dm("alice", contains="Your answers to *Weekly self-review* are in")
    assert f"<@{h.uid('bob')}> will review them" in h.ls.text_of(saved)

    # Bob (alice's head, reads Chinese) is asked to review, and sees what she wrote, escaped.
    ask = h.ls.wait_dm("bob", contains="请评价")
    raw = json.dumps(ask.blocks, ensure_ascii=False) + ask.text
    assert "&lt;!channel&gt;" in raw and "<!channel>" not in raw and "<http://evil" not in raw
    assert "+250.50" in raw  # the variance
    # Someone else may not review it.
    h.as_("carol").click("评价", message=ask)  # a forged click on a DM that is not hers
    assert h.ls.wait_ephemeral("carol", contains="Only the person's reviewer")
    bob.click("评价", message=ask)
    h.ls.wait_view("bob", callback_id="prompt.review")
    bob.submit({"f:rating": "good", "f:comment": "Solid week"})
    seen = h.ls.wait_dm("alice", contains="reviewed your answers")
    assert "Good" in h.ls.text_of(seen) and "Solid week" in h.ls.text_of(seen)

    # Reviewed: an edit is refused under the form, and nothing changes.
    alice.click("Edit my answers", message=saved)
    view = h.ls.wait_view("alice", callback_id="prompt.answers")
    assert "Shipped" not in str(view)
    response = alice.submit({"f:done": "Changed my mind", "f:planned": "1", "f:actual": "1"})
    assert "already reviewed" in str(response.json)
    with h.sessions.read() as session:
        row = prompt_repo.response(session, "weekly-review", "2026-11-30", h.uid("alice"))
        assert row is not None and row.answers is not None
        assert row.answers["done"] == HOSTILE and row.reviewer == h.uid("bob")


def test_edit_before_the_deadline_late_after_it_and_the_digest(weekly: Harness) -> None:
    h = weekly
    h.set_time(at("2026-11-30T09:00"))
    alice = h.as_("alice")
    alice.click("Answer", message=prompt_dm(h, "alice"))
    h.ls.wait_view("alice", callback_id="prompt.answers")
    alice.submit({"f:done": "Draft", "f:planned": "1000", "f:actual": "900"})
    saved = h.ls.wait_dm("alice", contains="are in")
    # An edit before the deadline: kept, and the reviewer is asked again.
    alice.click("Edit my answers", message=saved)
    view = h.ls.wait_view("alice", callback_id="prompt.answers")
    assert "Draft" in str(view)  # pre-filled
    alice.submit({"f:done": "Final", "f:planned": "1000", "f:actual": "800"})
    h.ls.wait_dm("alice", contains="are updated")
    h.ls.wait_dm("bob", contains="修改了")

    # The deadline (3 working days, 18:00 Thursday): the digest to HR, with the CSV.
    h.set_time(at("2026-12-03T18:00"))
    digest = h.ls.wait_dm("hana", contains="Answers: Weekly self-review")
    text = h.ls.text_of(digest)
    assert "*1* answered on time" in text and "*1* excused" in text and "*1* not answered" in text
    assert "Final" in text and f"<@{h.uid('bob')}>" in text  # bob has not answered
    assert "¥2,000.00" not in text and "¥1,000.00" in text and "-200.00" in text
    upload = next(
        m
        for m in h.ls.dm("hana")
        if m.files and m.files[0]["name"] == "weekly-review-2026-11-30.csv"
    )
    content = h.ls.file(upload.files[0]["id"]).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    header = rows[0]
    by_user = {row[0]: row for row in rows[1:]}
    assert by_user[h.uid("alice")][header.index("What you did")] == "Final"
    assert by_user[h.uid("erin")][header.index("State")] == "excused (on leave)"
    assert by_user[h.uid("bob")][header.index("State")] == "not answered"

    # Bob answers late, in Chinese: kept and marked late; an edit after the deadline is refused.
    bob = h.as_("bob")
    bob.click("填写", message=prompt_dm(h, "bob"))
    h.ls.wait_view("bob", callback_id="prompt.answers")
    bob.submit({"f:done": "补交", "f:planned": "10", "f:actual": "10"})
    late = h.ls.wait_dm("bob", contains="已标记为逾期")
    assert "修改我的回答" not in str(late.blocks)
    bob.click("填写", message=prompt_dm(h, "bob"))
    h.ls.wait_view("bob", callback_id="prompt.answers")
    response = bob.submit({"f:done": "再改", "f:planned": "10", "f:actual": "10"})
    assert "已过截止时间" in str(response.json)
    with h.sessions.read() as session:
        row = prompt_repo.response(session, "weekly-review", "2026-11-30", h.uid("bob"))
        assert (
            row is not None
            and row.late
            and row.answers
            == {
                "done": "补交",
                "planned": {"amount": "10.00", "currency": "CNY"},
                "actual": {"amount": "10.00", "currency": "CNY"},
            }
        )


def test_answers_are_shown_by_visibility(weekly: Harness) -> None:
    h = weekly
    h.set_time(at("2026-11-30T09:00"))
    alice = h.as_("alice")
    alice.click("Answer", message=prompt_dm(h, "alice"))
    h.ls.wait_view("alice", callback_id="prompt.answers")
    alice.submit({"f:done": "Ops report", "f:planned": "5", "f:actual": "5"})
    h.ls.wait_dm("alice", contains="are in")
    h.settle()
    # HR (the owner role) and bob (alice's head) see it; fay (finance) does not.
    h.as_("hana").command("/procedo", "answers weekly-review", channel="general")
    assert h.ls.wait_ephemeral("hana", contains="Ops report")
    h.as_("bob").command("/procedo", "answers weekly-review 2026-11-30", channel="general")
    assert h.ls.wait_ephemeral("bob", contains="Ops report")
    h.as_("fay").command("/procedo", "answers weekly-review", channel="general")
    assert h.ls.wait_ephemeral("fay", contains="本期没有你可查看的回答")  # she reads Chinese
    h.as_("fay").command("/procedo", "answers nonsense", channel="general")
    assert h.ls.wait_ephemeral("fay", contains="`weekly-review`")


def test_procedo_prompts_export_writes_the_csv(
    weekly: Harness,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    h = weekly
    h.set_time(at("2026-11-30T09:00"))
    h.as_("alice").click("Answer", message=prompt_dm(h, "alice"))
    h.ls.wait_view("alice", callback_id="prompt.answers")
    h.as_("alice").submit({"f:done": "=1+1 exported", "f:planned": "5", "f:actual": "7"})
    h.ls.wait_dm("alice", contains="are in")
    for name, value in {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "DATABASE_URL": db_url,
        "PROCEDO_POLICY": str(tmp_path / "policy.yml"),
    }.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "answers.csv"
    assert main(["prompts", "export", "weekly-review", "2026-11-30", "--out", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:4] == ["Slack ID", "Name", "Department", "State"]
    assert rows[1][0] == h.uid("alice") and "'=1+1 exported" in rows[1]  # no formula runs
    assert "2.00" in rows[1]  # the variance
    assert main(["prompts", "export", "weekly-review", "2027-01-04"]) == 1
    assert "periods: 2026-11-30" in capsys.readouterr().err
    assert main(["prompts", "export", "stock-count", "2026-11-30"]) == 2
    assert "these do:" in capsys.readouterr().err


def test_a_policy_that_reviews_nothing_is_refused(tmp_path: Path) -> None:
    override = tmp_path / "policy.yml"
    override.write_text(
        "prompts:\n  - id: stock-count\n    review: {fields: [{id: r, type: text, "
        "label: {en: R, zh: R}}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as raised:
        load_policy(override)
    assert "review and variance need questions" in str(raised.value)
    assert f"{override}:2" in str(raised.value)
