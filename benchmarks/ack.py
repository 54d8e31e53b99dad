"""Ack latency as Slack sees it, Procedo beside a bare Bolt app. Prints a table; never fails.

    .venv/bin/python -m benchmarks.ack [--postgres postgresql://postgres@127.0.0.1:5432/test]
                                       [--levels 10,50]

Every ack path, at 10 and 50 concurrent users: a modal submission filing an expense, an
Approve click, `/procedo help`, `/leave balance`, the quick leave path, `/leave` (and when its
`views.open` reaches Slack, measured from the command) and `app_home_opened`. Both apps are
served by gunicorn as `procedo serve` does (1 worker x 8 threads, gthread) on 127.0.0.1;
Slack is localslack, instant and in "observe" mode: it never holds a call, it notes the calls
that arrive before an ack. The bare app only acks, so its numbers are the floor: HTTP,
signing and Bolt. Last, the resident memory of each server (gunicorn master + worker).

Targets (issue 15): no ack waits for Slack (0 Web API calls before the ack, counted on one
interaction with Slack quiet); at 10 users p99 <= 100 ms and throughput >= 0.5x bare Bolt; at
50 users p99 <= 500 ms and nothing over 3 s; `views.open` <= 300 ms p99 at 10 users.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from benchmarks.run import fresh_sqlite, percentile
from bot import demo
from bot.modules import load_policy
from bot.org import import_org
from bot.slack_lookup import WebApiLookup
from localslack import LocalSlack, viewstore
from localslack.driver import ACK_DEADLINE, Driver
from procedures.clock import SystemClock
from procedures.request_view import snapshot
from slackui.i18n import Translator
from slackui.views import request_modals
from slackui.views.requests import decision_value
from store.db import Sessions, make_sessions
from store.models import Request
from tests.support import databases

SECRET = "bench-signing-secret"  # noqa: S105 - only ever meets localslack on loopback
TOKEN = "xoxb-bench-token"  # noqa: S105
LEVELS: tuple[int, ...] = (10, 50)
SAMPLES = {1: 30, 10: 100, 50: 200}  # per level: enough for a p99 without a long run
APPROVALS = "C0APPROVALS"
FORM = {
    "f:amount": "120",
    "f:category": "travel",
    "f:description": "Benchmark taxi",
    "f:receipt:link": "https://files.example.com/r.pdf",
}
# app, shape, users, p50, p99, throughput, late, views.open p99, target
Row = tuple[str, str, str, str, str, str, str, str, str]


def bench_users(count: int) -> list[str]:
    return [f"bench{n:02d}" for n in range(count)]


def workspace() -> LocalSlack:
    ls = LocalSlack(signing_secret=SECRET, bot_token=TOKEN, ack_first="observe", bot_timeout=30)
    ls.start()
    demo.populate(ls)
    for n, name in enumerate(bench_users(50)):
        ls.add_user(f"U0BENCH{n:02d}", name)
        ls.add_member("general", name)
    return ls


def org_with_bench_users() -> str:
    """The demo org with the bench users in Operations (Bob approves them)."""
    org = yaml.safe_load(demo.org_text())
    ops = next(d for d in org["departments"] if d["id"] == "ops")
    ops["members"] += [f"U0BENCH{n:02d}" for n in range(50)]
    return str(yaml.safe_dump(org, allow_unicode=True))


def expense_form() -> dict[str, Any]:
    """Procedo's own expense modal, opened straight into localslack before each submission."""
    spec = load_policy().procedure("expense")
    assert spec is not None
    return request_modals.form_modal(spec, Translator("en"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(app: str, ls: LocalSlack, db_url: str) -> Iterator[int]:
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": ls.api_url,
        "DATABASE_URL": db_url,
        "PROCEDO_WEB_THREADS": "8",
    }
    command = [sys.executable, "-m", "benchmarks.ack_server", app, "--port", str(port)]
    cwd = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        ls.bot_events_url = f"{url}/slack/events"
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker stuck on a request: this run is over
            process.kill()
            process.wait()


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            return  # it answers: the bare app has no /healthz
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} within {timeout:.0f} s")


# -- the three shapes: each prepares (untimed) and returns the timed interaction -------------


