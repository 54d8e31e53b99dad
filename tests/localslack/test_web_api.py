"""LocalSlack's Web API, driven by slack_sdk's own WebClient."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)

from localslack import LocalSlack

from .conftest import TOKEN

pytestmark = pytest.mark.filterwarnings("ignore:The top-level `text` argument")


def error_of(call: Any, **kwargs: Any) -> str:
    with pytest.raises(SlackApiError) as info:
        call(**kwargs)
    return str(info.value.response["error"])


def sdk_blocks() -> list[Any]:
    """A typical approval message, built with slack_sdk.models."""
    options = [Option(text="Annual", value="annual"), Option(text="Sick", value="sick")]
    return [
        HeaderBlock(text="Leave request"),
        SectionBlock(
            text=MarkdownTextObject(text="*<@U0BOB>* asks for 3 days"),
            fields=[MarkdownTextObject(text="*From*\n2026-11-03"), MarkdownTextObject(text="x")],
            accessory=ButtonElement(text="Details", action_id="details", value="42"),
        ),
        DividerBlock(),
        ActionsBlock(
            elements=[
                ButtonElement(text="Approve", action_id="approve", value="42", style="primary"),
                ButtonElement(text="Reject", action_id="reject", value="42", style="danger"),
                StaticSelectElement(placeholder="Type", action_id="kind", options=options),
                UserSelectElement(placeholder="Delegate", action_id="delegate"),
                DatePickerElement(action_id="when", initial_date="2026-11-03"),
                OverflowMenuElement(action_id="more", options=options),
            ]
        ),
        ContextBlock(elements=[MarkdownTextObject(text="<!date^1793581200^{date}|Nov 2>")]),
    ]


def test_auth_and_unknown_method(ls: LocalSlack, client: WebClient) -> None:
    answer = client.auth_test()
    assert (answer["user_id"], answer["bot_id"], answer["team_id"]) == ("U0BOT", "B0BOT", "T0LOCAL")
    bad = WebClient(token="xoxb-wrong", base_url=ls.api_url, retry_handlers=[])
    assert error_of(bad.auth_test) == "invalid_auth"
    assert error_of(client.api_call, api_method="no.such.method") == "unknown_method"
    assert ls.api_url.endswith("/api/") and ls.api_url.startswith("http://127.0.0.1:")
    assert [c.method for c in ls.calls()] == ["auth.test", "auth.test", "no.such.method"]
    assert ls.calls("auth.test")[1].error == "invalid_auth"


def test_post_message_to_channel_thread_and_dm(ls: LocalSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel="C0GENERAL", text="hi", blocks=sdk_blocks())
    assert first["channel"] == "C0GENERAL" and first["message"]["bot_id"] == "B0BOT"
    reply = client.chat_postMessage(channel="#general", text="in thread", thread_ts=first["ts"])
    dm = client.chat_postMessage(channel="U0BOB", text="psst")
    epoch, seq = first["ts"].split(".")
    assert int(epoch) == int(ls.clock.now().timestamp()) and len(seq) == 6
    assert float(first["ts"]) < float(reply["ts"]) < float(dm["ts"])
    top = ls.messages("general")
    assert [m.text for m in top] == ["hi"] and top[0].bot
    assert top[0].blocks[1]["accessory"]["action_id"] == "details"
    assert all(b.get("block_id") for b in top[0].blocks)  # Slack fills in block ids
    assert [m.text for m in ls.replies("general", first["ts"])] == ["in thread"]
    assert [m.text for m in ls.dm("bob")] == ["psst"]
    assert dm["channel"] == client.conversations_open(users="U0BOB")["channel"]["id"]
    history = client.conversations_history(channel="C0GENERAL")["messages"]
    assert history[0]["reply_count"] == 1 and history[0]["thread_ts"] == first["ts"]
    replies = client.conversations_replies(channel="C0GENERAL", ts=first["ts"])["messages"]
    assert [m["text"] for m in replies] == ["hi", "in thread"]


def test_form_posts_with_json_strings_are_decoded(ls: LocalSlack) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*form*"}}]
    body = f"channel=C0GENERAL&text=x&blocks={urllib.parse.quote(json.dumps(blocks))}"
    request = urllib.request.Request(  # noqa: S310 - the local server
        ls.api_url + "chat.postMessage",
        data=body.encode(),
        headers={
            "Authorization": f"Bearer {TOKEN}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert json.load(response)["ok"] is True
    assert ls.messages("general")[0].blocks[0]["text"]["text"] == "*form*"
    assert ls.calls("chat.postMessage")[0].args["blocks"][0]["type"] == "section"


def test_post_message_rejections(ls: LocalSlack, client: WebClient) -> None:
    post = client.chat_postMessage
    assert error_of(post, channel="C0NOPE", text="x") == "channel_not_found"
    assert error_of(post, channel="C0RANDOM", text="x") == "not_in_channel"
    assert error_of(post, channel="G0SECRET", text="x") == "channel_not_found"
    assert error_of(post, channel="C0GENERAL", text="") == "no_text"
    bare = [{"type": "section", "text": "a bare string"}]
    assert error_of(post, channel="C0GENERAL", blocks=bare) == "invalid_blocks"
    assert error_of(post, channel="C0GENERAL", blocks=[{"type": "nope"}]) == "invalid_blocks"
    many = [{"type": "divider"}] * 51
    assert error_of(post, channel="C0GENERAL", blocks=many) == "invalid_blocks"
    long_text = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2900}}] * 5
    assert error_of(post, channel="C0GENERAL", blocks=long_text) == "msg_blocks_too_long"
    assert error_of(post, channel="C0GENERAL", text="x", thread_ts="1.000001") == "thread_not_found"
    assert ls.messages("general") == []
    failed = ls.calls("chat.postMessage")[4]
    assert failed.response is not None and "json-pointer:/blocks/0/text" in str(failed.response)


def test_update_and_delete_only_own_messages(ls: LocalSlack, client: WebClient, clock: Any) -> None:
    posted = client.chat_postMessage(channel="C0GENERAL", text="v1", blocks=sdk_blocks())
    clock.advance(5)
    updated = client.chat_update(channel="C0GENERAL", ts=posted["ts"], text="v2")
    assert updated["message"]["blocks"]  # omitted blocks are kept
    message = ls.message("general", posted["ts"])
    assert message.text == "v2" and message.edited_at == clock.now()
    client.chat_update(channel="C0GENERAL", ts=posted["ts"], text="v3", blocks=[])
    assert ls.message("general", posted["ts"]).blocks == []

    human = ls.driver("bob").post("general", "mine")
    update = client.chat_update
    assert error_of(update, channel="C0GENERAL", ts=human.ts, text="x") == "cant_update_message"
    assert error_of(update, channel="C0GENERAL", ts="1.000009", text="x") == "message_not_found"
    eph = client.chat_postEphemeral(channel="C0GENERAL", user="U0BOB", text="secret")
    ts = eph["message_ts"]
    assert error_of(update, channel="C0GENERAL", ts=ts, text="x") == "cant_update_message"
    delete = client.chat_delete
    assert error_of(delete, channel="C0GENERAL", ts=human.ts) == "cant_delete_message"
    client.chat_delete(channel="C0GENERAL", ts=posted["ts"])
    assert [m.text for m in ls.messages("general")] == ["mine"]
    assert ls.message("general", posted["ts"]).deleted


def test_ephemeral_and_permalink(ls: LocalSlack, client: WebClient) -> None:
    client.chat_postEphemeral(channel="C0GENERAL", user="U0ALICE", text="only you")
    [ephemeral] = ls.ephemerals("alice")
    assert (ephemeral.channel, ephemeral.text, ephemeral.via) == (
        "C0GENERAL",
        "only you",
        "chat.postEphemeral",
    )
    assert ls.ephemerals("bob") == []
    post = client.chat_postEphemeral
    assert error_of(post, channel="C0APPROVALS", user="U0BOB", text="x") == "user_not_in_channel"
    ts = client.chat_postMessage(channel="C0GENERAL", text="x")["ts"]
    link = client.chat_getPermalink(channel="C0GENERAL", message_ts=ts)["permalink"]
    assert link.endswith(f"/archives/C0GENERAL/p{ts.replace('.', '')}")


def test_users_and_conversations(ls: LocalSlack, client: WebClient) -> None:
    alice = client.users_info(user="U0ALICE", include_locale=True)["user"]
    assert alice["locale"] == "en-GB" and alice["tz"] == "Europe/London"
    assert alice["profile"]["email"] == "alice@example.com" and alice["real_name"] == "Alice Wang"
    assert {"tz_offset", "tz_label", "is_bot", "deleted", "name"} <= set(alice)
    bob = client.users_info(user="U0BOB")["user"]
    assert bob["tz_offset"] == 8 * 3600 and "locale" not in bob
    assert error_of(client.users_info, user="U0NOBODY") == "user_not_found"
    found = client.users_lookupByEmail(email="carol@example.com")["user"]["id"]
    assert found == "U0CAROL"
    assert error_of(client.users_lookupByEmail, email="x@y.z") == "users_not_found"

    first = client.conversations_open(users="U0CAROL")["channel"]["id"]
    again = client.conversations_open(users="U0CAROL")
    assert first.startswith("D") and again["channel"]["id"] == first and again["already_open"]
    info = client.conversations_info(channel=first)["channel"]
    assert info["is_im"] and info["user"] == "U0CAROL"
    general = client.conversations_info(channel="C0GENERAL")["channel"]
    assert (general["name"], general["is_member"], general["is_private"]) == (
        "general",
        True,
        False,
    )
    assert client.conversations_info(channel="C0RANDOM")["channel"]["is_member"] is False
    assert error_of(client.conversations_info, channel="G0SECRET") == "channel_not_found"
    members = client.conversations_members(channel="C0GENERAL")["members"]
    assert members == ["U0BOB", "U0ALICE", "U0CAROL", "U0BOT"]
    assert error_of(client.conversations_history, channel="C0RANDOM") == "not_in_channel"


def test_files_upload_v2_shares_a_message(ls: LocalSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C0GENERAL", text="report")["ts"]
    answer = client.files_upload_v2(
        channel="C0GENERAL",
        content=b"a,b\n1,2\n",
        filename="report.csv",
        title="Report",
        initial_comment="here it is",
        thread_ts=parent,
    )
    file_id = answer["file"]["id"]
    [message] = ls.replies("general", parent)
    assert message.text == "here it is" and message.files[0]["id"] == file_id
    assert ls.file(file_id).content == b"a,b\n1,2\n"
    info = client.files_info(file=file_id)["file"]
    assert (info["name"], info["title"], info["size"]) == ("report.csv", "Report", 8)
    assert info["channels"] == ["C0GENERAL"]
    request = urllib.request.Request(  # noqa: S310 - the local server
        info["url_private"], headers={"Authorization": f"Bearer {TOKEN}"}
    )
    with urllib.request.urlopen(request) as download:  # noqa: S310
        assert download.read() == b"a,b\n1,2\n"
    assert error_of(client.files_info, file="F0NOPE") == "file_not_found"


def modal(title: str = "Leave", **extra: Any) -> dict[str, Any]:
    blocks = [
        {
            "type": "input",
            "block_id": "reason",
            "label": {"type": "plain_text", "text": "Why"},
            "element": {"type": "plain_text_input", "action_id": "text"},
        },
    ]
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": blocks,
        **extra,
    }


def test_views_open_push_update_and_triggers(ls: LocalSlack, client: WebClient, clock: Any) -> None:
    opened = client.views_open(trigger_id=ls.trigger("bob"), view=modal(callback_id="leave"))
    view = opened["view"]
    assert ls.view("bob") is not None and ls.view("bob").callback_id == "leave"  # type: ignore[union-attr]
    assert view["state"]["values"] == {
        "reason": {"text": {"type": "plain_text_input", "value": None}}
    }

    stale = ls.trigger("bob")
    clock.advance(3.5)
    assert error_of(client.views_open, trigger_id=stale, view=modal()) == "expired_trigger_id"
    assert error_of(client.views_open, trigger_id="1.2.3", view=modal()) == "invalid_trigger_id"
    used = ls.trigger("bob")
    client.views_push(trigger_id=used, view=modal("Second"))
    assert error_of(client.views_push, trigger_id=used, view=modal()) == "exchanged_trigger_id"
    client.views_push(trigger_id=ls.trigger("bob"), view=modal("Third"))
    push = client.views_push
    assert error_of(push, trigger_id=ls.trigger("bob"), view=modal()) == "push_limit_reached"
    assert [v.title for v in ls.views("bob")] == ["Leave", "Second", "Third"]

    update = client.views_update
    assert error_of(update, view_id=view["id"], hash="stale", view=modal("New")) == "hash_conflict"
    updated = client.views_update(view_id=view["id"], hash=view["hash"], view=modal("New"))["view"]
    assert updated["id"] == view["id"] and updated["hash"] != view["hash"]
    assert ls.views("bob")[0].title == "New"
    assert error_of(update, view_id="V0NOPE", view=modal()) == "not_found"


def test_views_update_by_external_id_and_home(ls: LocalSlack, client: WebClient) -> None:
    client.views_open(trigger_id=ls.trigger("alice"), view=modal(external_id="req-1"))
    client.views_update(external_id="req-1", view=modal("Changed", external_id="req-1"))
    assert ls.view("alice").title == "Changed"  # type: ignore[union-attr]
    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
    }
    first = client.views_publish(user_id="U0ALICE", view=home)["view"]
    second = client.views_publish(user_id="U0ALICE", view=home)["view"]
    assert first["id"] == second["id"] and first["hash"] != second["hash"]
    assert ls.home("alice") is not None and ls.home("bob") is None
    bad = dict(home, type="modal")
    assert error_of(client.views_publish, user_id="U0ALICE", view=bad) == "invalid_arguments"


def test_view_validation(ls: LocalSlack, client: WebClient) -> None:
    def opening(view: dict[str, Any]) -> str:
        return error_of(client.views_open, trigger_id=ls.trigger("bob"), view=view)

    divider = {"type": "divider"}
    assert opening(dict(modal(), blocks=[divider] * 101)) == "invalid_arguments"
    assert opening(modal(private_metadata="x" * 3001)) == "invalid_arguments"
    no_submit = modal()
    del no_submit["submit"]
    assert opening(no_submit) == "invalid_arguments"
    assert opening(modal(title="x" * 25)) == "invalid_arguments"
    assert opening(dict(modal(), blocks=[{"type": "mystery"}])) == "invalid_arguments"
    ok = client.views_open(trigger_id=ls.trigger("bob"), view=modal(private_metadata="x" * 3000))
    assert ok["ok"]
