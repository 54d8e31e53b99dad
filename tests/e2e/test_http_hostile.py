"""Hostile HTTP: before a request is verified nothing reaches the network, the database or the
log beyond one WARNING line; malformed bodies are 400/401/413, never a traceback or a 500."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import io
import json
import logging
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from bot.web import WebApp
from store.models import AuditEntry, ProcessedEvent, UserProfile
from tests.support.harness import SIGNING_SECRET, Harness


def post(
    h: Harness,
    body: bytes,
    content_type: str = "application/x-www-form-urlencoded",
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310 - loopback
        h.events_url, body, {"Content-Type": content_type, **(headers or {})}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def signed(body: bytes, timestamp: str | None = None) -> dict[str, str]:
    ts = timestamp or str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest.hexdigest()}


def rows(h: Harness) -> tuple[int, int, int]:
    with h.sessions.begin() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (AuditEntry, ProcessedEvent, UserProfile)
        )


def action_body(h: Harness, **changes: object) -> bytes:
    """A block_actions payload naming a response_url on localslack (which records any POST)."""
    payload: dict[str, object] = {
        "type": "block_actions",
        "user": {"id": h.uid("alice")},
        "team": {"id": "T0LOCAL"},
        "channel": {"id": "C0GENERAL"},
        "trigger_id": "1.2.3",
        "response_url": f"{h.ls.url}/response/hostile",
        "actions": [{"action_id": "request.withdraw", "value": "1", "type": "button"}],
        **changes,
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


@pytest.mark.parametrize("timestamp", ["abc", "", "123.5", "-1", "1e9", "0x10", "9" * 40])
def test_malformed_signing_headers_are_401_and_touch_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture, timestamp: str
) -> None:
    h = harness
    before, calls = rows(h), len(h.ls.calls())
    body = action_body(h)
    with caplog.at_level(logging.DEBUG):
        status, _ = post(
            h, body, headers={"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=x"}
        )
    assert status == 401
    time.sleep(0.2)  # anything the bot did on a thread would be visible by now
    assert len(h.ls.calls()) == calls  # not the response_url, not users.info, nothing
    assert rows(h) == before
    noisy = [
        r
        for r in caplog.records
        if r.levelno >= logging.INFO and r.name.startswith(("procedo", "slack"))
    ]
    assert [r.levelname for r in noisy] == ["WARNING"], [r.getMessage() for r in noisy]
    assert not any(r.exc_info for r in caplog.records)


@pytest.mark.parametrize(
    ("name", "body", "content_type"),
    [
        ("not-utf8", b"payload=\xff\xfe\xfa", "application/x-www-form-urlencoded"),
        ("not-json", b"{not json", "application/json"),
        ("json-array", b"[1, 2, 3]", "application/json"),
        ("payload-not-object", b"payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
        ("payload-not-json", b"payload=%7Bnope", "application/x-www-form-urlencoded"),
        ("deep", b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}", "application/json"),
        (
            "view-without-type",
            b"payload=%7B%22type%22%3A%22view_submission%22%2C%22view%22%3A%7B%7D%7D",
            "application/x-www-form-urlencoded",
        ),
        (
            "view-missing",
            b"payload=%7B%22type%22%3A%22view_closed%22%7D",
            "application/x-www-form-urlencoded",
        ),
    ],
)
def test_malformed_bodies_are_refused_cleanly(
    harness: Harness, caplog: pytest.LogCaptureFixture, name: str, body: bytes, content_type: str
) -> None:
    h = harness
    before, calls = rows(h), len(h.ls.calls())
    for headers in ({}, signed(body)):  # unsigned: 401; signed but malformed: 400
        with caplog.at_level(logging.DEBUG):
            status, answer = post(h, body, content_type, headers)
        assert status == (400 if headers else 401), (name, status, answer)
        assert b"Traceback" not in answer
    assert rows(h) == before
    assert len(h.ls.calls()) == calls
    assert not any(r.levelno >= logging.ERROR or r.exc_info for r in caplog.records), name


def test_signed_block_actions_without_actions_is_400(harness: Harness) -> None:
    h = harness
    calls = len(h.ls.calls())
    for actions in ([], None, [1], "x"):
        body = action_body(h, actions=actions)
        status, _ = post(h, body, headers=signed(body))
        assert status == 400, actions
    time.sleep(0.2)
    assert len(h.ls.calls()) == calls


def test_a_body_over_one_megabyte_is_413(harness: Harness) -> None:
    h = harness
    before = len(h.ls.calls())
    # Announced as too big: refused before a byte of it is read.
    host, port = h.server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.putrequest("POST", "/slack/events")
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(5 * 1024 * 1024))
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()
    # Sent without a length (chunked, or a server that does not say): read up to the cap.
    body = b"payload=" + b"x" * (1024 * 1024)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "wsgi.input": io.BytesIO(body),
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed(body).items()},
    }
    statuses: list[str] = []
    WebApp(h.app)(environ, lambda status, _headers: statuses.append(status))
    assert statuses == ["413 Payload Too Large"]
    assert len(h.ls.calls()) == before


def test_a_good_request_still_works_after_the_gate(harness: Harness) -> None:
    h = harness
    h.as_("alice").command("/procedo", "whoami", channel="general")
    assert h.ls.wait_ephemeral("alice", contains="Operations")
