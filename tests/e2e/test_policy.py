"""The policy file: checked at start-up with the file and line at fault, described in words by
`procedo policy check`, and layered over the built-in policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.modules import load_policy
from store.db import Sessions
from tests.support.approvals import prompt_for
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET, Harness, start_harness

BAD_CONDITION = """\
procedures:
  - id: expense
    chain:
      - approver: requester
      - role: finance
        when: "amount >= lots"
"""

# The demo org gives every role to someone; a user who is not in it is nobody.
NOBODY = """\
procedures:
  - id: expense
    chain:
      - approver: requester
      - user: U0NOBODY
"""

NEW_PROCEDURE = """\
procedures:
  - id: training
    prefix: TR
    name: {en: Training course, zh: 培训申请}
    cite: "000 §4.2"
    fields:
      - id: course
        type: text
        label: {en: Course, zh: 课程}
      - id: fee
        type: money
        label: {en: Fee, zh: 费用}
    chain:
      - approver: requester
      - role: hr
        when: "fee > 2000"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_policy_check_describes_every_chain_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["policy", "check", str(write(tmp_path, NEW_PROCEDURE))]) == 0
    out = capsys.readouterr().out
    assert "training (TR-0001, Training course / 培训申请, 000 §4.2)" in out
    assert "1. the requester's approver" in out
    assert "2. any one of the hr role when fee > 2000" in out
    assert "expense (EX-0001" in out  # the built-in one is still there


def test_a_bad_condition_is_reported_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    path = write(tmp_path, BAD_CONDITION)
    assert main(["policy", "check", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:6" in err and "compares numbers" in err


def test_a_step_nobody_can_decide_stops_start_up(
    harness: Harness,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write(tmp_path, NOBODY)
    for name, value in {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": harness.ls.api_url,
        "DATABASE_URL": db_url,
        "PROCEDO_POLICY": str(path),
    }.items():
        monkeypatch.setenv(name, value)
    # The clock would run forever; with this policy it must not start at all.
    assert main(["clock"]) == 1
    err = capsys.readouterr().err
    assert f"{path}:5" in err and "<@U0NOBODY> is not in the org" in err
    assert main(["policy", "check"]) == 1
    assert "<@U0NOBODY> is not in the org" in capsys.readouterr().err


def test_a_procedure_defined_in_policy_only_works_end_to_end(
    db_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    h = start_harness(db_url, sessions, policy=load_policy(write(tmp_path, NEW_PROCEDURE)))
    try:
        erin = h.as_("erin")
        erin.command("/procedo", "new training", channel="general")
        h.ls.wait_view("erin", callback_id="request.form")
        erin.submit({"f:course": "Risk management basics", "f:fee": "3500"})
        card = h.ls.wait_message("C0APPROVALS", contains="TR-0001")
        h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
        h.as_("hana").click("Approve", message=prompt_for(h, card, f"<@{h.uid('hana')}>"))
        h.ls.wait_dm("erin", contains="TR-0001 (Training course) is approved")
    finally:
        h.close()


ACTIONS_POLICY = """\
procedures:
  - id: expense
    if_left: admin
    cc: {roles: [hr], head: true}
    chain:
      - approver: requester
      - role: finance
        mode: in_order
        if_empty: skip
"""


def test_policy_check_describes_in_order_steps_rules_and_cc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["policy", "check", str(write(tmp_path, ACTIONS_POLICY))]) == 0
    out = capsys.readouterr().out
    assert "2. one after another, all of the finance role" in out
    assert "; if_empty: skip" in out
    assert "if_empty: default, if_requester: default, if_left: admin" in out
    assert "CC when it ends (approved, closed, rejected): role hr, the requester's head" in out


def test_an_unknown_special_rule_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    bad = ACTIONS_POLICY.replace("if_left: admin", "if_left: ask_someone")
    assert main(["policy", "check", str(write(tmp_path, bad))]) == 1
    assert "if_left" in capsys.readouterr().err
