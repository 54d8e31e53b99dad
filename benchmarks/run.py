"""Repeatable performance measurements. Prints a table; never fails on a number.

    .venv/bin/python -m benchmarks.run [--postgres postgresql://postgres@127.0.0.1:5432/test]

What is measured, and the target each number is read against:
- ack latency of `/procedo help` through signed HTTP (Slack's deadline is 3 s; target p95 < 100 ms)
- a modal submission filing an expense, until its card is posted (target < 1 s)
- an approval click until the requester's DM arrives (target < 1 s)
- the clock: due jobs run per second by one process (target > 200/s on SQLite)
- the date parser after warm-up (target < 1 ms per expression)
- working days counted over a year (target < 5 ms)
- stock on hand derived from 100,000 ledger entries (all items < 200 ms; one item < 20 ms)
- resident memory of one process with the app built (target < 250 MB)

Slack is localslack on loopback and the clock is a fake one, so what is timed is Procedo's own
work (HTTP, Bolt, the database, rendering), not Slack's network or per-channel pacing.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

from benchmarks.supplies import bench_stock
from procedures import dates
from procedures.calendar import calendar_for
from procedures.clock import FakeClock
from scheduler.registry import JobRegistry
from scheduler.runner import Runner
from store import jobs
from store.db import Sessions, make_sessions
from tests.support import databases
from tests.support.approvals import file_expense, prompt_for
from tests.support.harness import Harness, start_harness

Row = tuple[str, str, str, str]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def fresh_sqlite(directory: Path) -> tuple[str, Sessions]:
    (directory / "template").mkdir()
    template = databases.make_sqlite_template(directory / "template")
    url = databases.sqlite_copy(template, directory)
    return url, make_sessions(url)


def bench_http(h: Harness) -> list[Row]:
    alice = h.as_("alice")
    alice.command("/procedo", "help", channel="general")  # warm
    samples = timed(lambda: alice.command("/procedo", "help", channel="general"), 200)
    return [
        (
            "/procedo help ack, p50",
            f"{statistics.median(samples):.1f} ms",
            "< 100 ms",
            "200 signed requests",
        ),
        ("/procedo help ack, p95", f"{percentile(samples, 0.95):.1f} ms", "< 100 ms", ""),
    ]


def _more_dms(h: Harness, before: int) -> bool:
    return len(h.ls.dm("alice")) > before


def bench_approval(h: Harness) -> list[Row]:
    filed: list[float] = []
    approved: list[float] = []
    for n in range(10):
        started = time.perf_counter()
        card = file_expense(h, "alice", str(100 + n))
        filed.append((time.perf_counter() - started) * 1000)
        prompt = prompt_for(h, card, f"<@{h.uid('bob')}>")
        before = len(h.ls.dm("alice"))
        started = time.perf_counter()
        h.as_("bob").click("Approve", message=prompt)
        h.ls.wait_for(partial(_more_dms, h, before))
        approved.append((time.perf_counter() - started) * 1000)
    return [
        (
            "file an expense → card posted, median",
            f"{statistics.median(filed):.0f} ms",
            "< 1 s",
            "modal submit, 10 runs",
        ),
        (
            "approve → requester told, median",
            f"{statistics.median(approved):.0f} ms",
            "< 1 s",
            "click to DM, 10 runs",
        ),
    ]


def bench_clock(sessions: Sessions, label: str, count: int = 2000) -> Row:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    with sessions.begin() as session:
        for n in range(count):
            jobs.schedule(
                session, kind="bench.noop", due_at=t0, now=t0, dedupe_key=f"bench:{label}:{n}"
            )
    registry = JobRegistry()
    registry.register("bench.noop", lambda job: None)
    runner = Runner(sessions, registry, FakeClock(t0), batch=100, workers=1)
    started = time.perf_counter()
    ran = runner.run_due(max_ticks=10_000)
    elapsed = time.perf_counter() - started
    return (
        f"clock: jobs run per second ({label})",
        f"{ran / elapsed:.0f}/s",
        "> 200/s",
        f"{ran} jobs, one process",
    )


def bench_dates() -> Row:
    dates.warm_up()
    now = datetime(2026, 11, 21, 10, tzinfo=UTC)
    texts = [
        "tomorrow afternoon",
        "dec 1-3",
        "12月1日下午到12月3日上午",
        "下周一至周三",
        "friday 3pm",
        "3天后",
    ]
    samples = timed(
        lambda: [dates.parse_when(text, now=now, tz="Asia/Shanghai") for text in texts], 200
    )
    per = statistics.median(samples) / len(texts)
    return (
        "date parser, per expression",
        f"{per * 1000:.0f} µs",
        "< 1 ms",
        "after warm-up, mixed en/zh",
    )


def bench_calendar() -> Row:
    calendar = calendar_for("CN")
    samples = timed(lambda: calendar.count(date(2026, 1, 1), date(2026, 12, 31)), 50)
    return (
        "working days over a year",
        f"{statistics.median(samples):.2f} ms",
        "< 5 ms",
        "CN, 2026",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", help="also measure the clock on this PostgreSQL URL")
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        url, sessions = fresh_sqlite(Path(tmp))
        h = start_harness(url, sessions)
        try:
            rows += bench_http(h)
            rows += bench_approval(h)
        finally:
            h.close()
        rows.append(bench_clock(sessions, "SQLite"))
        sessions.dispose()
    if args.postgres:
        databases.reset_postgres(args.postgres)
        pg = make_sessions(args.postgres)
        rows.append(bench_clock(pg, "PostgreSQL"))
        pg.dispose()
    rows += bench_stock(args.postgres)
    rows.append(bench_dates())
    rows.append(bench_calendar())
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("peak resident memory", f"{rss_mb:.0f} MB", "< 250 MB", "this whole process"))

    widths = [
        max(len(row[i]) for row in [("measure", "result", "target", "notes"), *rows])
        for i in range(4)
    ]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format("measure", "result", "target", "notes"))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))


if __name__ == "__main__":
    main()
