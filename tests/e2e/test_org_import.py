"""`procedo org import`: all or nothing, every problem with its line, re-import is a no-op,
an edit is applied as an audited diff. Users and channels are checked against localslack."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import demo
from bot.cli import main
from store.db import Sessions
from store.directory import Directory
from store.models import AuditEntry
from store.org_repo import load_snapshot
from tests.support.harness import BOT_TOKEN, Harness


@pytest.fixture
def cli_env(harness: Harness, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "irrelevant-here")
    monkeypatch.setenv("SLACK_API_URL", harness.ls.api_url)
    monkeypatch.setenv("DATABASE_URL", db_url)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "org.yml"
    path.write_text(text, encoding="utf-8")
    return path


def audit_count(sessions: Sessions) -> int:
    with sessions.begin() as session:
        return len(list(session.scalars(select(AuditEntry))))


def test_demo_org_is_imported_with_emails_resolved(harness: Harness) -> None:
    with harness.sessions.begin() as session:
        directory = Directory(session)
        ops = directory.department_of(harness.uid("alice"))
        assert ops is not None and ops.name_zh == "运营部"
        assert ops.head == harness.uid("bob")  # given by e-mail in the file
        assert directory.members("ops") == sorted(
            [harness.uid("alice"), harness.uid("bob"), harness.uid("erin")]
        )
        assert directory.approver_for(harness.uid("alice")).user == harness.uid("bob")
        assert directory.approver_for(harness.uid("bob")).user == harness.uid("dan")
        top = directory.approver_for(harness.uid("dan"))
        assert (top.user, top.why) == (None, "top")
        assert directory.approver_for(harness.uid("zoe")).why == "not_in_org"
        assert directory.users_with_role("hr") == [harness.uid("hana")]
        assert directory.channel_for("approvals") == "C0APPROVALS"
        assert directory.calendar_of(harness.uid("ian")) == "HK"
        assert directory.calendar_of(harness.uid("alice")) == "CN"


def test_rooms_are_imported_and_edited_as_a_diff(
    harness: Harness, cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with harness.sessions.begin() as session:
        rooms = Directory(session).rooms()
    assert [(r.id, r.name_zh, r.capacity) for r in rooms] == [
        ("r301", "301会议室", 12),
        ("r502", "502会议室", 6),
        ("boardroom", "大会议室", 30),
    ]
    edited = demo.org_text().replace("capacity: 6}", "capacity: 8}")
    assert main(["org", "import", str(write(tmp_path, edited))]) == 0
    assert "~ room r502: Room 502 / 502会议室, 6 seats → Room 502 / 502会议室, 8 seats" in (
        capsys.readouterr().out
    )


def test_reimporting_the_same_file_changes_nothing(
    harness: Harness, cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = audit_count(harness.sessions)
    assert main(["org", "import", str(write(tmp_path, demo.org_text()))]) == 0
    assert "no changes" in capsys.readouterr().out
    assert audit_count(harness.sessions) == before


def test_an_edited_file_is_applied_as_a_printed_and_audited_diff(
    harness: Harness, cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = (
        demo.org_text()
        .replace("members: [U0ALICE, erin@demo.procedo.dev]", "members: [U0ALICE]")
        .replace("  hr: [U0HANA]", "  hr: [U0HANA, U0ERIN]")
    )
    before = audit_count(harness.sessions)
    assert main(["org", "import", str(write(tmp_path, edited))]) == 0
    out = capsys.readouterr().out
    assert "2 changes applied" in out
    assert f"- member {harness.uid('erin')}" in out
    assert f"+ role hr {harness.uid('erin')}" in out
    assert audit_count(harness.sessions) == before + 2
    with harness.sessions.begin() as session:
        assert Directory(session).department_of(harness.uid("erin")) is None


BAD_CASES = {
    "unknown user": (
        "members: [U0ALICE, erin@demo.procedo.dev]",
        "members: [U0ALICE, nobody@demo.procedo.dev]",
        ["org.yml:10", "unknown user nobody@demo.procedo.dev"],
    ),
    "member of two departments": (
        "members: [U0GUS]",
        "members: [U0GUS, U0ALICE]",
        ["org.yml:16", "already in department 'ops' (line 10)"],
    ),
    "missing head": (
        "    head: U0FAY\n",
        "",
        ["departments[2].head: is required"],
    ),
    "bad channel": (
        "  hr: C0HR",
        "  hr: C0NOBOT",
        ["the bot is not in #no-bot"],
    ),
    "role that does not exist": (
        "  bot_admin: [U0DAN]",
        "  bot_admin: [U0DAN]\n  chef: [U0DAN]",
        ["roles.chef: role 'chef' does not exist"],
    ),
    "unknown key": (
        "calendar: CN",
        "calendar: CN\ncolour: blue",
        ["org.yml:5", "colour: unknown key"],
    ),
    "room id twice": (
        "  - {id: r502, name: {en: Room 502",
        "  - {id: r301, name: {en: Room 502",
        ["rooms[1].id", "room id 'r301' is used twice"],
    ),
    "room without a name": (
        "  - {id: boardroom, name: {en: Boardroom, zh: 大会议室}, capacity: 30}",
        "  - {id: boardroom, capacity: 30}",
        ["rooms[2].name: is required"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_a_bad_file_changes_nothing_and_lists_the_problem_with_its_line(
    case: str,
    harness: Harness,
    cli_env: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old, new, expected = BAD_CASES[case]
    assert old in demo.org_text()
    with harness.sessions.begin() as session:
        before = load_snapshot(session)
    audits = audit_count(harness.sessions)
    assert main(["org", "import", str(write(tmp_path, demo.org_text().replace(old, new)))]) == 1
    err = capsys.readouterr().err
    for fragment in expected:
        assert fragment in err
    assert "Nothing was changed" in err
    with harness.sessions.begin() as session:
        assert load_snapshot(session) == before
    assert audit_count(harness.sessions) == audits


def test_every_problem_is_listed_at_once(
    harness: Harness, cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        demo.org_text()
        .replace("head: U0CAROL", "head: ghost@demo.procedo.dev")
        .replace("  hr: C0HR", "  hr: C0GONE")
        .replace("members: [U0IAN]", "members: [U0IAN, not-a-user]")
    )
    assert main(["org", "import", str(write(tmp_path, text))]) == 1
    err = capsys.readouterr().err
    # A shape error no longer hides what Slack does not know: one run, in line order.
    assert_listed(
        err,
        [
            (line_of(text, "ghost@"), "departments[1].head: unknown user ghost@demo.procedo.dev"),
            (line_of(text, "not-a-user"), "departments[2].members[1]: 'not-a-user' is neither"),
            (line_of(text, "C0GONE"), "channels.hr: unknown channel C0GONE"),
        ],
    )


def line_of(text: str, fragment: str) -> int:
    """The line of the org file where `fragment` first appears (the demo org grows)."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def assert_listed(err: str, expected: list[tuple[int, str]]) -> None:
    """The problems listed in `err` are exactly these, in this order (messages by prefix)."""
    listed = [(int(m[1]), m[2]) for m in re.finditer(r"org\.yml:(\d+): (.*)", err)]
    assert f"{len(expected)} problem" in err and "Nothing was changed" in err
    assert [line for line, _ in listed] == [line for line, _ in expected], err
    for (_, message), (_, start) in zip(listed, expected, strict=True):
        assert message.startswith(start), message


