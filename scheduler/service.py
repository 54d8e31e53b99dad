"""The clock process: APScheduler only ticks; the work and its state live in the database.

Each tick first materialises periodic prompts (occurrences become jobs), then claims and runs
due jobs. APScheduler never holds our jobs in its own store (its maintainers say a shared job
store is unsupported), so any number of clocks can tick against one PostgreSQL.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from procedures.clock import Clock
from scheduler.runner import Runner, until_idle
from scheduler.single import ClockLock

log = logging.getLogger("procedo.clock")

Maintenance = Callable[[datetime], object]

# A tick runs full batches back to back for up to this long (seconds), then lets maintenance
# run again: a backlog drains at the pace of Slack and the database, not 50 jobs per tick.
DRAIN_BUDGET = 30.0


class ClockService:
    def __init__(
        self,
        runner: Runner,
        clock: Clock,
        maintenance: list[Maintenance],
        lock: ClockLock | None = None,
    ) -> None:
        self.runner = runner
        self.clock = clock
        self.maintenance = maintenance
        self.lock = lock  # SQLite: held while this clock runs (see scheduler.single)
        self._scheduler: BaseScheduler | None = None
        self._tick_lock = threading.Lock()

    def tick(self) -> int:
        """One tick: maintenance, then due jobs. Never raises (a tick must not kill the clock)."""
        if not self._tick_lock.acquire(blocking=False):
            return 0  # the previous tick is still running
        try:
            for task in self.maintenance:
                try:
                    task(self.clock.now())
                except Exception:
                    log.exception("clock maintenance %s failed", getattr(task, "__name__", task))
            return self.runner.drain(DRAIN_BUDGET)
        except Exception:
            log.exception("clock tick failed")
            return 0
        finally:
            self._tick_lock.release()

    def run_until_idle(self, max_ticks: int = 50) -> int:
        """Tick until nothing is due; tests use this with a fake clock."""
        return until_idle(self.tick, max_ticks)

    def _schedule(self, scheduler: BaseScheduler, interval: float) -> BaseScheduler:
        scheduler.add_job(
            self.tick,
            "interval",
            seconds=interval,
            id="procedo-tick",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=datetime.now().astimezone(),
        )
        self._scheduler = scheduler
        return scheduler

    def _hold(self) -> None:
        """Refuse to run beside another clock on the same SQLite file (ClockAlreadyRunning)."""
        if self.lock is not None:
            self.lock.acquire()

    def start_background(self, interval: float) -> BaseScheduler:
        self._hold()
        scheduler = self._schedule(BackgroundScheduler(daemon=True), interval)
        scheduler.start()
        return scheduler

    def run_forever(self, interval: float) -> None:
        self._hold()
        scheduler = self._schedule(BlockingScheduler(), interval)

        def stop(signum: int, _frame: object) -> None:
            log.info("clock stopping (signal %s)", signum)
            scheduler.shutdown(wait=True)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log.info("clock %s ticking every %ss", self.runner.owner, interval)
        try:
            scheduler.start()
        finally:
            self._release()

    def stop(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._release()

    def _release(self) -> None:
        if self.lock is not None:
            self.lock.release()
