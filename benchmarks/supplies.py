"""The stock ledger at size: on hand (every balance derived from the entries, never stored)
over 100,000 entries, for all items at once (`/supply stock`) and for one item (a reservation
under its lock). `python -m benchmarks.supplies [--postgres URL]` runs it alone."""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from procedures.supplies.ledger import Kind
from procedures.supplies.stock import balance_of, balances
from store.db import Sessions, make_sessions
from store.models.supplies import SupplyEntry, SupplyItem
from tests.support import databases

Row = tuple[str, str, str, str]
ITEMS = 200
ENTRIES = 100_000


def fill(sessions: Sessions) -> list[int]:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    rng = random.Random(7)
    with sessions.begin() as session:
        items = [
            SupplyItem(
                key=f"bench-{n}",
                sku=f"B{n}",
                name_en=f"Item {n}",
                name_zh=f"物品{n}",
                spec="",
                unit="pc",
                category="bench",
                reorder_level=5,
                discontinued=False,
                created_at=t0,
                updated_at=t0,
            )
            for n in range(ITEMS)
        ]
        session.add_all(items)
        session.flush()
        ids = [item.id for item in items]
        kinds = [Kind.RESERVED, Kind.ISSUED, Kind.RECEIVED, Kind.ORDERED, Kind.RELEASED]
        rows = [
            {
                "at": t0 + timedelta(minutes=n),
                "item_id": ids[n % ITEMS],
                "kind": Kind.OPENING if n < ITEMS else rng.choice(kinds),
                "quantity": 1000 if n < ITEMS else 1,
                "actor": "bench",
            }
            for n in range(ENTRIES)
        ]
        for start in range(0, ENTRIES, 10_000):
            session.execute(insert(SupplyEntry), rows[start : start + 10_000])
    return ids


def measure(sessions: Sessions, label: str) -> list[Row]:
    ids = fill(sessions)
    every: list[float] = []
    one: list[float] = []
    for _ in range(20):
        with sessions.read() as session:
            started = time.perf_counter()
            found = balances(session)
            every.append((time.perf_counter() - started) * 1000)
            assert len(found) == ITEMS
    for n in range(50):
        with sessions.read() as session:
            started = time.perf_counter()
            balance_of(session, ids[n % ITEMS])
            one.append((time.perf_counter() - started) * 1000)
    return [
        (
            f"stock on hand, all {ITEMS} items ({label})",
            f"{statistics.median(every):.1f} ms",
            "< 200 ms",
            f"{ENTRIES:,} ledger entries, derived",
        ),
        (
            f"stock on hand, one item ({label})",
            f"{statistics.median(one):.2f} ms",
            "< 20 ms",
            "indexed by item and kind",
        ),
    ]


def bench_stock(postgres: str | None = None) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / "template").mkdir()
        template = databases.make_sqlite_template(directory / "template")
        url = databases.sqlite_copy(template, directory)
        sessions = make_sessions(url)
        rows += measure(sessions, "SQLite")
        sessions.dispose()
    if postgres:
        databases.reset_postgres(postgres)
        pg = make_sessions(postgres)
        rows += measure(pg, "PostgreSQL")
        pg.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", help="also measure on this PostgreSQL URL")
    args = parser.parse_args()
    for row in bench_stock(args.postgres):
        print("  ".join(row))


if __name__ == "__main__":
    main()
