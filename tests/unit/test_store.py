"""The schema: migrations match the models, the audit trail is append-only, and a database
that is behind is refused with the command to run."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from store import audit
from store.db import Sessions, make_engine
from store.migrate import SchemaBehind, downgrade, ensure_current, upgrade
from store.models import Base

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_migrations_create_exactly_the_models(sessions: Sessions) -> None:
    with sessions.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_audit_trail_refuses_updates_and_deletes(sessions: Sessions) -> None:
    with sessions.begin() as session:
        audit.record(session, at=NOW, actor="U1", action="test", subject_type="t", subject_id="1")
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), sessions.begin() as session:
            session.execute(text(statement))
    with sessions.begin() as session:
        rows = audit.entries_for(session, "t", "1")
        assert [(r.actor, r.at) for r in rows] == [("U1", NOW)]


def test_a_database_behind_the_code_is_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with pytest.raises(SchemaBehind, match="no Procedo schema: run `procedo migrate`"):
        ensure_current(engine)
    upgrade(engine, "0001")
    with pytest.raises(SchemaBehind, match=r"behind .* run `procedo migrate`"):
        ensure_current(engine)
    upgrade(engine)
    ensure_current(engine)
    downgrade(engine, "base")
    with pytest.raises(SchemaBehind):
        ensure_current(engine)


def test_sqlite_has_foreign_keys_and_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
