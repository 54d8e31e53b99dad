"""The command line: migrate, parse-date, and `procedo serve` under gunicorn for real."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from bot.cli import main
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET, Harness

ROOT = Path(__file__).resolve().parents[2]


def test_migrate_then_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    assert main(["migrate"]) == 0
    assert "migrated empty → 0008" in capsys.readouterr().out
    assert main(["migrate"]) == 0
    assert "already up to date (revision 0008)" in capsys.readouterr().out


def test_parse_date_follows_its_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["parse-date", "12月1日下午到12月3日上午", "--now", "2026-11-21T10:00:00+08:00"]) == 0
    )
    assert json.loads(capsys.readouterr().out) == {
        "start": "2026-12-01",
        "end": "2026-12-03",
        "start_half": "pm",
        "end_half": "am",
    }
    assert (
        main(
            [
                "parse-date",
                "friday 3pm",
                "--now",
                "2026-11-21T10:00:00+08:00",
                "--tz",
                "Asia/Shanghai",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["start"] == "2026-11-27T15:00:00+08:00"
    assert main(["parse-date", "blorp"]) == 1
    assert "error" in json.loads(capsys.readouterr().out)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_runs_under_gunicorn(harness: Harness, db_url: str) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": harness.ls.api_url,
        "DATABASE_URL": db_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PROCEDO_WEB_THREADS": "4",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        # gunicorn says where it listens, then each worker boots: read until one has.
        listening = []
        for line in server.stderr:
            if "Listening at" in line:
                listening.append(line)
            if "Booting worker" in line:
                break
        assert listening and f"http://127.0.0.1:{port}" in listening[0]  # HOST is honoured
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
            assert json.loads(answer.read())["status"] == "ok"
        harness.ls.bot_events_url = f"http://127.0.0.1:{port}/slack/events"
        harness.as_("alice").command("/procedo", "whoami", channel="general")
        harness.ls.wait_ephemeral("alice", contains="Your approver", timeout=15)
        bad = harness.as_("alice").command("/procedo", "help", channel="general", sign="bad")
        assert bad.status == 401
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


@pytest.mark.postgres
def test_migrate_accepts_a_postgres_scheme_url(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url.replace("postgresql://", "postgres://", 1))
    assert main(["migrate"]) == 0
    assert "already up to date" in capsys.readouterr().out