def test_shape_and_slack_problems_of_every_kind_come_together_in_line_order(
    harness: Harness, cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        demo.org_text()
        .replace("calendar: CN", "calendar: CN\ncalendar: HK")
        .replace("name: {en: Finance, zh: 财务部}", "name: {en: Finance}")
        .replace("members: [U0IAN]", "members: [U0IAN, U0NOBODY]")
        .replace("  bot_admin: [U0DAN]", "  bot_admin: [U0DAN]\n  chef: [U0DAN]")
        .replace("  hr: C0HR", "  hr: C0NOBOT")
        .replace("{user: U0GUS, joined", "{user: gone@demo.procedo.dev, joined")
    )
    assert main(["org", "import", str(write(tmp_path, text))]) == 1
    assert_listed(
        capsys.readouterr().err,
        [
            (line_of(text, "calendar: HK"), "calendar: duplicate key"),
            (line_of(text, "{en: Finance}"), "departments[2].name.zh: is required"),
            (line_of(text, "U0NOBODY"), "departments[2].members[1]: unknown user U0NOBODY"),
            (line_of(text, "chef:"), "roles.chef: role 'chef' does not exist"),
            (line_of(text, "C0NOBOT"), "channels.hr: the bot is not in #no-bot"),
            (line_of(text, "gone@"), "people[6].user: unknown user gone@demo.procedo.dev"),
        ],
    )


def test_a_missing_setting_stops_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "x")
    monkeypatch.chdir(tmp_path)  # no .env here
    assert main(["org", "import", str(write(tmp_path, demo.org_text()))]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("procedo: SLACK_BOT_TOKEN is missing")
