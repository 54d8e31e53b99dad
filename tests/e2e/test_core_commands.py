"""/procedo help, whoami and language, driven through localslack with signed requests."""

from __future__ import annotations

from datetime import timedelta

from bot.modules import MODULES
from store.db import Sessions
from tests.support.approvals import file_expense
from tests.support.harness import Harness, start_harness


def test_help_lists_every_command_with_an_example(harness: Harness) -> None:
    alice = harness.as_("alice")
    response = alice.command("/procedo", "help", channel="general")
    assert response.status == 200
    reply = harness.ls.wait_ephemeral("alice", contains="Show this help")
    text = harness.ls.text_of(reply)
    for command in ("/procedo help", "/procedo whoami", "/procedo language zh"):
        assert command in text
    assert "/procedo jobs" not in text  # admins only


def test_unknown_subcommand_answers_with_help(harness: Harness) -> None:
    harness.as_("alice").command("/procedo", "frobnicate", channel="general")
    reply = harness.ls.wait_ephemeral("alice", contains="frobnicate")
    assert "/procedo whoami" in harness.ls.text_of(reply)


def test_whoami_for_a_member_and_for_a_head(harness: Harness) -> None:
    harness.as_("alice").command("/procedo", "whoami", channel="general")
    mine = harness.ls.text_of(harness.ls.wait_ephemeral("alice", contains="Your approver"))
    assert "Operations" in mine
    assert f"<@{harness.uid('bob')}> (head of Operations)" in mine
    assert "Asia/Shanghai" in mine

    # Bob's Slack locale is zh-CN: he is answered in Chinese, and his approver is the director.
    harness.as_("bob").command("/procedo", "whoami", channel="general")
    his = harness.ls.text_of(harness.ls.wait_ephemeral("bob", contains="审批人"))
    assert f"<@{harness.uid('dan')}>" in his
    assert "运营管理" in his  # the operations role


def test_whoami_at_the_top_and_outside_the_org(harness: Harness) -> None:
    harness.as_("dan").command("/procedo", "whoami", channel="general")
    assert harness.ls.wait_ephemeral("dan", contains="最高一级")
    harness.as_("zoe").command("/procedo", "whoami", channel="general")
    assert harness.ls.wait_ephemeral("zoe", contains="没有加入任何部门")


def test_language_switch_is_remembered(harness: Harness) -> None:
    alice = harness.as_("alice")
    alice.command("/procedo", "language zh", channel="general")
    assert harness.ls.wait_ephemeral("alice", contains="以后我会用中文")
    alice.command("/procedo", "help", channel="general")
    assert harness.ls.wait_ephemeral("alice", contains="显示本帮助")
    alice.command("/procedo", "language", channel="general")
    assert harness.ls.wait_ephemeral("alice", contains="你的选择")
    alice.command("/procedo", "language auto", channel="general")
    assert harness.ls.wait_ephemeral("alice", contains="follow your Slack language")


def test_language_rejects_what_it_cannot_speak(harness: Harness) -> None:
    harness.as_("alice").command("/procedo", "language fr", channel="general")
    assert harness.ls.wait_ephemeral("alice", contains="`zh`")


def test_commands_not_shipped_yet_say_so(db_url: str, sessions: Sessions) -> None:
    # Without the risks module, the manifest's /risk answers "not available".
    modules = tuple(m for m in MODULES if m.name != "risks")
    h = start_harness(db_url, sessions, modules=modules)
    try:
        h.as_("alice").command("/risk", "", channel="general")
        assert h.ls.wait_ephemeral("alice", contains="not available in this version")
    finally:
        h.close()


def test_the_home_tab_shows_who_you_are_what_waits_and_what_is_left(harness: Harness) -> None:
    file_expense(harness, "alice")
    harness.as_("bob").open_home()
    harness.ls.wait_home("bob", contains="* 1 条")  # *待你审批：* 1 条
    harness.as_("alice").open_home()
    harness.ls.wait_home("alice", contains="EX-0001")
    harness.ls.wait_home("alice", contains="Annual leave 5")
    # A button on the Home tab opens the form.
    harness.as_("alice").click("Expense reimbursement", message=harness.ls.home("alice"))
    harness.ls.wait_view("alice", callback_id="request.form")


def test_the_slack_profile_is_cached_for_a_day(harness: Harness) -> None:
    def lookups() -> int:
        return sum(
            1 for c in harness.ls.calls("users.info") if c.args.get("user") == harness.uid("alice")
        )

    alice = harness.as_("alice")
    alice.command("/procedo", "whoami", channel="general")
    harness.ls.wait_ephemeral("alice", contains="Your approver")
    first = lookups()
    assert first >= 1
    alice.command("/procedo", "whoami", channel="general")
    harness.ls.wait_for(lambda: len(harness.ls.ephemerals("alice")) == 2)
    assert lookups() == first
    # A day later Slack is asked again: a changed timezone or language shows up.
    harness.ls.update_user("alice", tz="Europe/Paris")
    harness.advance(timedelta(days=1, minutes=1), tick=False)
    alice.command("/procedo", "whoami", channel="general")
    harness.ls.wait_ephemeral("alice", contains="Europe/Paris")
    assert lookups() == first + 1
