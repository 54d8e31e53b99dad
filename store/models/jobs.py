"""Due work as rows: reminders, escalations, prompts and deliveries that must not be lost."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import JSONType, UTCDateTime

PENDING, RUNNING, DONE, DEAD, CANCELLED = "pending", "running", "done", "dead", "cancelled"
JOB_STATES = (PENDING, RUNNING, DONE, DEAD, CANCELLED)


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_state_due_at", "state", "due_at"),
        # The clock's claim and /healthz read only pending and running rows, in due order;
        # these stay as small as the work outstanding, however many done rows pile up.
        Index(
            "ix_jobs_pending_due",
            "due_at",
            "id",
            sqlite_where=text("state = 'pending'"),
            postgresql_where=text("state = 'pending'"),
        ),
        Index(
            "ix_jobs_running_lease",
            "lease_expires_at",
            sqlite_where=text("state = 'running'"),
            postgresql_where=text("state = 'running'"),
        ),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=8)
    last_error: Mapped[str | None] = mapped_column(Text)
    dedupe_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    # Armed again while running: run once more after this run (see store.jobs.arm).
    rerun: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ChannelSlot(Base):
    """When the next post to a channel may go out, shared by every process that posts
    (Slack: about one message a second per channel; see scheduler.pacing)."""

    __tablename__ = "channel_slots"

    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime)
