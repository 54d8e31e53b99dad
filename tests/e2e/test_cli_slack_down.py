"""Slack unreachable at start: `serve`, `clock` and `socket` start anyway, say so in one
WARNING line (no traceback), and `/healthz` reports it while answering 200."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.test_cli import free_port
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET, Harness

ROOT = Path(__file__).resolve().parents[2]


class Process:
    """A `procedo` subprocess whose stderr is read in a thread, so waits can time out."""

    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", command],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **env},
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.popen.stderr is not None
        for line in self.popen.stderr:
            self._queue.put(line)

    def wait_for(self, fragment: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.1)
            except queue.Empty:
                assert self.popen.poll() is None, "".join(self.lines)  # it must not die
                continue
            self.lines.append(line)
            if fragment in line:
                return line
        raise AssertionError(f"no {fragment!r} in:\n{''.join(self.lines)}")

    def stop(self) -> None:
        self.popen.send_signal(signal.SIGTERM)
        self.popen.wait(timeout=30)
        self._reader.join(timeout=5)
        while not self._queue.empty():
            self.lines.append(self._queue.get())


@pytest.fixture
def env(harness: Harness, db_url: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": "xapp-test",
        "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/",  # nothing listens there
        "DATABASE_URL": db_url,
        "PROCEDO_TICK_SECONDS": "0.2",
    }


def healthz(port: int) -> tuple[int, dict[str, object]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
        return answer.status, json.loads(answer.read())


def test_serve_starts_and_reports_slack_unreachable(env: dict[str, str]) -> None:
    port = free_port()
    server = Process("serve", {**env, "HOST": "127.0.0.1", "PORT": str(port)})
    try:
        warning = server.wait_for("Slack is unreachable")
        assert " WARNING " in warning
        status, body = healthz(port)
        assert (status, body["database"], body["slack"]) == (200, "up", "unreachable")
        assert "Connection refused" in str(body["slack_error"])
    finally:
        server.stop()
    assert not any("Traceback" in line for line in server.lines)


@pytest.mark.parametrize("command", ["clock", "socket"])
def test_clock_and_socket_start_and_say_slack_is_unreachable(
    command: str, env: dict[str, str]
) -> None:
    process = Process(command, env)
    try:
        process.wait_for("Slack is unreachable")
        time.sleep(0.5)  # a few clock ticks (or socket's wait) later it still runs
        assert process.popen.poll() is None
    finally:
        process.stop()
    said = "".join(process.lines)
    assert said.count("Slack is unreachable") == 1, said  # once, not once per retry
    assert " ERROR " not in said and "Traceback" not in said
