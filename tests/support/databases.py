"""Test databases: a migrated SQLite file per test (copied from a template migrated once), and,
with TEST_DATABASE_URL set, the same tests on PostgreSQL (migrated once, emptied per test)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sqlalchemy import text

from store.db import Sessions, make_engine, make_sessions
from store.migrate import upgrade
from store.models import Base

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def backends() -> list[str]:
    return ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]


def make_sqlite_template(directory: Path) -> Path:
    path = directory / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    return path


def sqlite_copy(template: Path, directory: Path) -> str:
    path = directory / "procedo.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def reset_postgres(url: str) -> None:
    """A clean schema at head, once per test session."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    engine.dispose()


def empty_postgres(sessions: Sessions) -> None:
    """Every table emptied (TRUNCATE does not fire the audit log's row triggers)."""
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with sessions.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def sessions_for(url: str) -> Sessions:
    return make_sessions(url)
