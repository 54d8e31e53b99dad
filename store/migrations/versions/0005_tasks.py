"""Cases made of tasks: a step's kind, what each assignee captured, and their task DMs.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # batch_alter_table: SQLite rebuilds the table; PostgreSQL runs plain ALTERs. Steps that
    # exist already were all decisions.
    with op.batch_alter_table("request_steps") as batch:
        batch.add_column(
            sa.Column("task", sa.String(16), nullable=False, server_default="decision")
        )
    with op.batch_alter_table("request_approvers") as batch:
        batch.add_column(sa.Column("data", JSON, nullable=True))
        batch.add_column(sa.Column("dm_channel", sa.String(32), nullable=True))
        batch.add_column(sa.Column("dm_ts", sa.String(32), nullable=True))
        batch.add_column(
            sa.Column("dm_open", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("request_approvers") as batch:
        batch.drop_column("dm_open")
        batch.drop_column("dm_ts")
        batch.drop_column("dm_channel")
        batch.drop_column("data")
    with op.batch_alter_table("request_steps") as batch:
        batch.drop_column("task")
