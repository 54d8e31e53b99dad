"""Fixtures: every test runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store.db import Sessions
from tests.support import databases
from tests.support.acks import fail_on_ack_problems
from tests.support.harness import Harness, start_harness


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return databases.make_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_ready() -> str | None:
    if databases.POSTGRES_URL:
        databases.reset_postgres(databases.POSTGRES_URL)
    return databases.POSTGRES_URL


@pytest.fixture(params=databases.backends())
def db_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    postgres_ready: str | None,
) -> str:
    if request.param == "postgres":
        assert postgres_ready is not None
        return postgres_ready
    return databases.sqlite_copy(sqlite_template, tmp_path)


@pytest.fixture
def sessions(db_url: str) -> Iterator[Sessions]:
    sessions = databases.sessions_for(db_url)
    if sessions.dialect == "postgresql":
        databases.empty_postgres(sessions)
    yield sessions
    sessions.dispose()


@pytest.fixture
def harness(request: pytest.FixtureRequest, db_url: str, sessions: Sessions) -> Iterator[Harness]:
    h = start_harness(db_url, sessions)
    yield h
    h.close()
    fail_on_ack_problems(request, h.ls)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` run only on PostgreSQL: drop their SQLite variants (and all of
    them when TEST_DATABASE_URL is not set)."""
    keep, drop = [], []
    for item in items:
        backend = getattr(getattr(item, "callspec", None), "params", {}).get("db_url")
        if item.get_closest_marker("postgres") and backend != "postgres":
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
