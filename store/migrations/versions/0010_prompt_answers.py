"""Periodic prompts that collect answers: what each person wrote, whether it came late, and
their reviewer's evaluation.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("prompt_responses") as batch:
        batch.add_column(sa.Column("answers", JSON, nullable=True))
        batch.add_column(sa.Column("late", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("reviewer", sa.String(32), nullable=True))
        batch.add_column(sa.Column("review", JSON, nullable=True))
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("prompt_responses") as batch:
        for column in ("reviewed_at", "review", "reviewer", "updated_at", "late", "answers"):
            batch.drop_column(column)
