"""Several clock processes against one PostgreSQL: every job runs exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from store import jobs
from store.db import Sessions

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.postgres
def test_two_clock_processes_run_a_thousand_jobs_each_exactly_once(
    db_url: str, sessions: Sessions
) -> None:
    assert sessions.dialect == "postgresql"  # several clocks share PostgreSQL; SQLite runs one
    with sessions.begin() as session:
        session.execute(text("DROP TABLE IF EXISTS test_job_runs"))
        session.execute(text("CREATE TABLE test_job_runs (job_id BIGINT NOT NULL, owner TEXT)"))
        ids = [
            jobs.schedule(session, kind="test.count", due_at=T0, now=T0, dedupe_key=f"n:{n}")
            for n in range(1000)
        ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.clock_worker", db_url, f"clock-{n}"],
            cwd=ROOT,
            env=env,
        )
        for n in range(2)
    ]
    for worker in workers:
        assert worker.wait(timeout=120) == 0
    with sessions.begin() as session:
        rows = session.execute(text("SELECT job_id, owner FROM test_job_runs")).all()
        states = Counter(
            session.execute(text("SELECT state FROM jobs WHERE kind = 'test.count'")).scalars()
        )
        session.execute(text("DROP TABLE test_job_runs"))
    runs = Counter(job_id for job_id, _ in rows)
    assert set(runs) == set(ids)
    assert max(runs.values()) == 1
    assert states == {"done": 1000}
    # Both clocks took part (otherwise the test proves nothing about concurrency).
    assert len({owner for _, owner in rows}) == 2
