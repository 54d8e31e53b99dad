"""The page's server without a browser: state, actions as signed requests, files, events."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_bolt import App

from localslack import LocalSlack
from localslack.records import FileRecord
from localslack.web import WebUI

from . import bolt_app
from .conftest import Inbox


@pytest.fixture
def web(ls: LocalSlack) -> Iterator[WebUI]:
    with WebUI(ls, profiles={"U0BOB": "Operations · English"}) as ui:
        yield ui


def get(ui: WebUI, path: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(ui.url + path, timeout=5) as answer:  # noqa: S310 - loopback
            return answer.status, answer.read(), answer.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), ""


def post(
    ui: WebUI, action: str, body: dict[str, Any], headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    headers = {"X-Requested-By": "procedo"} if headers is None else headers
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{ui.url}api/{action}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw.startswith(b"{") else {"text": raw.decode()}


def test_the_page_and_its_assets_are_served(web: WebUI) -> None:
    status, page, kind = get(web, "")
    assert status == 200 and b'src="/static/app.js"' in page and kind.startswith("text/html")
    for asset in ("app.js", "blocks.js", "mrkdwn.js", "emoji.js", "parts.js", "style.css"):
        assert get(web, f"static/{asset}")[0] == 200
    assert get(web, "static/..%2Fserver.py")[0] == 404


@pytest.mark.late_acks  # the approve listener answers through response_url after its ack
def test_a_command_and_a_click_are_what_a_test_driver_sends(
    ls: LocalSlack, web: WebUI, bot: Callable[[App], str]
) -> None:
    inbox = Inbox()
    bot(bolt_app.build(inbox, ls=ls))
    status, answer = post(
        web,
        "command",
        {"user": "U0BOB", "channel": "C0GENERAL", "command": "/procedo", "text": "post"},
    )
    assert status == 200 and answer["ok"]
    card = ls.wait_message("C0GENERAL", contains="Leave request")
    status, state_json, _ = get(web, "api/state?user=U0BOB")
    state = json.loads(state_json)
    listed = state["messages"]["C0GENERAL"]
    assert listed[-1]["ts"] == card.ts and listed[-1]["blocks"] == card.blocks
    assert (
        next(u for u in state["users"] if u["id"] == "U0BOB")["profile"] == "Operations · English"
    )
    block_id = card.blocks[1]["block_id"]
    click = {
        "user": "U0BOB",
        "channel": "C0GENERAL",
        "ts": card.ts,
        "block_id": block_id,
        "action_id": "approve",
    }
    status, answer = post(web, "click", click)
    assert status == 200 and answer["ok"]
    assert inbox.wait("approve")["user"]["id"] == "U0BOB"
    ls.wait_message("C0GENERAL", contains="Approved by <@U0BOB>")


def test_a_modal_the_client_would_not_submit_gets_its_errors_and_sends_nothing(
    ls: LocalSlack, web: WebUI, bot: Callable[[App], str]
) -> None:
    inbox = Inbox()
    bot(bolt_app.build(inbox, ls=ls))
    post(
        web,
        "command",
        {"user": "U0BOB", "channel": "C0GENERAL", "command": "/procedo", "text": "twins"},
    )
    ls.wait_view("bob", callback_id="twins")
    status, answer = post(
        web, "submit", {"user": "U0BOB", "values": {"first": "x", "second": None}}
    )
    assert status == 200 and answer["problems"] == {"second": "'Second' is required"}
    view = ls.view("bob")
    assert view is not None and view.errors == {"second": "'Second' is required"}
    status, answer = post(web, "submit", {"user": "U0BOB", "values": {"second": "y"}})
    assert answer["ok"] and ls.view("bob") is None
    values = inbox.wait("twins")["view"]["state"]["values"]  # the only submission sent
    assert values["first"]["value"]["value"] == "x" and values["second"]["value"]["value"] == "y"


def test_files_download_and_unknown_people_are_refused(ls: LocalSlack, web: WebUI) -> None:
    record = FileRecord(
        id="F1",
        name="risks.csv",
        title="risks",
        user=ls.bot_user_id,
        mimetype="text/csv",
        size=4,
        content=b"a,b\n",
        created=ls.ws.now(),
        uploaded=True,
    )
    ls.ws.put_file(record)
    assert get(web, "files/F1/risks.csv?download=1")[:2] == (200, b"a,b\n")
    assert get(web, "files/F9/x")[0] == 404
    assert get(web, "api/state?user=nobody")[0] == 404
    assert (
        post(
            web, "command", {"user": "nobody", "channel": "C0GENERAL", "command": "/x", "text": ""}
        )[0]
        == 400
    )


def test_the_event_stream_says_each_new_version(ls: LocalSlack, web: WebUI) -> None:
    with urllib.request.urlopen(web.url + "api/events", timeout=5) as stream:  # noqa: S310 - loopback
        first = stream.readline().decode()
        assert first == f"data: {ls.ws.version}\n"
        stream.readline()
        ls.ws.add_message("C0GENERAL", "U0BOB", "hello")
        assert stream.readline().decode() == f"data: {ls.ws.version}\n"


def test_other_sites_cannot_act_through_the_page(
    ls: LocalSlack, web: WebUI, bot: Callable[[App], str]
) -> None:
    inbox = Inbox()
    bot(bolt_app.build(inbox, ls=ls))
    command = {"user": "U0BOB", "channel": "C0GENERAL", "command": "/procedo", "text": "post"}
    # A form posted from another page cannot set the header; a rebound name is not this host.
    assert post(web, "command", command, headers={})[0] == 403
    rebound = {"X-Requested-By": "procedo", "Host": "evil.example:80"}
    assert post(web, "command", command, headers=rebound)[0] == 403
    assert ls.messages("C0GENERAL") == [] and inbox.all("command") == []
