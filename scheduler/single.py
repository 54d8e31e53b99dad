"""One clock per SQLite file.

SQLite has no `FOR UPDATE SKIP LOCKED`: two clocks on one file would both claim a due job and
deliver it twice. A running clock therefore holds an exclusive lock on `<file>.clock.lock`
beside the database; a second clock (in another process, or the same one) is refused with a
message that says what to do. The operating system drops the lock when the process dies, so a
crashed clock never blocks the next one. PostgreSQL needs none of this.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from sqlalchemy.engine import URL

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, run one clock by hand
    fcntl = None  # type: ignore[assignment]


class ClockAlreadyRunning(Exception):
    """Another clock holds this SQLite file; `str()` is one line for the operator."""


class ClockLock:
    def __init__(self, path: Path, database: str) -> None:
        self.path, self.database = path, database
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        if self._file is not None or fcntl is None:
            return
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise ClockAlreadyRunning(
                f"another procedo clock is already running on {self.database} "
                f"({holder}, lock {self.path}); SQLite supports one clock per database: "
                "stop the other one, or use PostgreSQL to run several"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock
            self._file = None

    @property
    def held(self) -> bool:
        return self._file is not None


def lock_for(url: URL) -> ClockLock | None:
    """The lock a clock on this database must hold: a SQLite file's, else None."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    database = Path(str(url.database)).resolve()
    return ClockLock(database.with_name(database.name + ".clock.lock"), str(database))
