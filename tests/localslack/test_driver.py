"""The driver against a real bolt App over HTTP: bolt must accept every payload it sends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from slack_bolt import App
from slack_sdk.webhook import WebhookClient

from localslack import LocalSlack
from procedures.clock import FakeClock

from . import bolt_app
from .conftest import Inbox

Serve = Callable[[App], str]


@pytest.fixture
def inbox(ls: LocalSlack, bot: Serve) -> Inbox:
    box = Inbox()
    bot(bolt_app.build(box, ls=ls))
    return box


SLASH_FIELDS = {
    "token",
    "team_id",
    "team_domain",
    "channel_id",
    "channel_name",
    "user_id",
    "user_name",
    "command",
    "text",
    "api_app_id",
    "is_enterprise_install",
    "response_url",
    "trigger_id",
}


def test_command_ack_text_is_shown_as_an_ephemeral(ls: LocalSlack, inbox: Inbox) -> None:
    response = ls.driver("bob").command("/procedo", "help", channel="general")
    assert (response.status, response.body) == (200, "Procedo help: try /procedo leave")
    body = inbox.wait("command")
    assert set(body) == SLASH_FIELDS
    assert (body["channel_id"], body["user_name"], body["command"]) == (
        "C0GENERAL",
        "bob",
        "/procedo",
    )
    eph = ls.wait_ephemeral("bob", contains="Procedo help")
    assert (eph.channel, eph.via) == ("C0GENERAL", "command_ack")


@pytest.mark.parametrize("sign", ["bad", "stale", "missing"])
def test_bad_signatures_are_rejected(ls: LocalSlack, inbox: Inbox, sign: str) -> None:
    response = ls.driver("bob").command("/procedo", "help", sign=sign)  # type: ignore[arg-type]
    assert response.status == 401
    assert inbox.all("command") == []


def test_respond_ephemeral_and_in_channel(ls: LocalSlack, inbox: Inbox) -> None:
    bob = ls.driver("bob")
    bob.command("/procedo", "later", channel="general")
    assert ls.wait_ephemeral("bob", contains="working on it").via == "response_url"
    bob.command("/procedo", "announce", channel="general")
    message = ls.wait_message("general", contains="Announcement")
    assert message.bot and message.user == "U0BOT"


def test_modal_submission_with_errors_then_success(ls: LocalSlack, inbox: Inbox) -> None:
    bob = ls.driver("bob")
    bob.command("/procedo", "leave", channel="general")
    view = ls.wait_view("bob", "leave")
    assert view.state_values["start"]["date"]["selected_date"] == "2026-11-03"
    with pytest.raises(AssertionError, match="'Reason' is required"):
        bob.submit()
    proof = bob.upload_file("note.pdf", b"%PDF-1.4")
    bob.fill("reason", "Family trip")
    bob.fill("Days", 0)  # by label
    bob.fill("delegate", "alice")
    bob.fill("kind", "Annual")  # dispatch_action: also a block_actions to the bot
    bob.fill("flags", ["Annual", "sick"])
    bob.fill("proof", [proof])
    bob.fill("until", 1793600000)
    bob.fill("at", "09:30")
    bob.fill("where", "#general")
    answer = bob.submit().json
    assert answer == {"response_action": "errors", "errors": {"days": "Must be at least 1"}}
    assert ls.view("bob").errors == {"days": "Must be at least 1"}  # type: ignore[union-attr]
    response = bob.submit({"days": "3"})
    assert response.status == 200 and response.body == ""
    assert ls.view("bob") is None

    values = inbox.wait("leave", count=2)["view"]["state"]["values"]
    assert values["reason"]["text"] == {"type": "plain_text_input", "value": "Family trip"}
    assert values["days"]["n"] == {"type": "number_input", "value": "3"}
    assert values["kind"]["type_changed"]["selected_option"]["value"] == "annual"
    assert values["delegate"]["who"] == {"type": "users_select", "selected_user": "U0ALICE"}
    assert values["cc"]["people"] == {"type": "multi_users_select", "selected_users": []}
    assert values["where"]["conv"]["selected_conversation"] == "C0GENERAL"
    assert values["chan"]["ch"] == {"type": "channels_select", "selected_channel": None}
    assert values["start"]["date"] == {"type": "datepicker", "selected_date": "2026-11-03"}
    assert values["at"]["time"] == {"type": "timepicker", "selected_time": "09:30"}
    assert values["until"]["dt"]["selected_date_time"] == 1793600000
    assert values["mail"]["email"] == {"type": "email_text_input", "value": None}
    assert values["half"]["radio"] == {"type": "radio_buttons", "selected_option": None}
    assert [o["value"] for o in values["flags"]["checks"]["selected_options"]] == ["annual", "sick"]
    assert values["proof"]["files"]["files"][0]["name"] == "note.pdf"
    submitted = inbox.all("leave")[1]
    assert submitted["view"]["private_metadata"] == "req-1" and submitted["user"]["id"] == "U0BOB"


def test_dispatch_action_in_a_modal_and_views_update(ls: LocalSlack, inbox: Inbox) -> None:
    bob = ls.driver("bob")
    bob.command("/procedo", "leave")
    ls.wait_view("bob", "leave")
    bob.fill("reason", "Flu")
    assert bob.fill("kind", "sick") is not None  # dispatch_action: the bot hears it
    payload = inbox.wait("type_changed")
    assert payload["container"] == {"type": "view", "view_id": payload["view"]["id"]}
    assert payload["actions"][0]["selected_option"]["value"] == "sick"
    view = ls.wait_view("bob", "leave", contains="Attach a sick note")
    # Typed input survives views.update when block_id/action_id stay the same, as in Slack.
    assert view.state_values["reason"]["text"]["value"] == "Flu"


def test_response_actions_push_update_clear(ls: LocalSlack, inbox: Inbox) -> None:
    bob = ls.driver("bob")
    bob.command("/procedo", "wizard")
    ls.wait_view("bob", "wizard")
    bob.submit()
    assert [v.title for v in ls.views("bob")] == ["Step 1", "Step 2"]
    bob.submit()
    assert [v.title for v in ls.views("bob")] == ["Step 1", "Step 3"]
    bob.submit()
    assert ls.views("bob") == []
    assert inbox.all("wizard") == ["Step 1", "Step 2", "Step 3"]


def test_close_view_notifies_when_asked(ls: LocalSlack, inbox: Inbox) -> None:
    bob = ls.driver("bob")
    bob.command("/procedo", "leave")
    ls.wait_view("bob", "leave")
    response = bob.close_view()
    assert response is not None and response.status == 200
    closed = inbox.wait("closed")
    assert closed["type"] == "view_closed" and closed["is_cleared"] is False
    assert ls.view("bob") is None


def test_click_in_message_and_replace_original(ls: LocalSlack, inbox: Inbox) -> None:
    alice = ls.driver("alice")
    alice.command("/procedo", "post", channel="approvals")
    posted = ls.wait_message("approvals", contains="Leave request")
    alice.select("kind", "Sick", message=posted)
    picked = inbox.wait("kind")
    assert picked["actions"][0]["selected_option"]["value"] == "sick"
    with pytest.raises(AssertionError, match=r"\[Reject\] \(button, action_id='reject'"):
        alice.click("Escalate")
    alice.click("approve")  # case-insensitive text match
    body = inbox.wait("approve")
    assert body["container"] == {
        "type": "message",
        "message_ts": posted.ts,
        "channel_id": "C0APPROVALS",
        "is_ephemeral": False,
    }
    assert body["message"]["ts"] == posted.ts and body["channel"]["name"] == "approvals"
    action = body["actions"][0]
    assert (action["action_id"], action["value"], action["type"]) == ("approve", "42", "button")
    kind_state = next(iter(body["state"]["values"].values()))["kind"]
    assert kind_state["selected_option"]["value"] == "sick"  # the earlier pick is in state
    replaced = ls.wait_message("approvals", contains="Approved by @alice")
    assert replaced.ts == posted.ts and replaced.edited_at is not None


def test_click_in_ephemeral_and_delete_original(ls: LocalSlack, inbox: Inbox) -> None:
    bob = ls.driver("bob")
    bob.command("/procedo", "eph", channel="general")
    ls.wait_ephemeral("bob", contains="Note")
    bob.click("Dismiss")
    body = inbox.wait("dismiss")
    assert body["container"]["is_ephemeral"] is True and "message" not in body
    ls.wait_for(lambda: not ls.ephemerals("bob"), message="the ephemeral to be deleted")


def test_response_url_limits(ls: LocalSlack, inbox: Inbox, clock: FakeClock) -> None:
    bob = ls.driver("bob")
    bob.command("/procedo", "nothing", channel="general")
    url = inbox.wait("command")["response_url"]
    hook = WebhookClient(url)
    statuses = [hook.send(text=f"#{n}").status_code for n in range(6)]
    assert statuses == [200] * 5 + [404]
    assert ls.calls("response_url")[-1].error == "used_url"
    bob.command("/procedo", "nothing", channel="general")
    clock.advance(timedelta(minutes=31))
    late = WebhookClient(inbox.wait("command", count=2)["response_url"]).send(text="late")
    assert (late.status_code, late.body) == (404, "expired_url")


def test_posts_reach_the_bot_but_its_own_do_not(ls: LocalSlack, inbox: Inbox) -> None:
    bob = ls.driver("bob")
    posted = bob.post("general", "ping")
    event = inbox.wait("message")
    assert (event["channel"], event["user"], event["text"], event["channel_type"]) == (
        "C0GENERAL",
        "U0BOB",
        "ping",
        "channel",
    )
    pong = ls.wait_message("general", contains="pong", thread_ts=posted.ts)
    assert pong.thread_ts == posted.ts
    reply = bob.post("general", "thanks", thread_ts=posted.ts)
    assert inbox.wait("message", count=2)["thread_ts"] == posted.ts and reply.is_reply
    bob.post("random", "the bot is not here")
    bob.post("general", f"hey <@{ls.bot_user_id}>")
    assert inbox.wait("mention")["text"].startswith("hey")
    inbox.wait("message", count=3)
    assert len(inbox.all("message")) == 3  # no echo of "pong", nothing from #random
    bob.post("procedo", "hello in DM")
    assert inbox.wait("message", count=4)["channel_type"] == "im"
    assert [m.text for m in ls.dm("bob")] == ["hello in DM"]


def test_app_home(ls: LocalSlack, inbox: Inbox) -> None:
    ls.driver("carol").open_home()
    assert inbox.wait("home")["tab"] == "home"
    assert ls.wait_home("carol", contains="Welcome home").type == "home"
