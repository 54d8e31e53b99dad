"""Engine and session factory.

One engine per process; one session per unit of work (`sessions.begin()` commits on success and
rolls back on error). SQLite gets foreign keys, WAL and a busy timeout so the web process and
the clock can share a file; PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool


def normalize_url(url: str | URL) -> URL:
    """`postgresql://` means psycopg 3 here (SQLAlchemy's default driver is psycopg2).

    `postgres://` is what Heroku-style platforms set, and SQLAlchemy no longer knows that
    name, so it is read as `postgresql://` (with any `+driver` it names kept)."""
    parsed = make_url(url)
    backend, plus, driver = parsed.drivername.partition("+")
    if backend == "postgres":
        parsed = parsed.set(drivername=f"postgresql{plus}{driver}")
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(
    url: str | URL,
    *,
    connect_timeout: float | None = None,
    statement_timeout: float | None = None,
    **kwargs: Any,
) -> Engine:
    """`connect_timeout`: seconds to wait for a connection (PostgreSQL: to connect; SQLite:
    for another writer's lock). `statement_timeout`: seconds one PostgreSQL statement may run
    (0 or None: no limit; SQLite has none). The long-running processes pass both (settings);
    `procedo migrate` passes neither, so a long migration is never cut short."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        if connect_timeout is not None:
            kwargs.setdefault("connect_args", {}).setdefault("timeout", connect_timeout)
        return _sqlite_engine(parsed, **kwargs)
    connect_args = kwargs.setdefault("connect_args", {})
    if connect_timeout is not None:
        # libpq counts whole seconds and treats less than 2 as 2.
        connect_args.setdefault("connect_timeout", max(2, round(connect_timeout)))
    if statement_timeout:
        connect_args.setdefault(
            "options", f"-c statement_timeout={round(statement_timeout * 1000)}"
        )
    kwargs.setdefault("pool_timeout", connect_timeout or 30)
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return create_engine(parsed, **kwargs)


def _sqlite_engine(url: URL, **kwargs: Any) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    connect_args = kwargs.pop("connect_args", {})
    # Threads of one process share the engine; SQLite's own locking serialises writers.
    connect_args.setdefault("check_same_thread", False)
    connect_args.setdefault("timeout", 30)
    busy_ms = round(float(connect_args["timeout"]) * 1000)
    if in_memory:
        kwargs.setdefault("poolclass", StaticPool)
    engine = create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself (pysqlite's implicit transactions are off by
        # default only from 3.12), so BEGIN IMMEDIATE below is honoured.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Take the write lock at the start of every writing transaction: a read-then-write
        # (a conditional update, a claim) can then never deadlock on lock upgrade. A read
        # (`Sessions.read`) takes no lock: in WAL it sees a snapshot and waits for nobody.
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


READ_ONLY = "procedo_read_only"


class WriteInReadOnly(RuntimeError):
    """A `Sessions.read()` unit of work tried to write: use `begin()` for that."""


class DatabaseUnavailable(Exception):
    """The database cannot be reached or opened; `str()` is one line, with the password masked."""

    def __init__(self, url: str, reason: str, setting: str = "DATABASE_URL") -> None:
        self.url, self.reason, self.setting = url, reason, setting
        super().__init__(f"cannot connect to the database in {setting} ({url}): {reason}")


def ensure_reachable(engine: Engine, setting: str = "DATABASE_URL") -> None:
    """Open one connection now, so a wrong or unreachable database is one clear line at
    start-up instead of a traceback from the first query."""
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        url = engine.url.render_as_string(hide_password=True)
        raise DatabaseUnavailable(url, _reason(exc, engine.url), setting) from None


def _reason(exc: DBAPIError, url: URL) -> str:
    # psycopg: 'connection failed: connection to server at "h", port 9 failed: FATAL:  ...'
    # over several lines; the URL already names host and port, so keep only the cause.
    text = " ".join(str(exc.orig).split("\n", 1)[0].split())
    text = text.rsplit(" failed: ", 1)[-1].removeprefix("connection failed: ")
    text = text.removeprefix("FATAL: ")
    if url.password:
        text = text.replace(str(url.password), "***")
    if url.get_backend_name() == "sqlite" and "unable to open" in text:
        text += " (does its directory exist, and may this user write there?)"
    return text or exc.orig.__class__.__name__


class NestedTransaction(RuntimeError):
    """A unit of work was opened inside another on the same thread.

    That is always a bug here: on SQLite the inner one waits for the outer one's write lock
    forever (a self-deadlock), and anywhere it splits what should commit together."""


class Sessions:
    """The session factory handed to every part that touches the database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(bind=engine, expire_on_commit=False)
        self._read_factory = sessionmaker(
            bind=engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        event.listen(self._read_factory, "before_flush", _refuse_flush)
        self._open = threading.local()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A unit of work: commit on success, roll back on any exception."""
        with self._unit(self._factory) as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads: on SQLite it does not take the write lock, so
        answering a question never waits behind someone's write."""
        with self._unit(self._read_factory) as session:
            yield session

    @contextmanager
    def _unit(self, factory: sessionmaker[Session]) -> Iterator[Session]:
        if getattr(self._open, "active", False):
            raise NestedTransaction("a transaction is already open on this thread")
        self._open.active = True
        try:
            with factory.begin() as session:
                yield session
        finally:
            self._open.active = False

    @property
    def in_unit(self) -> bool:
        """Is a unit of work open on this thread? (Then another connection must not wait
        for a lock it may hold: SQLite's write lock is one per file.)"""
        return bool(getattr(self._open, "active", False))

    def session(self) -> Session:
        return self._factory()

    def dispose(self) -> None:
        self.engine.dispose()


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise WriteInReadOnly("a read-only unit of work tried to write")


def make_sessions(url: str | URL, **kwargs: Any) -> Sessions:
    return Sessions(make_engine(url, **kwargs))


def sessions_for(settings: Any) -> Sessions:
    """The sessions of a long-running process, with the timeouts its settings name."""
    return make_sessions(
        settings.database_url,
        connect_timeout=settings.db_connect_timeout,
        statement_timeout=settings.db_statement_timeout,
    )
