"""Budget lines and their approved adjustments, per department and year.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "budget_entries",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("department", sa.String(48), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("line", sa.String(150), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount", sa.Numeric(16, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("request_id", Id, nullable=True),
        sa.Column("key", sa.String(120), nullable=False, unique=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_budget_entries_dept_year", "budget_entries", ["department", "year", "line"]
    )


def downgrade() -> None:
    op.drop_index("ix_budget_entries_dept_year", table_name="budget_entries")
    op.drop_table("budget_entries")
