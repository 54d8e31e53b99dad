"""The job table's API: schedule, cancel, reschedule, claim with a lease, finish.

Scheduling runs in the caller's transaction, so a saved state change always has its reminder
and a rolled-back one never does. Claiming takes a lease: `FOR UPDATE SKIP LOCKED` lets any
number of clocks share PostgreSQL without two of them taking the same row; on SQLite every
transaction already holds the write lock (`BEGIN IMMEDIATE`, see store.db).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal_column, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from store.models.jobs import CANCELLED, DEAD, DONE, PENDING, RUNNING, Job

LATE_AFTER = timedelta(minutes=1)


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    kind: str
    payload: dict[str, Any]
    due_at: datetime
    attempts: int
    max_attempts: int
    dedupe_key: str | None


def _claimed(job: Job) -> ClaimedJob:
    return ClaimedJob(
        id=job.id,
        kind=job.kind,
        payload=dict(job.payload or {}),
        due_at=job.due_at,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        dedupe_key=job.dedupe_key,
    )


def schedule(
    session: Session,
    *,
    kind: str,
    due_at: datetime,
    now: datetime,
    payload: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    max_attempts: int = 8,
) -> int | None:
    """Add a job; with a dedupe key already used, add nothing and return None."""
    values = {
        "kind": kind,
        "payload": payload or {},
        "due_at": due_at,
        "state": PENDING,
        "attempts": 0,
        "max_attempts": max_attempts,
        "dedupe_key": dedupe_key,
        "created_at": now,
    }
    if dedupe_key is None:
        job = Job(**values)
        session.add(job)
        session.flush()
        return job.id
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(Job)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(Job.id)
    )
    return session.execute(statement).scalar_one_or_none()


def arm(
    session: Session,
    *,
    kind: str,
    key: str,
    due_at: datetime,
    now: datetime,
    payload: dict[str, Any] | None = None,
) -> int:
    """A coalescing job: at most one per key is pending or running at a time.

    Finished (or never run): pending again. Pending: stays, due at the earlier time. Running:
    marked to run once more when the current run ends, so a change made during a run is never
    missed and two runs for one key never overlap. Returns the job id."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    finished = Job.state.in_((DONE, DEAD, CANCELLED))
    statement = insert(Job).values(
        kind=kind,
        payload=payload or {},
        due_at=due_at,
        state=PENDING,
        attempts=0,
        max_attempts=8,
        dedupe_key=key,
        rerun=False,
        created_at=now,
    )
    excluded = statement.excluded
    upsert = statement.on_conflict_do_update(
        index_elements=["dedupe_key"],
        set_={
            "state": case((finished, PENDING), else_=Job.state),
            "due_at": case(
                (finished, excluded.due_at),
                (and_(Job.state == PENDING, excluded.due_at < Job.due_at), excluded.due_at),
                else_=Job.due_at,
            ),
            "attempts": case((finished, 0), else_=Job.attempts),
            "finished_at": case((finished, None), else_=Job.finished_at),
            "payload": excluded.payload,
            "rerun": case((Job.state == RUNNING, True), else_=Job.rerun),
        },
    ).returning(Job.id)
    return int(session.execute(upsert).scalar_one())


