"""Lifecycle, lookups, snapshots, waiting, and response_url semantics."""

from __future__ import annotations

import threading
import time

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from localslack import LocalSlack
from procedures.clock import FakeClock


def test_start_and_stop_are_quick(clock: FakeClock) -> None:
    started = time.monotonic()
    slack = LocalSlack(clock=clock)
    with pytest.raises(RuntimeError):
        _ = slack.api_url
    with slack:
        assert slack.web_client().auth_test()["ok"]
    assert time.monotonic() - started < 0.1
    slack.stop()  # stopping twice is harmless


def test_lookups(ls: LocalSlack) -> None:
    assert ls.user("bob").id == ls.user("U0BOB").id == ls.user("@bob").id == "U0BOB"
    assert ls.channel("#approvals").id == ls.channel("approvals").id == "C0APPROVALS"
    assert ls.channel("C0GENERAL").name == "general"
    with pytest.raises(KeyError, match="known"):
        ls.user("dave")
    with pytest.raises(KeyError, match="#general"):
        ls.channel("#nope")


def test_membership_and_user_changes(ls: LocalSlack, client: WebClient) -> None:
    ls.add_member("random", "procedo")  # the bot joins
    assert client.chat_postMessage(channel="C0RANDOM", text="now I can")["ok"]
    ls.remove_member("general", "carol")
    assert "U0CAROL" not in ls.channel("general").members
    ls.update_user("carol", deleted=True)
    assert client.users_info(user="U0CAROL")["user"]["deleted"] is True


def test_snapshots_are_copies(ls: LocalSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C0GENERAL", text="x", blocks=[{"type": "divider"}])
    mine = ls.messages("general")[0]
    mine.blocks.append({"type": "divider"})
    assert len(ls.messages("general")[0].blocks) == 1


def test_wait_for_wakes_on_change_and_reports_on_timeout(ls: LocalSlack, client: WebClient) -> None:
    go = threading.Event()

    def later() -> None:
        go.wait(5)
        client.chat_postMessage(channel="C0GENERAL", text="arrived")

    worker = threading.Thread(target=later)
    worker.start()
    go.set()
    assert ls.wait_message("general", contains="arrived", timeout=5).text == "arrived"
    worker.join()
    with pytest.raises(AssertionError) as info:
        ls.wait_dm("bob", contains="never", timeout=0.05)
    report = str(info.value)
    assert "a DM to bob containing 'never'" in report and "chat.postMessage [200 ok]" in report


def test_contains_sees_block_text_and_resolved_mentions(ls: LocalSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "Ask <@U0ALICE>"}}]
    client.chat_postMessage(channel="U0BOB", text="fallback", blocks=blocks)
    assert ls.wait_dm("bob", contains="@alice").text == "fallback"
    assert ls.wait_dm("bob", contains="<@U0ALICE>").text == "fallback"


def test_response_url_semantics(ls: LocalSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C0GENERAL", text="original")["ts"]
    hook = ls.ws.issue_hook("U0BOB", "C0GENERAL", "message", original_ts=posted)
    assert WebhookClient(hook).send(text="replaced", replace_original=True).status_code == 200
    assert ls.message("general", posted).text == "replaced"
    blocks = [{"type": "section", "text": "bare"}]
    bad = WebhookClient(hook).send(text="x", blocks=blocks)
    assert (bad.status_code, bad.body) == (400, "invalid_blocks")
    assert WebhookClient(hook).send(text="").status_code == 400
    assert WebhookClient(hook).send(text="gone", delete_original=True).status_code == 200
    assert ls.messages("general") == []

    eph_ts = client.chat_postEphemeral(channel="C0GENERAL", user="U0BOB", text="e1")["message_ts"]
    eph_hook = ls.ws.issue_hook(
        "U0BOB", "C0GENERAL", "message", original_ts=eph_ts, original_ephemeral=True
    )
    WebhookClient(eph_hook).send(text="e2", replace_original=True)
    assert [e.text for e in ls.ephemerals("bob")] == ["e2"]

    command_hook = ls.ws.issue_hook("U0BOB", "C0GENERAL", "command")
    WebhookClient(command_hook).send(text="new one", replace_original=True)
    assert [e.text for e in ls.ephemerals("bob")] == ["e2", "new one"]  # nothing to replace
    unknown = WebhookClient(ls.url + "response/T0LOCAL/99/nope").send(text="x")
    assert unknown.status_code == 404
