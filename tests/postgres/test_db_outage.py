"""Issue 14.9: a database that stops answering (a partition, not a refused port) must not hold
acks once it is back, and a backlog of due jobs must never hold the ack path.

The app reaches PostgreSQL through a proxy that goes silent for a while, with the clock
ticking in the same process over a backlog of due posts, while `/procedo help` arrives from
three users without pause. Every ack is inside Slack's 3 s before the cut, and again from 5 s
after the database is back; every request is answered.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from sqlalchemy.engine import make_url

from handlers.outbox import Post, schedule_posts
from procedures.clock import SystemClock
from store.db import Sessions, make_sessions
from tests.support.harness import Harness, start_harness
from tests.support.tcp_proxy import PartitionProxy

ACK_DEADLINE = 3.0
BACK_WITHIN = 5.0
BEFORE, CUT, AFTER = 6.0, 8.0, 12.0  # seconds of traffic around and during the partition


@pytest.fixture
def proxied(db_url: str, sessions: Sessions) -> Iterator[tuple[Harness, PartitionProxy]]:
    assert sessions.dialect == "postgresql"
    parsed = urlsplit(db_url)
    proxy = PartitionProxy((parsed.hostname or "127.0.0.1", parsed.port or 5432)).start()
    url = make_url(db_url).set(host="127.0.0.1", port=proxy.port)
    url_text = url.render_as_string(hide_password=False)
    # As the running app builds them (bot.settings defaults): timeouts on connect and statements.
    through = make_sessions(url_text, connect_timeout=5, statement_timeout=30)
    h = start_harness(url_text, through, clock=SystemClock())
    yield h, proxy
    proxy.restore()
    h.close()
    proxy.stop()


@pytest.mark.postgres
@pytest.mark.late_acks
def test_acks_recover_from_a_database_partition_with_a_backlog(
    proxied: tuple[Harness, PartitionProxy],
) -> None:
    h, proxy = proxied
    channels = [f"C0BACKLOG{n}" for n in range(40)]
    for channel in channels:
        h.ls.add_channel(channel, channel.lower())
    # A backlog the clock (ticking in this process) works through the whole time.
    schedule_posts(h.deps, [Post(channels[n % 40], f"backlog {n}") for n in range(1500)])

    results: list[tuple[float, float, int]] = []  # (sent at, seconds to ack, status)
    stop = threading.Event()
    lock = threading.Lock()

    def user(name: str) -> None:
        driver = h.as_(name)
        while not stop.is_set():
            sent = time.monotonic()
            response = driver.command("/procedo", "help", channel="general")
            with lock:
                results.append((sent, time.monotonic() - sent, response.status))
            time.sleep(0.2)

    users = [threading.Thread(target=user, args=(n,)) for n in ("alice", "bob", "carol")]
    for thread in users:
        thread.start()
    time.sleep(BEFORE)
    cut_at = time.monotonic()
    proxy.cut()
    time.sleep(CUT)
    back_at = time.monotonic()
    proxy.restore()
    time.sleep(AFTER)
    stop.set()
    for thread in users:
        thread.join(timeout=60)

    assert all(not thread.is_alive() for thread in users), "a request never got an answer"
    # While the database is silent Slack may give up on an ack (localslack answers 404 then,
    # as Slack shows the user an error); outside that window every ack is a 200 within 3 s.
    timeline = [(round(sent - cut_at, 1), round(took, 2), status) for sent, took, status in results]
    before = [(took, status) for sent, took, status in results if sent + took < cut_at]
    after = [(took, status) for sent, took, status in results if sent >= back_at + BACK_WITHIN]
    assert len(before) > 10 and len(after) > 10, timeline
    assert all(status == 200 and took <= ACK_DEADLINE for took, status in before), timeline
    late = sorted(
        (round(took, 1), status) for took, status in after if took > ACK_DEADLINE or status != 200
    )
    assert not late, f"{len(late)} acks over {ACK_DEADLINE} s from {BACK_WITHIN} s after: {late}"
