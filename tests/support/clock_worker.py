"""A clock process for the multi-clock test: runs `test.count` jobs until none are left.

Usage: python -m tests.support.clock_worker DATABASE_URL OWNER
Each run of a job inserts one row into `test_job_runs`, so the test can count runs per job.
"""

from __future__ import annotations

import sys
from datetime import timedelta

from sqlalchemy import func, select, text

from procedures.clock import SystemClock
from scheduler.registry import JobRegistry
from scheduler.runner import Runner
from store.db import make_sessions
from store.jobs import ClaimedJob
from store.models import Job


def main(url: str, owner: str) -> int:
    sessions = make_sessions(url)

    def count(job: ClaimedJob) -> None:
        with sessions.begin() as session:
            session.execute(
                text("INSERT INTO test_job_runs (job_id, owner) VALUES (:job, :owner)"),
                {"job": job.id, "owner": owner},
            )

    registry = JobRegistry()
    registry.register("test.count", count)
    runner = Runner(
        sessions,
        registry,
        SystemClock(),
        owner=owner,
        batch=25,
        workers=4,
        lease=timedelta(minutes=5),
    )
    while True:
        runner.tick()
        with sessions.begin() as session:
            left = session.scalar(
                select(func.count()).select_from(Job).where(Job.state.in_(("pending", "running")))
            )
        if not left:
            break
    sessions.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
