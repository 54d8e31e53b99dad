"""The fault soak (issue 14): a web process and a clock under load while they are killed, Slack
fails and the database goes away. Prints a table; never fails on a number.

    .venv/bin/python -m benchmarks.soak --postgres URL [--seconds 300] [--rate 20]
                                        [--faults 0.3] [--partition 30]

PostgreSQL only (the URL is required and its database is emptied): it is reached through a TCP
proxy that can go silent, so the database can be partitioned from both processes at once as a
network would cut it (SQLite has no network to cut). Slack is localslack in this process, with
`--faults` of the `chat.postMessage` calls failing (half 500, half 429 with Retry-After: 1).

Two subprocesses, started as in production: a web process (`benchmarks.ack_server procedo`:
gunicorn, 1 worker x 8 threads, as `procedo serve`) and `procedo clock`, both on the proxy and
on localslack. For `--seconds`, at `--rate` per second:

- a signed `/procedo help` is sent to the web process and its ack timed (open loop: a slow ack
  never slows the load), and
- one `slack.post` job carrying a unique marker is written straight into the jobs table by the
  benchmark (on its own connection, not through the proxy: the producer is not what is cut), due
  at once, spread over 200 channels so Slack's pace of one post a second per channel is not
  what is timed. The clock (and the web process, which also posts) must deliver each.

The web process is killed with SIGKILL (its whole process group) at 20 % of the run and the
clock at 45 %, each restarted at once; the database is cut at 60 % for `--partition` seconds
(scaled by `--seconds`/300 when the run is shorter). Then the load stops, the proxy is
restored, and the benchmark waits until no marker job is pending or running (a job held by the
killed clock is re-run once its 2-minute lease expires).

Counted: requests answered (HTTP 200) of those sent, p99 ack overall and outside the cut and
its 5 s recovery, the slowest ack in the recovery and how long after the database came back
the last request sent during the cut was answered, and markers expected against markers that
reached Slack (an accepted `chat.postMessage`): lost = never, twice = more than once. A repeat
is inside the documented at-least-once window (README, "Running in production") when the
clock was killed or the post timed out between the first accepted post and the repeat;
otherwise it is outside it.

Targets: 0 lost, 0 twice outside the window, every ack <= 3 s except while the database is
down, and within 5 s of it coming back.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from benchmarks.ack import free_port, wait_until_up
from benchmarks.clock import job_row, prepared
from benchmarks.run import percentile
from bot import demo
from handlers.outbox import POST
from localslack import LocalSlack
from store.db import Sessions
from store.models import Job
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET
from tests.support.tcp_proxy import PartitionProxy

ROOT = Path(__file__).resolve().parents[1]
CHANNELS = 200
USER = "soak"
ACK_TARGET = 3.0  # seconds
RECOVERY = 5.0  # seconds after the database comes back
LEASE = 120.0  # a claimed job's lease: a killed clock's jobs run again after it
Row = tuple[str, str, str, str]


@dataclass
class Sent:
    at: float  # seconds from the start of the load
    status: int  # 0: no answer (refused, reset or timed out)
    elapsed: float | None  # seconds to the answer, when there was one


@dataclass
class Timeline:
    """When things happened, in seconds from the start of the load (wall time for kills)."""

    web_down: tuple[float, float] = (0.0, 0.0)  # killed, answering again
    clock_killed: float = 0.0
    kills: list[datetime] = field(default_factory=list)  # wall time of each kill -9
    cut: tuple[float, float] = (0.0, 0.0)  # partitioned, restored


class Process:
    """A subprocess in its own session, so SIGKILL takes gunicorn's master and worker alike."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.command, self.env = command, env
        self.popen = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def restart(self) -> None:
        self.kill()
        self.popen = self._start()

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


class Load:
    """`rate` signed commands and marker jobs a second until stopped."""

    def __init__(self, ls: LocalSlack, direct: Sessions, rate: float) -> None:
        self.ls, self.direct, self.rate = ls, direct, rate
        self.sent: list[Sent] = []
        self.markers: dict[str, float] = {}  # marker -> seconds from the start, when written
        self.started = time.monotonic()
        self.started_at = datetime.now(UTC)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=256, thread_name_prefix="soak-load")
        self._thread = threading.Thread(target=self._run, name="soak-ticker", daemon=True)

    def now(self) -> float:
        return time.monotonic() - self.started

    def start(self) -> Load:
        self.started = time.monotonic()
        self.started_at = datetime.now(UTC)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._pool.shutdown(wait=True)

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            due = n / self.rate
            wait = due - self.now()
            if wait > 0 and self._stop.wait(wait):
                return
            self._pool.submit(self._command, self.now())
            marker = f"soak-{n:07d}"
            channel = f"CS{n % CHANNELS:07d}"
            with self.direct.begin() as session:
                payload: dict[str, object] = {"channel": channel, "text": marker}
                session.execute(insert(Job), [job_row(POST, datetime.now(UTC), payload)])
            self.markers[marker] = self.now()
            n += 1

    def _command(self, at: float) -> None:
        try:
            answer = self.ls.driver(USER).command("/procedo", "help", channel="general")
            sent = Sent(at, answer.status, answer.elapsed if answer.status else None)
        except OSError:
            sent = Sent(at, 0, None)
        with self._lock:
            self.sent.append(sent)


