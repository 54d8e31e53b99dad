"""The clock seen by admins: dead jobs are reported and retried from /procedo jobs; the real
`procedo clock` process ticks with APScheduler and delivers queued messages."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from handlers.outbox import Post, schedule_posts
from procedures.clock import SystemClock
from store import jobs
from store.models import Job
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET, Harness

ROOT = Path(__file__).resolve().parents[2]


def test_a_dead_job_is_reported_to_bot_admins_and_can_be_retried(harness: Harness) -> None:
    h = harness
    # The channel does not exist: Slack answers channel_not_found, which no retry can fix.
    schedule_posts(h.deps, [Post("C0MISSING", "lost cause", key="admin-test")])
    h.tick()
    alert = h.ls.wait_dm("dan", contains="channel_not_found")
    assert "slack.post" in h.ls.text_of(alert)

    # Only bot admins may look.
    h.as_("alice").command("/procedo", "jobs", channel="general")
    assert h.ls.wait_ephemeral("alice", contains="Only Procedo bot admins")

    dan = h.as_("dan")
    dan.command("/procedo", "jobs", channel="general")
    view = h.ls.wait_ephemeral("dan", contains="channel_not_found")
    assert "dead 1" in h.ls.text_of(view)

    # The channel appears; Retry queues it again and the clock delivers it.
    h.ls.add_channel("C0MISSING", "missing", members=["dan"])
    dan.click("重试")
    h.ls.wait_ephemeral("dan", contains="已重新排队")
    h.tick()
    assert [m.text for m in h.ls.messages("C0MISSING")] == ["lost cause"]
    with h.sessions.begin() as session:
        posts = session.scalars(select(Job.state).where(Job.kind == "slack.post")).all()
    assert sorted(posts) == ["done", "done"]  # the post and the alert DM


def test_a_non_admin_cannot_retry(harness: Harness) -> None:
    h = harness
    schedule_posts(h.deps, [Post("C0MISSING", "x", key="k")])
    h.tick()
    h.as_("dan").command("/procedo", "jobs", channel="general")
    h.ls.wait_ephemeral("dan", contains="channel_not_found")
    # Erin replays Dan's button (e.g. a forwarded payload): refused and audited.
    retry = next(
        element
        for block in h.ls.ephemerals("dan")[-1].blocks
        if (element := block.get("accessory")) and element.get("action_id") == "jobs.retry"
    )
    h.as_("erin").click(
        action_id="jobs.retry", message=h.ls.ephemerals("dan")[-1], value=retry["value"]
    )
    h.ls.wait_ephemeral("erin", contains="Only Procedo bot admins")
    with h.sessions.begin() as session:
        assert jobs.state_counts(session).get("dead") == 1


def test_the_clock_process_ticks_and_delivers(harness: Harness, db_url: str) -> None:
    h = harness
    # Due now on the wall clock: the subprocess runs on real time.
    with h.sessions.begin() as session:
        now = SystemClock().now()
        jobs.schedule(
            session,
            kind="slack.post",
            due_at=now - timedelta(seconds=1),
            now=now,
            payload={"channel": "C0GENERAL", "text": "from the clock process", "blocks": []},
        )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": h.ls.api_url,
        "DATABASE_URL": db_url,
        "PROCEDO_TICK_SECONDS": "0.2",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "clock"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        h.ls.wait_message("C0GENERAL", contains="from the clock process", timeout=20)
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "job kind=slack.post" in err and "outcome=done" in err
