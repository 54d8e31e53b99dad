"""The HTTP contract: signatures, /healthz, event retries, and the one error handler."""

from __future__ import annotations

import json
import logging
import re
import socket
import time
import urllib.request

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from store import profiles
from store.db import make_sessions
from tests.support.harness import Harness


def get(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.parametrize("sign", ["bad", "stale", "missing"])
def test_a_request_without_a_good_signature_is_refused_and_runs_nothing(
    harness: Harness, sign: str
) -> None:
    alice = harness.as_("alice")
    response = alice.command("/procedo", "language zh", channel="general", sign=sign)  # type: ignore[arg-type]
    assert response.status == 401
    # A good request afterwards is answered, and the refused one left no trace.
    alice.command("/procedo", "language", channel="general")
    assert harness.ls.wait_ephemeral("alice", contains="from your Slack settings")
    with harness.sessions.begin() as session:
        row = profiles.get(session, harness.uid("alice"))
        assert row is None or row.language is None
    assert len(harness.ls.ephemerals("alice")) == 1


def test_healthz_reports_the_database_and_the_clock(harness: Harness) -> None:
    status, body = get(f"{harness.server.url}/healthz")
    assert status == 200
    assert body["status"] == "ok"
    assert body["jobs"] == {"due": 0, "running": 0, "late": 0, "dead": 0}


def test_healthz_says_whether_slack_answers_and_stays_200_while_it_does_not(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    assert get(f"{harness.server.url}/healthz")[1]["slack"] == "unknown"  # not checked yet
    harness.ls.inject("auth.test", "reset", times=None)  # the connection drops: no answer
    health = harness.app.slack_health
    health.delays = (0.02,)
    try:
        with caplog.at_level(logging.INFO, logger="procedo.slack_health"):
            health.start()
            harness.ls.wait_for(lambda: len(harness.ls.calls("auth.test")) >= 3)
            status, body = get(f"{harness.server.url}/healthz")
            assert (status, body["database"], body["slack"]) == (200, "up", "unreachable")
            assert body["slack_error"]
            harness.ls.clear_faults()
            assert health.wait_reachable(timeout=5)
    finally:
        health.stop()
    status, body = get(f"{harness.server.url}/healthz")
    assert (status, body["slack"]) == (200, "reachable")
    assert "slack_error" not in body
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage().split(" (")[0] for r in warnings] == ["Slack is unreachable"]
    assert not any(r.exc_info for r in caplog.records)  # a line, not a traceback


def test_a_refused_token_is_told_apart_from_slack_being_away(harness: Harness) -> None:
    health = harness.app.slack_health
    harness.ls.inject("auth.test", "error", error="invalid_auth")
    assert health.check() == "refused"
    assert health.report() == {"slack": "refused", "slack_error": "invalid_auth"}
    harness.ls.inject("auth.test", "500")
    assert health.check() == "unreachable"
    assert health.check() == "reachable"


def test_healthz_is_503_when_the_database_is_down(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    unreachable = make_sessions("postgresql://nobody@127.0.0.1:9/none", pool_pre_ping=False)
    monkeypatch.setattr(harness.deps, "sessions", unreachable)
    status, body = get(f"{harness.server.url}/healthz")
    assert status == 503
    assert body["database"] == "down"
    assert "slack" in body


def test_unknown_paths_and_methods(harness: Harness) -> None:
    status, _ = get(f"{harness.server.url}/nope")
    assert status == 404
    status, _ = get(f"{harness.events_url}")
    assert status == 405


def test_an_unexpected_failure_gives_the_user_a_ref_that_is_in_the_log(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(*_: object) -> list[str]:
        raise RuntimeError("database exploded")

    monkeypatch.setattr("store.directory.Directory.roles_of", explode)
    with caplog.at_level(logging.ERROR, logger="procedo.errors"):
        harness.as_("alice").command("/procedo", "whoami", channel="general")
        reply = harness.ls.wait_ephemeral("alice", contains="Something went wrong")
    text = harness.ls.text_of(reply)
    assert "database exploded" not in text and "Traceback" not in text
    ref = re.search(r"ref ([A-Z0-9]{6})", text)
    assert ref is not None
    assert any(ref.group(1) in record.getMessage() for record in caplog.records)


def test_a_retried_event_is_handled_once(harness: Harness) -> None:
    bob = harness.uid("bob")
    body = json.dumps(
        {
            "token": "unused",
            "team_id": "T0LOCAL",
            "api_app_id": "A0LOCAL",
            "type": "event_callback",
            "event_id": "Ev0RETRIED",
            "event_time": 1795000000,
            "event": {"type": "app_home_opened", "user": bob, "channel": "D0BOB", "tab": "home"},
        }
    )
    assert harness.ls.send_signed(body, "application/json").status == 200
    harness.ls.wait_home("bob")
    # Slack redelivers the same event_id when it thinks we missed it: acked, not run again.
    retry = harness.ls.send_signed(
        body,
        "application/json",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert retry.status == 200
    # A fresh event after the retry is handled, so the retry had its chance to publish too.
    harness.as_("bob").open_home()
    harness.ls.wait_for(lambda: len(harness.ls.calls("views.publish")) >= 2)
    assert len(harness.ls.calls("views.publish")) == 2


def test_healthz_is_503_within_two_seconds_when_the_database_hangs(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A "database" that accepts the connection and then never says a word.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    try:
        hanging = make_sessions(
            f"postgresql://nobody@127.0.0.1:{port}/none", pool_pre_ping=False, connect_timeout=10
        )
        monkeypatch.setattr(harness.deps, "sessions", hanging)
        started = time.monotonic()
        status, body = get(f"{harness.server.url}/healthz")
        elapsed = time.monotonic() - started
        assert status == 503 and body["database"] == "timeout", body
        assert elapsed < 2.0, elapsed
    finally:
        silent.close()


def test_database_timeouts_are_settings_with_defaults() -> None:
    from bot.settings import SettingsError, load_settings

    base = {"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s"}
    settings = load_settings(**base)
    assert (settings.db_connect_timeout, settings.db_statement_timeout) == (5.0, 30.0)
    with pytest.raises(SettingsError, match="PROCEDO_DB_STATEMENT_TIMEOUT"):
        load_settings(**base, PROCEDO_DB_STATEMENT_TIMEOUT="-1")
    with pytest.raises(SettingsError, match="PROCEDO_DB_CONNECT_TIMEOUT"):
        load_settings(**base, PROCEDO_DB_CONNECT_TIMEOUT="0")


def test_connecting_to_a_silent_database_gives_up_at_the_connect_timeout() -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        url = f"postgresql://nobody@127.0.0.1:{silent.getsockname()[1]}/none"
        engine = make_sessions(url, pool_pre_ping=False, connect_timeout=2).engine
        started = time.monotonic()
        with pytest.raises(OperationalError):
            engine.connect().close()
        assert time.monotonic() - started < 5
    finally:
        silent.close()


@pytest.mark.postgres
def test_a_statement_over_the_statement_timeout_is_cancelled(db_url: str) -> None:
    engine = make_sessions(db_url, statement_timeout=0.3).engine
    try:
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"), engine.connect() as c:
            c.execute(text("SELECT pg_sleep(3)"))
        assert time.monotonic() - started < 2
    finally:
        engine.dispose()
