"""The job table: scheduling in the caller's transaction, leases, retries, dead jobs."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta

import pytest

from procedures.clock import FakeClock
from scheduler.registry import Deferred, JobRegistry, PermanentFailure
from scheduler.runner import Runner
from store import jobs
from store.db import Sessions
from store.jobs import ClaimedJob

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


class Boom(Exception):
    pass


def schedule(
    sessions: Sessions,
    kind: str = "test.ran",
    *,
    due_at: datetime = T0,
    dedupe_key: str | None = None,
    max_attempts: int = 8,
) -> int | None:
    with sessions.begin() as session:
        return jobs.schedule(
            session,
            kind=kind,
            due_at=due_at,
            now=T0,
            dedupe_key=dedupe_key,
            max_attempts=max_attempts,
        )


def recording_runner(
    sessions: Sessions, clock: FakeClock, ran: list[int], **kwargs: object
) -> Runner:
    registry = JobRegistry()
    registry.register("test.ran", lambda job: ran.append(job.id))
    return Runner(sessions, registry, clock, workers=1, **kwargs)  # type: ignore[arg-type]


def test_a_job_scheduled_in_a_rolled_back_transaction_never_runs(sessions: Sessions) -> None:
    with pytest.raises(Boom), sessions.begin() as session:
        jobs.schedule(session, kind="test.ran", due_at=T0, now=T0)
        raise Boom
    ran: list[int] = []
    assert recording_runner(sessions, FakeClock(T0), ran).run_due() == 0
    assert ran == []


def test_scheduling_is_idempotent_on_the_dedupe_key(sessions: Sessions) -> None:
    first = schedule(sessions, dedupe_key="k1")
    assert first is not None
    assert schedule(sessions, dedupe_key="k1") is None
    ran: list[int] = []
    recording_runner(sessions, FakeClock(T0), ran).run_due()
    assert ran == [first]


def test_due_jobs_run_once_and_future_ones_wait(sessions: Sessions) -> None:
    clock = FakeClock(T0)
    now_id = schedule(sessions)
    later_id = schedule(sessions, due_at=T0 + timedelta(hours=1))
    ran: list[int] = []
    runner = recording_runner(sessions, clock, ran)
    runner.run_due()
    runner.run_due()
    assert ran == [now_id]
    clock.advance(timedelta(hours=1))
    runner.run_due()
    assert ran == [now_id, later_id]


def test_run_now_runs_only_what_is_due_and_leaves_the_rest_to_the_clock(
    sessions: Sessions,
) -> None:
    clock = FakeClock(T0)
    now_id, later_id = schedule(sessions), schedule(sessions, due_at=T0 + timedelta(days=2))
    assert now_id is not None and later_id is not None
    ran: list[int] = []
    runner = recording_runner(sessions, clock, ran)
    runner.run_now([now_id, later_id])
    assert ran == [now_id]
    clock.advance(timedelta(days=2))
    runner.run_due()
    assert ran == [now_id, later_id]


def test_cancel_and_reschedule(sessions: Sessions) -> None:
    clock = FakeClock(T0)
    schedule(sessions, dedupe_key="req:1:remind")
    moved = schedule(sessions, dedupe_key="req:2:remind")
    with sessions.begin() as session:
        assert jobs.cancel(session, prefix="req:1:") == 1
        assert jobs.reschedule(session, "req:2:remind", T0 + timedelta(minutes=5))
    ran: list[int] = []
    runner = recording_runner(sessions, clock, ran)
    runner.run_due()
    assert ran == []
    clock.advance(timedelta(minutes=5))
    runner.run_due()
    assert ran == [moved]


def test_a_clock_killed_mid_job_leaves_a_lease_that_expires(sessions: Sessions) -> None:
    clock = FakeClock(T0)
    job_id = schedule(sessions)
    with sessions.begin() as session:
        claimed = jobs.claim(
            session, owner="dead-clock", now=clock.now(), lease=timedelta(minutes=2)
        )
    assert [job.id for job in claimed] == [job_id]
    # ...and that process dies here, before completing. Another clock sees nothing yet:
    ran: list[int] = []
    survivor = recording_runner(sessions, clock, ran, lease=timedelta(minutes=2))
    assert survivor.run_due() == 0
    clock.advance(timedelta(minutes=2, seconds=1))
    assert survivor.run_due() == 1
    assert ran == [job_id]
    with sessions.begin() as session:
        job = jobs.get(session, job_id)  # type: ignore[arg-type]
        assert job is not None and job.state == jobs.DONE and job.attempts == 2


def test_failures_back_off_then_die_and_report(sessions: Sessions) -> None:
    clock = FakeClock(T0)
    registry = JobRegistry()
    attempts: list[datetime] = []

    def flaky(job: ClaimedJob) -> None:
        attempts.append(clock.now())
        raise Boom("slack is down")

    registry.register("test.flaky", flaky)
    dead: list[tuple[int, str]] = []
    runner = Runner(
        sessions, registry, clock, workers=1, on_dead=lambda job, err: dead.append((job.id, err))
    )
    job_id = schedule(sessions, kind="test.flaky", max_attempts=4)
    for _ in range(10):
        runner.run_due()
        clock.advance(timedelta(hours=2))
    assert len(attempts) == 4
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(attempts)]
    assert all(gap >= 7200 for gap in gaps)  # each retry waited for its back-off
    assert dead == [(job_id, "Boom: slack is down")]
    with sessions.begin() as session:
        job = jobs.get(session, job_id)  # type: ignore[arg-type]
        assert (
            job is not None and job.state == jobs.DEAD and "slack is down" in (job.last_error or "")
        )
        assert jobs.retry_dead(session, job_id, now=clock.now())  # type: ignore[arg-type]
        assert jobs.get(session, job_id).state == jobs.PENDING  # type: ignore[arg-type, union-attr]


def test_backoff_grows(sessions: Sessions) -> None:
    clock = FakeClock(T0)
    registry = JobRegistry()
    seen: list[datetime] = []

    def fail(job: ClaimedJob) -> None:
        seen.append(clock.now())
        raise Boom

    registry.register("test.fail", fail)
    runner = Runner(sessions, registry, clock, workers=1)
    schedule(sessions, kind="test.fail", max_attempts=5)
    for _ in range(400):
        runner.run_due()
        clock.advance(timedelta(seconds=15))
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(seen)]
    assert len(gaps) == 4
    assert gaps == sorted(gaps) and gaps[0] < 60 < gaps[-1]


def test_permanent_failures_die_at_once_and_deferrals_cost_nothing(sessions: Sessions) -> None:
    clock = FakeClock(T0)
    registry = JobRegistry()
    calls: list[str] = []

    def permanent(job: ClaimedJob) -> None:
        calls.append("permanent")
        raise PermanentFailure("channel_not_found")

    def deferred(job: ClaimedJob) -> None:
        calls.append("deferred")
        if len([c for c in calls if c == "deferred"]) < 3:
            raise Deferred(clock.now() + timedelta(seconds=30), "rate limited")

    registry.register("test.permanent", permanent)
    registry.register("test.deferred", deferred)
    runner = Runner(sessions, registry, clock, workers=1)
    gone = schedule(sessions, kind="test.permanent")
    slow = schedule(sessions, kind="test.deferred", max_attempts=1)
    for _ in range(5):
        runner.run_due()
        clock.advance(timedelta(seconds=30))
    with sessions.begin() as session:
        assert jobs.get(session, gone).state == jobs.DEAD  # type: ignore[arg-type, union-attr]
        # Deferred twice, then done, all on its single attempt.
        assert jobs.get(session, slow).state == jobs.DONE  # type: ignore[arg-type, union-attr]
    assert calls.count("permanent") == 1 and calls.count("deferred") == 3


def test_counts_for_healthz(sessions: Sessions) -> None:
    schedule(sessions, due_at=T0 - timedelta(minutes=5))
    schedule(sessions, due_at=T0)
    schedule(sessions, due_at=T0 + timedelta(hours=1))
    with sessions.begin() as session:
        assert jobs.counts(session, T0) == {"due": 2, "running": 0, "late": 1, "dead": 0}


def test_an_armed_job_never_runs_twice_at_once_and_never_misses_a_change(
    sessions: Sessions,
) -> None:
    clock = FakeClock(T0)
    runs: list[int] = []
    registry = JobRegistry()
    runner = Runner(sessions, registry, clock, workers=1)

    def sync(job: ClaimedJob) -> None:
        runs.append(job.id)
        if len(runs) == 1:
            # A change lands while this run is under way: it is armed again, not run beside it.
            with sessions.begin() as session:
                jobs.arm(session, kind="test.sync", key="sync:1", due_at=T0, now=T0)

    registry.register("test.sync", sync)
    with sessions.begin() as session:
        first = jobs.arm(session, kind="test.sync", key="sync:1", due_at=T0, now=T0)
        assert jobs.arm(session, kind="test.sync", key="sync:1", due_at=T0, now=T0) == first
    runner.run_due()
    assert runs == [first, first]  # once more for the change, then done
    with sessions.begin() as session:
        assert jobs.get(session, first).state == jobs.DONE  # type: ignore[union-attr]
        jobs.arm(session, kind="test.sync", key="sync:1", due_at=T0, now=T0)
    runner.run_due()
    assert runs == [first] * 3  # a finished job is armed again on the next change


def _three(sessions: Sessions, kind: str) -> list[int]:
    ids = []
    for _ in range(3):
        with sessions.begin() as session:
            job_id = jobs.schedule(session, kind=kind, due_at=T0, now=T0)
            assert job_id is not None
            ids.append(job_id)
    return ids


def test_a_batch_that_outlives_its_lease_keeps_it_by_heartbeat(sessions: Sessions) -> None:
    """Clock A's first job takes longer than the lease (a slow Slack); its heartbeat renews
    the batch's leases, so clock B takes nothing over and nothing goes out twice (before,
    14 of 60 such jobs were delivered twice)."""
    clock = FakeClock(T0)
    delivered: list[tuple[str, int]] = []
    registry = JobRegistry()
    lease = timedelta(minutes=2)
    a = Runner(sessions, registry, clock, owner="A", lease=lease, workers=1, heartbeat=0.01)
    b = Runner(sessions, registry, clock, owner="B", lease=lease, workers=1)

    def renewed() -> bool:
        with sessions.read() as session:
            row = jobs.get(session, ids[-1])
            assert row is not None and row.lease_expires_at is not None
            return row.lease_expires_at > clock.now()

    def slow(job: ClaimedJob) -> None:
        delivered.append(("A" if not delivered else "?", job.id))
        if len(delivered) == 1:
            clock.advance(timedelta(minutes=3))  # the lease A took has run out by now...
            deadline = time.monotonic() + 5
            while not renewed() and time.monotonic() < deadline:
                time.sleep(0.005)  # ...but the heartbeat (real time) renews it
            assert b.tick() == 0

    registry.register("test.slow", slow)
    ids = _three(sessions, "test.slow")
    assert a.tick() == 3
    assert sorted(job_id for _, job_id in delivered) == ids  # each once, all by A


def test_a_job_whose_lease_was_taken_over_is_skipped(sessions: Sessions) -> None:
    """Without a heartbeat in time (a clock paused for minutes), another clock may take the
    rest of the batch over: the first clock checks each job is still its own before it runs."""
    clock = FakeClock(T0)
    ran: list[int] = []
    registry = JobRegistry()
    lease = timedelta(minutes=2)
    a = Runner(sessions, registry, clock, owner="A", lease=lease, workers=1, heartbeat=3600)

    def slow(job: ClaimedJob) -> None:
        ran.append(job.id)
        if len(ran) == 1:
            clock.advance(timedelta(minutes=3))
            with sessions.begin() as session:  # clock B claims what has expired
                taken = jobs.claim(session, owner="B", now=clock.now(), lease=lease)
            assert sorted(j.id for j in taken) == ids

    registry.register("test.slow", slow)
    ids = _three(sessions, "test.slow")
    assert a.tick() == 3
    assert ran == ids[:1]  # A ran only the one it was in; B has the others


def test_leases_are_renewed_only_by_their_owner(sessions: Sessions) -> None:
    clock = FakeClock(T0)
    job_id = schedule(sessions)
    assert job_id is not None
    lease = timedelta(minutes=2)
    with sessions.begin() as session:
        assert [j.id for j in jobs.claim(session, owner="A", now=T0, lease=lease)] == [job_id]
    clock.advance(timedelta(minutes=1))
    with sessions.begin() as session:
        assert jobs.renew(session, [job_id], owner="B", now=clock.now(), lease=lease) == set()
        assert jobs.renew(session, [job_id], owner="A", now=clock.now(), lease=lease) == {job_id}
    clock.advance(timedelta(minutes=1, seconds=30))  # past the first lease, within the renewed
    with sessions.begin() as session:
        assert jobs.holds(session, job_id, owner="A", now=clock.now())
        assert jobs.claim(session, owner="B", now=clock.now(), lease=lease) == []
