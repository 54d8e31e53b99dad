"""The clock at scale: partial indexes on outstanding jobs, and per-channel posting slots.

An idle tick and `/healthz` read pending and running jobs only; with a million done or future
rows the old (state, due_at) index still made them walk what they do not need. `channel_slots`
holds when the next post to a channel may go, shared by every process that posts.

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("state = 'pending'")
RUNNING = sa.text("state = 'running'")


def upgrade() -> None:
    op.create_index(
        "ix_jobs_pending_due",
        "jobs",
        ["due_at", "id"],
        sqlite_where=PENDING,
        postgresql_where=PENDING,
    )
    op.create_index(
        "ix_jobs_running_lease",
        "jobs",
        ["lease_expires_at"],
        sqlite_where=RUNNING,
        postgresql_where=RUNNING,
    )
    op.create_table(
        "channel_slots",
        sa.Column("channel", sa.String(64), primary_key=True),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("channel_slots")
    op.drop_index("ix_jobs_running_lease", table_name="jobs")
    op.drop_index("ix_jobs_pending_due", table_name="jobs")
