"""What each ack path costs, measured so that a loaded machine does not change the answer.

    .venv/bin/python -m benchmarks.costs [--postgres URL] [--profile PATH]

For each path (one interaction at a time, in process, on the test harness: localslack, the bot
over signed HTTP, a fake clock): SQL statements and transactions for the whole interaction
(its deliveries included), and CPU time on the listener's thread (`time.thread_time`, from
the interaction's start to its end: the work that, with ten people at once, queues for the
one interpreter in front of everyone's acks). Each path runs once to warm up, then is counted.
`--profile PATH` prints a pyinstrument call tree of that path's listener (e.g. `help`).
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from handlers import interaction
from tests.support import databases
from tests.support.approvals import file_expense, prompt_for
from tests.support.harness import Harness, start_harness
from tests.support.sqlcount import Cost, counting

Path_ = tuple[str, Callable[[Harness, int], Any]]


def _help(h: Harness, _n: int) -> Any:
    return h.as_("alice").command("/procedo", "help", channel="general")


def _balance(h: Harness, _n: int) -> Any:
    return h.as_("alice").command("/leave", "balance", channel="general")


def _quick(h: Harness, n: int) -> Any:
    day = 8 + 7 * n  # a new week each time: never one's own overlapping leave
    return h.as_("alice").command("/leave", f"annual 12月{day}日到12月{day + 1}日 rest")


def _modal(h: Harness, _n: int) -> Any:
    return h.as_("alice").command("/leave", "", channel="general")


def _submit(h: Harness, _n: int) -> Any:
    return h.as_("alice").submit(
        {
            "f:amount": "120",
            "f:category": "travel",
            "f:description": "Benchmark taxi",
            "f:receipt:link": "https://files.example.com/r.pdf",
        }
    )


def _prepare_submit(h: Harness) -> None:
    h.as_("alice").command("/procedo", "new expense", channel="general")
    h.ls.wait_view("alice", callback_id="request.form")
    h.settle()


def _approve(h: Harness, _n: int) -> Any:
    return h.as_("bob").click("Approve", message=_PROMPTS.pop())


_PROMPTS: list[Any] = []


def _prepare_approve(h: Harness) -> None:
    card = file_expense(h, "alice")
    h.settle()
    _PROMPTS.append(prompt_for(h, card, f"<@{h.uid('bob')}>"))


def _home(h: Harness, _n: int) -> Any:
    return h.as_("bob").open_home()


PATHS: list[tuple[str, Callable[[Harness, int], Any], Callable[[Harness], None] | None]] = [
    ("help", _help, None),
    ("balance", _balance, None),
    ("quick", _quick, None),
    ("modal", _modal, None),
    ("submit", _submit, _prepare_submit),
    ("approve", _approve, _prepare_approve),
    ("home", _home, None),
]
LABELS = {
    "help": "/procedo help",
    "balance": "/leave balance",
    "quick": "/leave annual 12月8日到12月9日 rest",
    "modal": "/leave (views.open)",
    "submit": "modal submission (expense)",
    "approve": "Approve click",
    "home": "app_home_opened",
}


class ListenerCpu:
    """CPU time of each interaction's listener thread, and optionally its call tree."""

    def __init__(self, profile: bool = False) -> None:
        self.samples: list[float] = []
        self.profile = profile
        self.trees: list[str] = []
        self._local = threading.local()
        self._busy = threading.Condition()
        self._active = 0

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Until every interaction started has finished (its listener runs on after the ack)."""
        with self._busy:
            if not self._busy.wait_for(lambda: self._active == 0, timeout):
                raise AssertionError(f"{self._active} interaction(s) still running after 10 s")

    @contextmanager
    def installed(self) -> Iterator[None]:
        original_init = interaction.Interaction.__init__
        original_finish = interaction.Interaction.finish
        me = self

        def init(self: Any, *args: Any, **kwargs: Any) -> None:
            with me._busy:
                me._active += 1
            self._counted = True
            me._local.start = time.thread_time()
            if me.profile:
                from pyinstrument import Profiler

                me._local.profiler = Profiler(interval=0.0005, async_mode="disabled")
                me._local.profiler.start()
            original_init(self, *args, **kwargs)

        def finish(self: Any) -> None:
            if not getattr(self, "_counted", False):
                return original_finish(self)  # started before we were installed
            self._counted = False
            try:
                original_finish(self)
            finally:
                start = getattr(me._local, "start", None)
                if start is not None:
                    me.samples.append(time.thread_time() - start)
                    me._local.start = None
                profiler = getattr(me._local, "profiler", None)
                if profiler is not None:
                    profiler.stop()
                    me.trees.append(profiler.output_text(unicode=True, show_all=False))
                    me._local.profiler = None
                with me._busy:
                    me._active -= 1
                    me._busy.notify_all()

        interaction.Interaction.__init__ = init  # type: ignore[method-assign]
        interaction.Interaction.finish = finish  # type: ignore[method-assign]
        try:
            yield
        finally:
            interaction.Interaction.__init__ = original_init  # type: ignore[method-assign]
            interaction.Interaction.finish = original_finish  # type: ignore[method-assign]


def measure(h: Harness, name: str, profile: bool) -> tuple[Cost, float, float, str]:
    _, act, prepare = next(p for p in PATHS if p[0] == name)
    for n in (0, 1):  # the first warms caches and imports; the second is counted
        if prepare is not None:
            prepare(h)
        cpu = ListenerCpu(profile=profile and n == 1)
        process = time.process_time()
        with cpu.installed(), counting(h.sessions.engine) as cost:
            response = act(h, n)
            cpu.wait_idle()
            h.settle()
            cpu.wait_idle()
        assert response.status == 200, (name, response.status, response.body)
        process = time.process_time() - process
    return cost, sum(cpu.samples) * 1000, process * 1000, "\n".join(cpu.trees)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", help="PostgreSQL URL (its data is replaced)")
    parser.add_argument("--profile", choices=[p[0] for p in PATHS])
    parser.add_argument("--sql", action="store_true", help="print each path's statements")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, _, _ in PATHS:
            if args.postgres:
                databases.reset_postgres(args.postgres)
                url = args.postgres
            else:
                url = databases.sqlite_copy(databases.make_sqlite_template(Path(tmp)), Path(tmp))
            sessions = databases.sessions_for(url)
            if sessions.dialect == "postgresql":
                databases.empty_postgres(sessions)
            h = start_harness(url, sessions)
            try:
                cost, listener_ms, process_ms, tree = measure(h, name, args.profile == name)
            finally:
                h.close()
                sessions.dispose()
            rows.append((LABELS[name], cost, listener_ms, process_ms))
            if tree:
                print(tree)
            if args.sql:
                print(f"-- {LABELS[name]}: {cost}")
                print("\n".join(f"   {s}" for s in cost.sql))
    backend = "postgresql" if args.postgres else "sqlite"
    print(f"cost per interaction, one at a time, {backend}")
    head = ("path", "SQL", "writes", "tx", "listener CPU", "process CPU")
    print("{:<36} {:>5} {:>6} {:>4} {:>13} {:>12}".format(*head))
    for label, cost, listener_ms, process_ms in rows:
        print(
            f"{label:<36} {cost.statements:>5} {cost.writes:>6} {cost.transactions:>4}"
            f" {listener_ms:>10.1f} ms {process_ms:>9.1f} ms"
        )


if __name__ == "__main__":
    main()
