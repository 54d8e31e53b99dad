"""Delivery that loses nothing: with Slack answering 429, 500 and timeouts to ~30 % of posts,
every message arrives exactly once, and posts to one channel stay about a second apart."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from handlers.outbox import Post, schedule_posts
from store import jobs
from store.db import Sessions
from store.models import Job
from tests.support.harness import Harness, start_harness

CHANNELS = ("C0GENERAL", "C0RANDOM", "C0ANNOUNCE", "C0APPROVALS")


@pytest.fixture
def fast_timeout_harness(db_url: str, sessions: Sessions) -> Iterator[Harness]:
    h = start_harness(db_url, sessions, settings={"PROCEDO_SLACK_TIMEOUT": 0.3})
    yield h
    h.close()


def test_every_message_is_delivered_once_and_paced(fast_timeout_harness: Harness) -> None:
    h = fast_timeout_harness
    h.ls.channel_rate_limit(per_second=1.0, burst=1)
    h.ls.inject("chat.postMessage", "429", probability=0.1, seed=1, retry_after=3)
    h.ls.inject("chat.postMessage", "500", probability=0.12, seed=2)
    h.ls.inject("chat.postMessage", "timeout", probability=0.1, seed=3, delay=0.6)

    posts = [
        Post(CHANNELS[n % len(CHANNELS)], f"message {n:02d}", key=f"delivery-test:{n}")
        for n in range(40)
    ]
    schedule_posts(h.deps, posts)
    schedule_posts(h.deps, posts[:10])  # queued twice by mistake: the keys keep it once

    for _ in range(200):
        h.tick()
        with h.sessions.begin() as session:
            left = jobs.counts(session, h.clock.now() + timedelta(days=1))
        if not left["due"] and not left["running"]:
            break
        h.advance(timedelta(seconds=30), tick=False)
    with h.sessions.begin() as session:
        states = session.scalars(select(Job.state).where(Job.kind == "slack.post")).all()
    assert Counter(states) == {"done": 40}

    delivered = Counter(
        message.text
        for channel in CHANNELS
        for message in h.ls.messages(channel)
        if message.text.startswith("message ")
    )
    assert delivered == Counter(post.text for post in posts)

    faults = Counter(call.status for call in h.ls.calls("chat.postMessage") if not call.ok)
    assert faults[429] and faults[500] and faults[0]  # 0: the call timed out

    sent_at: dict[str, list[datetime]] = defaultdict(list)
    for call in h.ls.calls("chat.postMessage"):
        if call.ok:
            sent_at[call.args["channel"]].append(call.at)
    for channel, times in sent_at.items():
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
        assert min(gaps) >= 0.99, f"{channel} got two posts {min(gaps)}s apart"
