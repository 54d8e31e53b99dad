"""Issue 14.11: "about one post a second per channel" holds across processes and retries.

Two processes post to one channel through the app's delivery path against PostgreSQL: no two
attempts (a retry of a 500 included) reach Slack closer than the pace. Before slots lived in
the database each process paced alone (posts ~0 s apart), and slack_sdk's retry of a 500 went
out after its 0.25–0.5 s back-off without waiting for the channel.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from localslack import LocalSlack
from store.db import Sessions
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[2]
CHANNEL = "C0PACED"
PER_PROCESS = 3


def post_from_two_processes(db_url: str, ls: LocalSlack) -> list[float]:
    """Start two posting processes at one instant; the times Slack saw each attempt."""
    start = time.time() + 3.0  # both have imported and connected by then
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.post_worker",
                db_url,
                ls.api_url,
                CHANNEL,
                str(PER_PROCESS),
                str(start),
                f"process-{n}",
            ],
            cwd=ROOT,
            env=env,
        )
        for n in range(2)
    ]
    for worker in workers:
        assert worker.wait(timeout=60) == 0
    return sorted(
        call.at.timestamp()
        for call in ls.calls("chat.postMessage")
        if call.args.get("channel") == CHANNEL
    )


@pytest.fixture
def slack(sessions: Sessions) -> LocalSlack:
    assert sessions.dialect == "postgresql"  # several posting processes share PostgreSQL
    ls = LocalSlack(signing_secret=SIGNING_SECRET, bot_token=BOT_TOKEN).start()
    ls.add_channel(CHANNEL, "paced")
    return ls


def assert_paced(times: list[float]) -> None:
    """Slots are a second apart; a post can leave its slot late (a loaded machine's scheduling
    jitter, seen up to ~0.4 s) but never early, so one gap may shrink by that much while the
    one before it grows. So: no gap under 0.4 s, any two consecutive gaps at least 1.5 s, and a
    second per post overall. Unpaced, gaps alternated ~0.04 s and ~0.95 s; a retry that took
    no slot came 0.16-0.4 s after the attempt before it."""
    gaps = [round(b - a, 3) for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.4, f"attempts on one channel {min(gaps)} s apart: {gaps}"
    pairs = [round(a + b, 3) for a, b in itertools.pairwise(gaps)]
    assert min(pairs) >= 1.5, f"three attempts within {min(pairs)} s: {gaps}"
    assert times[-1] - times[0] >= 0.95 * len(gaps), f"faster than one a second: {gaps}"


@pytest.mark.postgres
def test_two_posting_processes_keep_one_pace_per_channel(db_url: str, slack: LocalSlack) -> None:
    try:
        times = post_from_two_processes(db_url, slack)
    finally:
        slack.stop()
    assert len(times) == 2 * PER_PROCESS
    assert_paced(times)


@pytest.mark.postgres
def test_a_retried_post_takes_a_slot(db_url: str, slack: LocalSlack) -> None:
    slack.inject("chat.postMessage", "500", times=2)  # each process's first attempt, say
    try:
        times = post_from_two_processes(db_url, slack)
    finally:
        slack.stop()
    assert len(times) == 2 * PER_PROCESS + 2  # the two 500s were retried by slack_sdk
    assert_paced(times)
