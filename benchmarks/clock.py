"""The clock as it runs in production: a real `procedo clock` process against localslack as an
instant Slack. Prints a table; never fails on a number.

    .venv/bin/python -m benchmarks.clock [--postgres URL] [--jobs 10000] [--rows 1000000]

- drain: `--jobs` due `slack.post` jobs over `--channels` channels (default 2,000: Slack paces
  each channel at about one post a second, so the jobs must be spread for the clock, not
  pacing, to be what is timed), drained by `procedo clock` with its default settings;
  target ≥ 500 jobs/s on SQLite and PostgreSQL
- the clock's peak resident memory while it drains (target ≤ 120 MB)
- an idle tick (a claim that finds nothing) with `--rows` future jobs (target ≤ 5 ms)
- `/healthz` with those rows (the check behind it, timed in-process)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

from benchmarks.run import percentile
from bot import demo
from bot.app import create_app
from bot.org import import_org
from bot.settings import load_settings
from bot.slack_client import make_client
from bot.slack_lookup import WebApiLookup
from bot.web import WebApp
from handlers.outbox import POST
from localslack import LocalSlack
from procedures.clock import SystemClock
from scheduler.registry import JobRegistry
from scheduler.runner import Runner
from store.db import Sessions, make_engine, make_sessions
from store.migrate import upgrade
from store.models import Job
from tests.support import databases
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[1]
Row = tuple[str, str, str, str]


def prepared(url: str, ls: LocalSlack) -> Sessions:
    """A database at head with the demo org, as `procedo clock` expects to find it."""
    if url.startswith("postgresql"):
        databases.reset_postgres(url)
    else:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
    sessions = make_sessions(url)
    client = make_client(BOT_TOKEN, ls.api_url, SystemClock(), timeout=5)
    import_org(
        demo.org_text(), "org.yml", sessions=sessions, slack=WebApiLookup(client),
        clock=SystemClock(), actor="bench",
    )  # fmt: skip
    return sessions


def add_jobs(sessions: Sessions, rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), 10_000):
        with sessions.begin() as session:
            session.execute(insert(Job), rows[start : start + 10_000])


def job_row(kind: str, due: datetime, payload: dict[str, object]) -> dict[str, object]:
    return {
        "kind": kind, "payload": payload, "due_at": due, "state": "pending", "attempts": 0,
        "max_attempts": 8, "rerun": False, "created_at": due,
    }  # fmt: skip


def rss_peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_drain(
    url: str, sessions: Sessions, ls: LocalSlack, count: int, channels: int
) -> list[Row]:
    now = datetime.now(UTC)
    ids = [f"CB{n:07d}" for n in range(channels)]
    for channel in ids:
        ls.add_channel(channel, channel.lower())
    posts: list[dict[str, object]] = [
        {"channel": ids[n % channels], "text": f"job {n}"} for n in range(count)
    ]
    add_jobs(sessions, [job_row(POST, now, payload) for payload in posts])
    env = {
        **os.environ, "PYTHONPATH": str(ROOT), "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": ls.api_url, "DATABASE_URL": url,

    }  # fmt: skip
    started = time.perf_counter()
    clock = subprocess.Popen([sys.executable, "-m", "bot.cli", "clock"], cwd=ROOT, env=env)
    first: float | None = None
    done, peak = 0, 0.0
    deadline = started + max(600.0, count / 5)
    while done < count and time.perf_counter() < deadline and clock.poll() is None:
        time.sleep(0.1)
        with sessions.read() as session:
            done = int(session.scalar(select(func.count()).where(Job.state == "done")) or 0)
        if done and first is None:
            first = time.perf_counter()
        peak = max(peak, rss_peak_mb(clock.pid))
    finished = time.perf_counter()
    clock.terminate()
    clock.wait(timeout=30)
    posted = len(ls.calls("chat.postMessage"))
    span = finished - (first or finished)
    rate = done / span if span > 0 else float("nan")
    return [
        (
            f"drain {count:,} due jobs, {channels:,} channels",
            f"{rate:.0f} jobs/s",
            "≥ 500/s",
            f"{done:,} done, {posted:,} posts; {finished - started:.1f} s from the clock's start",
        ),
        ("`procedo clock` peak RSS while draining", f"{peak:.0f} MB", "≤ 120 MB", "VmHWM"),
    ]


def bench_idle(sessions: Sessions, ls: LocalSlack, rows: int) -> list[Row]:
    later = datetime.now(UTC) + timedelta(days=30)
    batch = [job_row("bench.later", later + timedelta(seconds=n), {}) for n in range(rows)]
    add_jobs(sessions, batch)
    del batch
    with sessions.begin() as session:
        session.execute(text("ANALYZE"))
    runner = Runner(sessions, JobRegistry(), SystemClock())
    runner.tick()
    ticks = []
    for _ in range(100):
        started = time.perf_counter()
        assert runner.tick() == 0
        ticks.append((time.perf_counter() - started) * 1000)
    settings = load_settings(
        SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=ls.api_url, DATABASE_URL=str(sessions.engine.url),
    )  # fmt: skip
    web = WebApp(create_app(settings, sessions=sessions))
    web.health()
    probes = []
    for _ in range(50):
        started = time.perf_counter()
        status, _body = web.health()
        probes.append((time.perf_counter() - started) * 1000)
        assert status == 200
    return [
        (
            f"idle tick, {rows:,} future jobs",
            f"{statistics.median(ticks):.2f} ms (p95 {percentile(ticks, 0.95):.2f})",
            "≤ 5 ms",
            "100 ticks",
        ),
        (
            f"/healthz check, {rows:,} future jobs",
            f"{statistics.median(probes):.2f} ms (p95 {percentile(probes, 0.95):.2f})",
            "cheap on every probe",
            "50 probes",
        ),
    ]


def run(url: str, label: str, args: argparse.Namespace) -> list[Row]:
    ls = LocalSlack(signing_secret=SIGNING_SECRET, bot_token=BOT_TOKEN).start()
    try:
        demo.populate(ls)
        sessions = prepared(url, ls)
        rows = bench_drain(url, sessions, ls, args.jobs, args.channels)
        rows += bench_idle(sessions, ls, args.rows)
        sessions.dispose()
    finally:
        ls.stop()
    return [(f"{label}: {name}", value, target, note) for name, value, target, note in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="also run against this (emptied!) PostgreSQL")
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=2_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    table: list[Row] = []
    with tempfile.TemporaryDirectory() as directory:
        if not args.skip_sqlite:
            table += run(f"sqlite:///{directory}/bench.db", "SQLite", args)
        if args.postgres:
            table += run(args.postgres, "PostgreSQL", args)
    load = os.getloadavg()
    print("| measure | value | target | note |\n|---|---|---|---|")
    for row in table:
        print("| " + " | ".join(row) + " |")
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