def cancel(session: Session, *, key: str | None = None, prefix: str | None = None) -> int:
    """Cancel pending jobs by dedupe key or key prefix; returns how many."""
    if (key is None) == (prefix is None):
        raise ValueError("give exactly one of key or prefix")
    match = Job.dedupe_key == key if key is not None else Job.dedupe_key.startswith(prefix or "")
    result = session.execute(update(Job).where(match, Job.state == PENDING).values(state=CANCELLED))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def reschedule(session: Session, key: str, due_at: datetime) -> bool:
    result = session.execute(
        update(Job).where(Job.dedupe_key == key, Job.state == PENDING).values(due_at=due_at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


# The states as SQL literals, not bound parameters: only then can SQLite and PostgreSQL (also
# under a generic prepared plan) prove a query matches the partial indexes on pending and
# running jobs, which stay as small as the work outstanding however many rows are done.
IS_PENDING = Job.state == literal_column(f"'{PENDING}'")
IS_RUNNING = Job.state == literal_column(f"'{RUNNING}'")
IS_DEAD = Job.state == literal_column(f"'{DEAD}'")

# /healthz counts at most this many of each: enough to alert on, and a probe stays cheap
# whatever the backlog.
COUNT_CAP = 10_000


def claim(
    session: Session, *, owner: str, now: datetime, lease: timedelta, limit: int = 50
) -> list[ClaimedJob]:
    """Lease up to `limit` due jobs (jobs whose lease expired first) to `owner`."""
    expired = (
        select(Job)
        .where(IS_RUNNING, Job.lease_expires_at < now)
        .order_by(Job.lease_expires_at)
        .limit(limit)
    )
    due = select(Job).where(IS_PENDING, Job.due_at <= now).order_by(Job.due_at, Job.id)
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        expired = expired.with_for_update(skip_locked=True)
    rows = list(session.scalars(expired))
    if len(rows) < limit:
        due = due.limit(limit - len(rows))
        rows += session.scalars(due.with_for_update(skip_locked=True) if postgres else due)
    claimed = []
    for job in rows:
        if job.attempts >= job.max_attempts:
            # Its last attempt died with its process: give up rather than loop forever.
            job.state, job.finished_at = DEAD, now
            job.last_error = job.last_error or "lease expired after the last attempt"
            continue
        job.state, job.lease_owner, job.lease_expires_at = RUNNING, owner, now + lease
        job.attempts += 1
        claimed.append(job)
    session.flush()
    return [_claimed(job) for job in claimed]


def claim_one(
    session: Session, job_id: int, *, owner: str, now: datetime, lease: timedelta
) -> ClaimedJob | None:
    """Lease one job if it is due, unless another process holds it or it is finished. A job
    for later is left to the clock, so callers may hand over every job they scheduled."""
    query = select(Job).where(Job.id == job_id, Job.state == PENDING, Job.due_at <= now)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    job = session.scalar(query)
    if job is None:
        return None
    job.state, job.lease_owner, job.lease_expires_at = RUNNING, owner, now + lease
    job.attempts += 1
    session.flush()
    return _claimed(job)


def _held(job_id: int, owner: str) -> Any:
    return and_(Job.id == job_id, Job.state == RUNNING, Job.lease_owner == owner)


def renew(
    session: Session, job_ids: list[int], *, owner: str, now: datetime, lease: timedelta
) -> set[int]:
    """Extend `owner`'s lease on these running jobs; returns the ids it still holds."""
    if not job_ids:
        return set()
    statement = (
        update(Job)
        .where(Job.id.in_(job_ids), Job.state == RUNNING, Job.lease_owner == owner)
        .values(lease_expires_at=now + lease)
        .returning(Job.id)
    )
    return set(session.execute(statement).scalars())


def holds(session: Session, job_id: int, *, owner: str, now: datetime) -> bool:
    """Does `owner` still hold the lease on this job, unexpired? Checked before running a job
    of a batch: one claimed long ago may have been taken over by another clock."""
    query = select(Job.id).where(_held(job_id, owner), Job.lease_expires_at >= now)
    return session.execute(query).first() is not None


def complete(session: Session, job_id: int, *, owner: str, now: datetime) -> str | None:
    """Mark done — or pending again if it was re-armed while running. Returns the new state,
    or None if the lease was lost meanwhile (another clock took it over)."""
    result = session.execute(
        update(Job)
        .where(_held(job_id, owner))
        .values(
            state=case((Job.rerun, PENDING), else_=DONE),
            due_at=case((Job.rerun, now), else_=Job.due_at),
            attempts=case((Job.rerun, 0), else_=Job.attempts),
            finished_at=case((Job.rerun, None), else_=now),
            rerun=False,
            lease_owner=None,
            lease_expires_at=None,
        )
        .returning(Job.state)
    )
    return result.scalar_one_or_none()


def fail(
    session: Session,
    job_id: int,
    *,
    owner: str,
    now: datetime,
    error: str,
    retry_at: datetime | None,
) -> str | None:
    """Record a failure: back to pending at `retry_at`, or dead. Returns the new state."""
    state = PENDING if retry_at is not None else DEAD
    result = session.execute(
        update(Job)
        .where(_held(job_id, owner))
        .values(
            state=state,
            due_at=retry_at if retry_at is not None else Job.due_at,
            finished_at=None if retry_at is not None else now,
            last_error=error[:4000],
            lease_owner=None,
            lease_expires_at=None,
        )
    )
    return state if result.rowcount else None  # type: ignore[attr-defined]


def defer(session: Session, job_id: int, *, owner: str, until: datetime) -> bool:
    """Put a job back for later without spending an attempt (Slack said "slow down")."""
    result = session.execute(
        update(Job)
        .where(_held(job_id, owner))
        .values(
            state=PENDING,
            due_at=until,
            attempts=Job.attempts - 1,
            lease_owner=None,
            lease_expires_at=None,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def retry_dead(session: Session, job_id: int, *, now: datetime) -> bool:
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == DEAD)
        .values(state=PENDING, due_at=now, attempts=0, finished_at=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def counts(session: Session, now: datetime) -> dict[str, int]:
    """Jobs due now, running, late (due over a minute ago, still waiting) and dead, each
    counted up to `COUNT_CAP` through an index (a probe must not scan a big table)."""

    def capped(*where: Any, order: Any = None) -> Any:
        rows = select(Job.id).where(*where).order_by(order).limit(COUNT_CAP).subquery()
        return select(func.count()).select_from(rows).scalar_subquery()

    # Ordered by the index's own order: PostgreSQL's generic plan for a prepared statement
    # (psycopg prepares from the 5th run, and a probe runs forever) cannot see that
    # `due_at <= $1` matches few rows; with the order it still walks the index and stops,
    # where unordered it chose to scan every pending row (~400 ms with a million).
    row = session.execute(
        select(
            capped(IS_PENDING, Job.due_at <= now, order=Job.due_at),
            capped(IS_RUNNING),
            capped(IS_PENDING, Job.due_at <= now - LATE_AFTER, order=Job.due_at),
            capped(IS_DEAD),
        )
    ).one()
    return dict(zip(("due", "running", "late", "dead"), map(int, row), strict=True))


def state_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Job.state, func.count()).group_by(Job.state))
    return {state: int(count) for state, count in rows}


def next_due(session: Session, limit: int = 10) -> list[Job]:
    query = select(Job).where(Job.state == PENDING).order_by(Job.due_at, Job.id).limit(limit)
    return list(session.scalars(query))


def dead_jobs(session: Session, limit: int = 20) -> list[Job]:
    query = select(Job).where(Job.state == DEAD).order_by(Job.finished_at.desc()).limit(limit)
    return list(session.scalars(query))


def get(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def pending_keys(session: Session, prefix: str) -> list[str]:
    query = select(Job.dedupe_key).where(Job.dedupe_key.startswith(prefix), Job.state == PENDING)
    return [key for key in session.scalars(query) if key]


__all__ = [
    "CANCELLED",
    "DEAD",
    "DONE",
    "PENDING",
    "RUNNING",
    "ClaimedJob",
    "arm",
    "cancel",
    "claim",
    "claim_one",
    "complete",
    "counts",
    "dead_jobs",
    "defer",
    "fail",
    "get",
    "next_due",
    "reschedule",
    "retry_dead",
    "schedule",
    "state_counts",
]
