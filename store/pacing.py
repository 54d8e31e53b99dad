"""Per-channel posting slots in the database, so every process that posts keeps one pace.

A slot is taken on a connection of its own, in a short transaction right before the post
(never inside the caller's: on SQLite that waits for its own write lock; see
scheduler.pacing). PostgreSQL takes it in one atomic upsert; on SQLite the transaction holds
the write lock from its start (`BEGIN IMMEDIATE`), so no other process's read and write can
interleave with this one's.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from store.models.jobs import ChannelSlot


def take(
    connection: Connection,
    channel: str,
    *,
    now: datetime,
    interval: timedelta,
    max_wait: timedelta,
) -> tuple[bool, datetime]:
    """Reserve the channel's next slot: (True, when to post), at `now` or later. If the next
    slot is more than `max_wait` away nothing is reserved: (False, when it is free)."""
    if connection.dialect.name == "postgresql":
        insert = pg_insert(ChannelSlot).values(channel=channel, next_at=now + interval)
        statement = insert.on_conflict_do_update(
            index_elements=["channel"],
            set_={"next_at": func.greatest(ChannelSlot.next_at, now) + interval},
            where=ChannelSlot.next_at <= now + max_wait,
        ).returning(ChannelSlot.next_at)
        taken = connection.execute(statement).scalar_one_or_none()
        if taken is not None:
            return True, taken - interval
        free = connection.scalar(select(ChannelSlot.next_at).where(ChannelSlot.channel == channel))
        return False, free or now
    current = connection.scalar(select(ChannelSlot.next_at).where(ChannelSlot.channel == channel))
    slot = max(now, current) if current is not None else now
    if slot > now + max_wait:
        return False, slot
    upsert = sqlite_insert(ChannelSlot).values(channel=channel, next_at=slot + interval)
    connection.execute(
        upsert.on_conflict_do_update(
            index_elements=["channel"], set_={"next_at": upsert.excluded.next_at}
        )
    )
    return True, slot


def hold_until(connection: Connection, channel: str, until: datetime) -> None:
    """Nobody posts to the channel before `until` (Slack answered 429 with Retry-After)."""
    dialect = connection.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(ChannelSlot).values(channel=channel, next_at=until)
    greater = (
        func.greatest(ChannelSlot.next_at, statement.excluded.next_at)
        if dialect == "postgresql"
        else func.max(ChannelSlot.next_at, statement.excluded.next_at)
    )
    connection.execute(
        statement.on_conflict_do_update(index_elements=["channel"], set_={"next_at": greater})
    )
