"""Count what one interaction costs the database: SQL statements and transactions.

Counts are deterministic (timings never are), so a test can hold a path to a bound and a
benchmark can say where the statements went. Attach to the engine the app uses:

    with counting(sessions.engine) as cost:
        driver.command("/procedo", "help")
        harness.settle()
    assert cost.statements <= 10
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event


@dataclass
class Cost:
    statements: int = 0
    transactions: int = 0
    writes: int = 0  # INSERT, UPDATE, DELETE (and upserts)
    sql: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __str__(self) -> str:
        return f"{self.statements} statements ({self.writes} writes), {self.transactions} tx"


@contextmanager
def counting(engine: Engine) -> Iterator[Cost]:
    cost = Cost()

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if verb in ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA"):
            return  # SQLite's own BEGIN (IMMEDIATE) is counted as a transaction below
        with cost._lock:
            cost.statements += 1
            cost.writes += verb in ("INSERT", "UPDATE", "DELETE")
            cost.sql.append(" ".join(statement.split())[:160])

    def on_begin(_conn: Any) -> None:
        with cost._lock:
            cost.transactions += 1

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "begin", on_begin)
    try:
        yield cost
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "begin", on_begin)
