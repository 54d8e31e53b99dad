"""Runs due jobs: claim with a lease, run the handler, record the outcome.

Used by the clock on every tick and by listeners right after a commit (`run_now`), so a
message that must not be lost is sent at once when Slack answers and by the clock when not.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from procedures.clock import Clock
from scheduler.registry import Deferred, JobRegistry, PermanentFailure
from store import jobs
from store.db import Sessions
from store.jobs import ClaimedJob

log = logging.getLogger("procedo.clock")

DeadJobHook = Callable[[ClaimedJob, str], None]


def default_owner() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def until_idle(tick: Callable[[], int], max_ticks: int) -> int:
    """Call `tick` until it runs nothing (or `max_ticks` times); returns how much it ran."""
    total = 0
    for _ in range(max_ticks):
        ran = tick()
        total += ran
        if ran == 0:
            break
    return total


def backoff(attempt: int, *, base: float = 30.0, cap: float = 3600.0) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at an hour, with jitter so retries do not stampede."""
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    return timedelta(seconds=delay * random.uniform(0.8, 1.2))


class Runner:
    def __init__(
        self,
        sessions: Sessions,
        registry: JobRegistry,
        clock: Clock,
        *,
        owner: str | None = None,
        lease: timedelta = timedelta(minutes=2),
        batch: int = 50,
        workers: int = 8,
        on_dead: DeadJobHook | None = None,
        heartbeat: float | None = None,
    ) -> None:
        """`heartbeat`: seconds (real time) between lease renewals while a batch runs;
        default a third of the lease."""
        self.sessions = sessions
        self.registry = registry
        self.clock = clock
        self.owner = owner or default_owner()
        self.lease = lease
        self.batch = batch
        self.workers = workers
        self.on_dead = on_dead
        self.heartbeat = heartbeat if heartbeat is not None else lease.total_seconds() / 3

    def tick(self) -> int:
        """Claim one batch of what is due and run it; returns how many jobs were run."""
        at, since = self.clock.now(), time.monotonic()
        with self.sessions.begin() as session:
            claimed = jobs.claim(
                session, owner=self.owner, now=at, lease=self.lease, limit=self.batch
            )
        self._run_all(claimed, at, since)
        return len(claimed)

    def drain(self, budget: float) -> int:
        """Run batch after batch while they come full, for up to `budget` seconds (real
        time): a backlog drains as fast as pacing allows instead of one batch per tick, and
        the clock's other work (maintenance) still runs between budgets. Returns jobs run."""
        deadline = time.monotonic() + budget
        total = 0
        while True:
            ran = self.tick()
            total += ran
            if ran < self.batch or time.monotonic() >= deadline:
                return total

    def run_due(self, max_ticks: int = 100) -> int:
        """Tick until nothing is due (tests and benchmarks); returns jobs run."""
        return until_idle(self.tick, max_ticks)

    def run_now(self, job_ids: Iterable[int]) -> None:
        """Run those of these jobs that are due, at once (after the transaction that created
        them committed); a job for later waits for the clock."""
        for job_id in job_ids:
            with self.sessions.begin() as session:
                job = jobs.claim_one(
                    session, job_id, owner=self.owner, now=self.clock.now(), lease=self.lease
                )
            if job is not None:
                self.run(job)

    def _run_all(self, claimed: list[ClaimedJob], at: datetime, since: float) -> None:
        """Run a claimed batch while a heartbeat renews the leases of the jobs not yet done,
        so a batch that outlives its lease is not taken over (and delivered twice) by another
        clock; each job is checked to be still ours right before it runs."""
        if not claimed:
            return
        waiting = {job.id for job in claimed}
        guard = threading.Lock()
        stop = threading.Event()
        # While the leases were taken (`at` on the clock, `since` in monotonic time) or renewed
        # less than half a lease ago, they are surely still ours (nobody may take an unexpired
        # lease): a job then runs without asking the database. Both clocks must agree, so a
        # wall-clock jump or a test's fake clock moving on makes the job ask again.
        half = self.lease / 2
        sure = [(at + half, since + half.total_seconds())]

        def heartbeat() -> None:
            while not stop.wait(self.heartbeat):
                with guard:
                    ids = sorted(waiting)
                try:
                    started = time.monotonic()
                    with self.sessions.begin() as session:
                        now = self.clock.now()
                        held = jobs.renew(session, ids, owner=self.owner, now=now, lease=self.lease)
                    if held == set(ids):
                        sure[0] = (now + half, started + half.total_seconds())
                except Exception:
                    log.exception("could not renew the leases of %s jobs", len(ids))

        def still_ours(job: ClaimedJob) -> bool:
            on_clock, monotonic = sure[0]
            if self.clock.now() < on_clock and time.monotonic() < monotonic:
                return True
            with self.sessions.read() as session:
                return jobs.holds(session, job.id, owner=self.owner, now=self.clock.now())

        def run_if_ours(job: ClaimedJob) -> None:
            try:
                if still_ours(job):
                    self.run(job)
                else:
                    log.warning("job %s: lease lost before it ran; another clock has it", job.id)
            finally:
                with guard:
                    waiting.discard(job.id)

        beat = threading.Thread(target=heartbeat, name="lease-heartbeat", daemon=True)
        beat.start()
        try:
            if len(claimed) == 1 or self.workers <= 1:
                for job in claimed:
                    run_if_ours(job)
            else:
                # Jobs for different channels go side by side; pacing is per channel.
                with ThreadPoolExecutor(self.workers, thread_name_prefix="job") as pool:
                    list(pool.map(run_if_ours, claimed))
        finally:
            stop.set()
            beat.join()

    def run(self, job: ClaimedJob) -> str:
        started = self.clock.now()
        latency = (started - job.due_at).total_seconds()
        handler = self.registry.handler(job.kind)
        outcome: str
        error: str | None = None
        try:
            if handler is None:
                raise PermanentFailure(f"no handler for job kind {job.kind!r}")
            handler(job)
        except Deferred as exc:
            with self.sessions.begin() as session:
                jobs.defer(session, job.id, owner=self.owner, until=exc.until)
            outcome = "deferred"
            error = str(exc)
        except PermanentFailure as exc:
            error = str(exc)
            outcome = self._fail(job, error, retry=False)
        except Exception as exc:  # a handler's bug or an outage: retry, then give up loudly
            error = f"{type(exc).__name__}: {exc}"
            log.debug("job %s failed:\n%s", job.id, traceback.format_exc())
            outcome = self._fail(job, error, retry=job.attempts < job.max_attempts)
        else:
            with self.sessions.begin() as session:
                state = jobs.complete(session, job.id, owner=self.owner, now=self.clock.now())
            outcome = {jobs.DONE: "done", jobs.PENDING: "rerun"}.get(state or "", "lost-lease")
        log.info(
            "job kind=%s id=%s attempt=%s latency=%.1fs outcome=%s%s",
            job.kind,
            job.id,
            job.attempts,
            latency,
            outcome,
            f" error={error}" if error and outcome != "done" else "",
        )
        if outcome == "rerun":
            # Armed again while it ran: run it again now rather than at the next tick.
            self.run_now([job.id])
        return outcome

    def _fail(self, job: ClaimedJob, error: str, *, retry: bool) -> str:
        now = self.clock.now()
        retry_at = now + backoff(job.attempts) if retry else None
        with self.sessions.begin() as session:
            state = jobs.fail(
                session, job.id, owner=self.owner, now=now, error=error, retry_at=retry_at
            )
        if state == jobs.DEAD and self.on_dead is not None:
            try:
                self.on_dead(job, error)
            except Exception:
                log.exception("could not report dead job %s", job.id)
        return (
            "retry" if state == jobs.PENDING else ("dead" if state == jobs.DEAD else "lost-lease")
        )
