"""Mention injection: user text that reaches Slack must never ping a channel or render as a
disguised link. `HOSTILE` is what a user types; `assert_no_injection(ls)` scans everything the
bot posted, updated, answered ephemerally or put in a view, in whatever Slack renders as
mrkdwn (message text, mrkdwn text objects, file comments), for the tokens only unescaped user
text could have produced.

Use it in every procedure's tests: push `HOSTILE` through each free-text field, reason,
comment and title, then call `assert_no_injection(h.ls)`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from localslack import LocalSlack

HOSTILE = "<!channel> <!here> <!everyone> <http://evil.example|click> <https://evil.example>"
# Tokens the bot itself never sends: any of them in what it sent came from user text.
FORBIDDEN = ("<!channel", "<!here", "<!everyone", "<!subteam", "<http://evil", "<https://evil")

_MESSAGES = ("chat.postMessage", "chat.update", "chat.postEphemeral", "chat.scheduleMessage")
_VIEWS = ("views.open", "views.update", "views.push", "views.publish")
_FILES = ("files.upload", "files.completeUploadExternal", "files.uploadV2")


def _decoded(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _mrkdwn(node: Any) -> Iterator[str]:
    """Every text Slack would render as mrkdwn in a block tree (plain_text is shown as is)."""
    if isinstance(node, list):
        for item in node:
            yield from _mrkdwn(item)
    elif isinstance(node, dict):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            yield node["text"]
        for key, value in node.items():
            if key != "text" or isinstance(value, (dict, list)):
                yield from _mrkdwn(value)


def rendered(ls: LocalSlack) -> Iterator[tuple[str, str]]:
    """(where, mrkdwn) for everything the bot sent to Slack."""
    for call in ls.calls():
        args = call.args
        if call.method in (*_MESSAGES, "response_url"):
            if isinstance(args.get("text"), str):
                yield call.method, args["text"]
            for key in ("blocks", "attachments"):
                for text in _mrkdwn(_decoded(args.get(key))):
                    yield f"{call.method} {key}", text
        elif call.method in _VIEWS:
            for text in _mrkdwn(_decoded(args.get("view"))):
                yield call.method, text
        elif call.method in _FILES and isinstance(args.get("initial_comment"), str):
            yield call.method, args["initial_comment"]
    for user in ls.users():  # a slash command's HTTP answer is shown without an API call
        for ephemeral in ls.ephemerals(user.id):
            if ephemeral.via == "command_ack":
                yield "command ack", ephemeral.text
                for text in _mrkdwn(ephemeral.blocks):
                    yield "command ack blocks", text


def injections(ls: LocalSlack) -> list[str]:
    return [
        f"{where}: {text[:200]!r}"
        for where, text in rendered(ls)
        if any(token in text for token in FORBIDDEN)
    ]


def assert_no_injection(ls: LocalSlack) -> None:
    found = injections(ls)
    assert not found, "user text reached Slack unescaped:\n" + "\n".join(found)