class Shapes:
    def __init__(self, ls: LocalSlack, sessions: Sessions) -> None:
        self.ls, self.sessions = ls, sessions
        self.form = expense_form()
        self._pending: list[str] = []
        self._lock = threading.Lock()

    def submission(self, driver: Driver) -> Callable[[], Any]:
        viewstore.open_modal(self.ls.ws, driver.user.id, self.form)
        for key, value in FORM.items():
            driver.fill(key, value, dispatch=False)
        return driver.submit

    def click(self, driver: Driver) -> Callable[[], Any]:
        """An Approve button for a request Bob may decide, as the bot would have posted it."""
        with self._lock:
            value = self._pending.pop() if self._pending else "0:1:1"
        button = {
            "type": "button",
            "text": {"type": "plain_text", "text": "Approve"},
            "action_id": "request.approve",
            "value": value,
        }
        blocks: list[dict[str, Any]] = [{"type": "actions", "elements": [button]}]
        message = self.ls.ws.add_message(APPROVALS, self.ls.bot_user_id, "Decide", blocks)
        return lambda: driver.click("Approve", message=message)

    def command(self, driver: Driver) -> Callable[[], Any]:
        return lambda: driver.command("/procedo", "help", channel="general")

    def balance(self, driver: Driver) -> Callable[[], Any]:
        return lambda: driver.command("/leave", "balance", channel="general")

    def quick(self, driver: Driver) -> Callable[[], Any]:
        """Checked and summarised with a Submit button; nothing is filed."""
        return lambda: driver.command("/leave", "annual 12月8日到12月9日 rest", channel="general")

    def leave_form(self, driver: Driver) -> Callable[[], Any]:
        return lambda: driver.command("/leave", "", channel="general")

    def home(self, driver: Driver) -> Callable[[], Any]:
        return driver.open_home

    def load_pending(self) -> None:
        """Requests filed by the submissions, each waiting for Bob at step 1."""
        policy = load_policy()
        with self.sessions.begin() as session:
            values = []
            for request in session.scalars(select(Request).where(Request.state == "pending")):
                view = snapshot(session, policy, request)
                if view.current is not None:
                    values.append(decision_value(view, view.current))
        with self._lock:
            self._pending = values


