"""Issue 14.12: a second clock on one SQLite file is refused with a clear message (it would
claim and deliver every due job twice); the lock goes with the clock that held it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import create_clock
from scheduler.single import ClockAlreadyRunning
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET, Harness


@pytest.fixture
def sqlite_harness(harness: Harness) -> Harness:
    if harness.sessions.dialect != "sqlite":
        pytest.skip("PostgreSQL runs any number of clocks")
    return harness


def test_a_second_clock_on_one_sqlite_file_is_refused(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    first, second = create_clock(h.app), create_clock(h.app)
    first.start_background(60)
    try:
        with pytest.raises(ClockAlreadyRunning, match="already running") as refused:
            second.start_background(60)
        assert "PostgreSQL" in str(refused.value) and f"pid {os.getpid()}" in str(refused.value)
    finally:
        first.stop()
    second.start_background(60)  # the first let go: now the second may run
    second.stop()


def test_procedo_clock_refuses_to_start_beside_a_running_clock(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    running = create_clock(h.app)
    running.start_background(60)
    try:
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": h.ls.api_url,
            "DATABASE_URL": str(h.sessions.engine.url),
        }
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli", "clock"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).resolve().parents[2],
            check=False,
        )
    finally:
        running.stop()
    assert result.returncode == 5, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("procedo: another procedo clock is already running"), result.stderr
    assert "Traceback" not in result.stderr