def proxied(url: str, port: int) -> str:
    return make_url(url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


def outstanding(direct: Sessions) -> int:
    with direct.read() as session:
        query = select(func.count()).where(Job.kind == POST, Job.state.in_(("pending", "running")))
        return int(session.scalar(query) or 0)


def drain(direct: Sessions, timeline: Timeline, load: Load) -> float:
    """Wait until no marker job is pending or running; seconds waited."""
    began = time.monotonic()
    by = began + max(60.0, timeline.clock_killed + LEASE + 60.0 - load.now())
    while time.monotonic() < by and outstanding(direct):
        time.sleep(1.0)
    return time.monotonic() - began


def soak(args: argparse.Namespace) -> tuple[list[Row], str]:
    scale = min(1.0, args.seconds / 300)
    partition = max(1.0, args.partition * scale)
    ls = LocalSlack(signing_secret=SIGNING_SECRET, bot_token=BOT_TOKEN, bot_timeout=30).start()
    try:
        demo.populate(ls)
        ls.add_user("U0SOAK0001", USER)
        ls.add_member("general", USER)
        for n in range(CHANNELS):
            ls.add_channel(f"CS{n:07d}", f"soak-{n:03d}")
        direct = prepared(args.postgres, ls)
        upstream = make_url(args.postgres)
        proxy = PartitionProxy((upstream.host or "127.0.0.1", upstream.port or 5432)).start()
        env = {
            **os.environ, "PYTHONPATH": str(ROOT), "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": ls.api_url,
            "DATABASE_URL": proxied(args.postgres, proxy.port), "PROCEDO_WEB_THREADS": "8",
        }  # fmt: skip
        port = free_port()
        web_url = f"http://127.0.0.1:{port}"
        web = Process([sys.executable, "-m", "benchmarks.ack_server", "procedo", "--port",
                       str(port)], env)  # fmt: skip
        clock = Process([sys.executable, "-m", "bot.cli", "clock"], env)
        try:
            wait_until_up(web_url, web.popen)
            ls.bot_events_url = f"{web_url}/slack/events"
            half = args.faults / 2
            ls.inject("chat.postMessage", "500", probability=half, seed=14)
            ls.inject("chat.postMessage", "429", probability=half / (1 - half), seed=15)
            timeline = Timeline()
            load = Load(ls, direct, args.rate).start()
            until(load, 0.20 * args.seconds)
            killed = load.now()
            timeline.kills.append(datetime.now(UTC))
            web.restart()
            wait_until_up(web_url, web.popen)
            timeline.web_down = (killed, load.now())
            until(load, 0.45 * args.seconds)
            timeline.clock_killed = load.now()
            timeline.kills.append(datetime.now(UTC))
            clock.restart()
            until(load, 0.60 * args.seconds)
            cut = load.now()
            proxy.cut()
            until(load, cut + partition)
            proxy.restore()
            timeline.cut = (cut, load.now())
            until(load, args.seconds)
            load.stop()
            ls.clear_faults()
            waited = drain(direct, timeline, load)
        finally:
            web.stop()
            clock.stop()
            proxy.stop()
        with direct.read() as session:
            states = Counter(
                dict(session.execute(select(Job.state, func.count()).group_by(Job.state)).all())
            )
        direct.dispose()
        rows = figures(ls, load, timeline)
    finally:
        ls.stop()
    note = (
        f"{args.seconds:.0f} s at {args.rate:g}/s, {args.faults:.0%} of chat.postMessage "
        f"failing (500/429); web killed at {timeline.web_down[0]:.0f} s (answering again "
        f"{timeline.web_down[1] - timeline.web_down[0]:.1f} s later), clock killed at "
        f"{timeline.clock_killed:.0f} s, database cut {timeline.cut[0]:.0f}–"
        f"{timeline.cut[1]:.0f} s; drained {waited:.0f} s after; jobs by state: "
        + ", ".join(f"{state} {count}" for state, count in sorted(states.items()))
    )
    return rows, note


def until(load: Load, moment: float) -> None:
    wait = moment - load.now()
    if wait > 0:
        time.sleep(wait)


def figures(ls: LocalSlack, load: Load, timeline: Timeline) -> list[Row]:
    cut, back = timeline.cut

    def clear_of_cut(sent: Sent) -> bool:
        """Answered before the cut, or sent after its recovery."""
        assert sent.elapsed is not None
        return sent.at + sent.elapsed < cut or sent.at > back + RECOVERY

    answered = [s for s in load.sent if s.status == 200 and s.elapsed is not None]
    acks = [s.elapsed for s in answered if s.elapsed is not None]
    calm = [s.elapsed for s in answered if s.elapsed is not None and clear_of_cut(s)]
    recovery = [
        s.elapsed for s in answered if s.elapsed is not None and back <= s.at <= back + RECOVERY
    ]
    during = [s.at + s.elapsed - back for s in answered if s.elapsed and cut <= s.at < back]
    over = sum(1 for ms in calm if ms > ACK_TARGET)
    late = [s.at for s in answered if s.elapsed and s.elapsed > ACK_TARGET and clear_of_cut(s)]
    down_from, down_to = timeline.web_down
    restarting = sum(1 for at in late if down_from <= at <= down_to)
    spans = (
        f", sent {min(late):.0f}–{max(late):.0f} s into the run, {restarting} of them while "
        "the web process was restarting"
        if late
        else ""
    )
    unanswered = [s for s in load.sent if s.status != 200]
    statuses = Counter("no answer" if s.status == 0 else f"HTTP {s.status}" for s in unanswered)
    cut_unanswered = sum(1 for s in unanswered if cut <= s.at < back)
    while_down = sum(1 for s in unanswered if down_from - 1 <= s.at <= down_to)

    posts: dict[str, list[datetime]] = {}
    timeouts: dict[str, list[datetime]] = {}
    for call in ls.calls("chat.postMessage"):
        marker = str(call.args.get("text", ""))
        if marker not in load.markers:
            continue
        if call.ok:
            posts.setdefault(marker, []).append(call.at)
        elif call.error is not None and "timeout" in call.error:
            timeouts.setdefault(marker, []).append(call.at)
    lost = [m for m in load.markers if m not in posts]
    twice = {m: at for m, at in posts.items() if len(at) > 1}
    inside, strays = 0, []
    for marker, at in twice.items():
        first, again = at[0], at[1]
        killed = any(first <= kill <= again for kill in timeline.kills)
        timed_out = any(first <= t <= again for t in timeouts.get(marker, []))
        if killed or timed_out:
            inside += 1
        else:
            since = (first - load.started_at).total_seconds()
            strays.append(
                f"{marker} at {since:.1f} s, again {(again - first).total_seconds():.1f} s later"
            )
    outside = len(twice) - inside

    def ms(values: list[float], q: float) -> str:
        return f"{percentile(values, q) * 1000:,.0f} ms" if values else "—"

    def top(values: list[float]) -> str:
        return f"{max(values) * 1000:,.0f} ms" if values else "—"

    return [
        (
            "requests answered (HTTP 200)",
            f"{len(answered):,} / {len(load.sent):,}",
            "all but the web restart",
            f"{len(unanswered)} unanswered, {while_down} of them sent while the web process "
            f"was down ({down_to - down_from:.1f} s), {cut_unanswered} during the cut; "
            + ", ".join(f"{kind} {count}" for kind, count in sorted(statuses.items())),
        ),
        ("p99 ack, all answered", ms(acks, 0.99), "—", f"max {top(acks)}"),
        (
            "p99 ack outside the cut and its 5 s recovery",
            ms(calm, 0.99),
            "every ack ≤ 3 s",
            f"max {top(calm)}, {over} over 3 s of {len(calm):,}{spans}",
        ),
        (
            "slowest ack sent in the 5 s after the database came back",
            top(recovery),
            "≤ 3 s",
            f"{len(recovery)} requests",
        ),
        (
            "last answer to a request sent during the cut",
            f"{max(during):.1f} s after it came back" if during else "none answered",
            "≤ 5 s after",
            f"{len(during)} answered of {sum(1 for s in load.sent if cut <= s.at < back)} sent",
        ),
        (
            "marker jobs written / reached Slack",
            f"{len(load.markers):,} / {len(posts):,}",
            "all",
            f"{sum(len(at) for at in posts.values()):,} accepted posts",
        ),
        ("jobs lost", f"{len(lost)}", "0", ", ".join(lost[:5]) or "—"),
        (
            "jobs delivered twice",
            f"{len(twice)} ({outside} outside the window)",
            "0 outside the window",
            f"{inside} inside (a kill -9 or a timed-out post between the two posts)"
            + (f"; outside: {', '.join(strays[:3])}" if strays else ""),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", required=True, help="a PostgreSQL URL (emptied!)")
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--rate", type=float, default=20.0, help="requests and jobs a second")
    parser.add_argument("--faults", type=float, default=0.3, help="share of posts failing")
    parser.add_argument("--partition", type=float, default=30.0, help="seconds, at 300 s")
    args = parser.parse_args()
    rows, note = soak(args)
    load = os.getloadavg()
    print("| measure | value | target | note |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\n{note}")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