def measure(
    ls: LocalSlack, shape: Callable[[Driver], Callable[[], Any]], users: int
) -> tuple[list[float], int, float]:
    """Ack times in ms over SAMPLES[users] interactions by `users` people at once, how many
    were late, unanswered or refused, and the acks per second."""
    names = bench_users(users)
    rounds = max(1, SAMPLES[users] // users)
    start = threading.Barrier(users)

    def person(name: str) -> list[tuple[float, bool]]:
        driver = ls.driver(name)
        out = []
        start.wait()
        for _ in range(rounds):
            act = shape(driver)
            answer = act()
            ok = answer.status == 200 and answer.elapsed <= ACK_DEADLINE
            out.append((answer.elapsed * 1000, ok))
        return out

    began = time.monotonic()
    with ThreadPoolExecutor(users) as pool:
        results = [r for batch in pool.map(person, names) for r in batch]
    rate = len(results) / (time.monotonic() - began)
    return [ms for ms, _ in results], sum(1 for _, ok in results if not ok), rate


def views_open_delays(ls: LocalSlack, since: int) -> list[float]:
    """For each `views.open` after call number `since`: ms from the command (its trigger
    was issued as the command was sent) to the call reaching Slack."""
    out = []
    for call in ls.ws.calls[since:]:
        trigger = ls.ws.triggers.get(str(call.args.get("trigger_id")))
        if call.method == "views.open" and trigger is not None:
            out.append((call.at - trigger.issued).total_seconds() * 1000)
    return out


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (gunicorn's master and workers)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        rss = [line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")]
        total += int(rss[0]) if rss else 0
        todo += [int(child) for child in children]
    return total / 1024


def calls_before_ack(ls: LocalSlack, act: Callable[[], Any]) -> int:
    """Web API calls that arrive while one interaction is unacked, with Slack quiet first."""
    quiet_by = time.monotonic() + 15
    while ls.wait_change(ls.ws.version, 0.3) and time.monotonic() < quiet_by:
        pass  # the previous deliveries are still arriving
    before = len(ls.ws.acks.early)
    act()
    mine = ls.ws.acks.interactions[-1].id
    return sum(1 for call in ls.ws.acks.early[before:] if mine in call.interactions)


def run_app(app: str, ls: LocalSlack, shapes: Shapes, db_url: str) -> tuple[list[Row], str]:
    """The table's rows for one app, and its memory after all of them."""
    rows: list[Row] = []
    with served(app, ls, db_url) as pid:
        kinds = [
            ("/procedo help", shapes.command),
            ("/leave balance", shapes.balance),
            ("/leave annual … (quick path)", shapes.quick),
            ("/leave (opens the form)", shapes.leave_form),
            ("modal submission", shapes.submission),
            ("Approve click", shapes.click),
            ("app_home_opened", shapes.home),
        ]
        warm = ls.driver("bench00")
        for _, shape in kinds:
            shape(warm)()
        requests = len(kinds)
        for label, shape in kinds:
            if shape == shapes.click:
                shapes.load_pending()
            early = calls_before_ack(ls, shape(ls.driver("bench01")))
            requests += 1
            for users in LEVELS:
                since = len(ls.ws.calls)
                samples, bad, rate = measure(ls, shape, users)
                requests += len(samples)
                opened = "—"
                if shape == shapes.leave_form:
                    quiet(ls)
                    delays = views_open_delays(ls, since)
                    opened = f"{percentile(delays, 0.99):.0f}" if delays else "none"
                target = "p99 ≤ 100 ms" if users <= 10 else "p99 ≤ 500 ms, none late"
                if early:
                    target += f"; {early} Slack call(s) before the ack (target 0)"
                p50, p99 = statistics.median(samples), percentile(samples, 0.99)
                rows.append(
                    (app, label, str(users), f"{p50:.0f}", f"{p99:.0f}", f"{rate:.0f}",
                     f"{bad}", opened, target)
                )  # fmt: skip
        quiet(ls)
        memory = f"{app}: {rss_mb(pid):.0f} MB resident (master + worker) after {requests} requests"
    return rows, memory


def quiet(ls: LocalSlack, within: float = 15.0) -> None:
    """Until Slack has seen no call for 0.3 s (the deliveries have arrived)."""
    by = time.monotonic() + within
    while ls.wait_change(ls.ws.version, 0.3) and time.monotonic() < by:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", help="run Procedo on this PostgreSQL URL instead of SQLite")
    parser.add_argument("--levels", default="10,50", help="concurrent users, comma-separated")
    args = parser.parse_args()
    global LEVELS
    LEVELS = tuple(int(n) for n in args.levels.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            databases.reset_postgres(args.postgres)
            url, sessions = args.postgres, make_sessions(args.postgres)
        else:
            url, sessions = fresh_sqlite(Path(tmp))
        ls = workspace()
        try:
            import_org(
                org_with_bench_users(),
                "org.yml",
                sessions=sessions,
                slack=WebApiLookup(ls.web_client()),
                clock=SystemClock(),
                actor="benchmark",
            )
            shapes = Shapes(ls, sessions)
            procedo, procedo_memory = run_app("procedo", ls, shapes, url)
            bare, bare_memory = run_app("bare", ls, shapes, url)
        finally:
            ls.stop()
            sessions.dispose()
    print_table(merge(procedo, bare), "sqlite" if not args.postgres else "postgresql")
    print(procedo_memory)
    print(bare_memory)


def merge(procedo: list[Row], bare: list[Row]) -> list[Row]:
    """Each Procedo row followed by the bare app's for the same path and users."""
    rows: list[Row] = []
    for row in procedo:
        rows.append(row)
        rows += [b for b in bare if b[1:3] == row[1:3]]
    return rows


def print_table(rows: list[Row], backend: str) -> None:
    header = (
        "app", "path", "users", "p50 ms", "p99 ms", "acks/s", "late/failed",
        "views.open p99 ms", "target",
    )  # fmt: skip
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(f"ack latency, gunicorn 1 worker x 8 threads, localslack instant, {backend}")
    print(line.format(*header).rstrip())
    print(line.format(*("-" * w for w in widths)).rstrip())
    for row in rows:
        print(line.format(*row).rstrip())


if __name__ == "__main__":
    main()
