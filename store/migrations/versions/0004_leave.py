"""Leave: the balance ledger.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "leave_ledger",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("leave_type", sa.String(48), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("days", sa.Numeric(7, 1), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("request_id", BIGID, nullable=True),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.UniqueConstraint("key", name="uq_leave_ledger_key"),
    )
    op.create_index("ix_leave_ledger_user_year", "leave_ledger", ["user_id", "year", "leave_type"])


def downgrade() -> None:
    op.drop_table("leave_ledger")
