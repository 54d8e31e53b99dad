"""Customer complaints (004 §4.2): the complaints table.

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "complaints",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("number", sa.Integer(), nullable=False, unique=True),
        sa.Column("customer", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(48), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("filed_by", sa.String(32), nullable=False),
        _when("received_at", nullable=False),
        _when("respond_by", nullable=False),
        sa.Column("owner", sa.String(32), nullable=True),
        sa.Column("assigned_by", sa.String(32), nullable=True),
        _when("assigned_at"),
        sa.Column("response", sa.Text(), nullable=True),
        _when("responded_at"),
        sa.Column("resolution", sa.Text(), nullable=True),
        _when("resolved_at"),
        sa.Column("revisited_by", sa.String(32), nullable=True),
        _when("revisited_at"),
        sa.Column("handling_score", sa.Integer(), nullable=True),
        sa.Column("satisfaction_score", sa.Integer(), nullable=True),
        sa.Column("revisit_note", sa.Text(), nullable=True),
        _when("nudged_at"),
        _when("escalated_at"),
        sa.Column("card_channel", sa.String(32), nullable=True),
        sa.Column("card_ts", sa.String(32), nullable=True),
    )
    op.create_index("ix_complaints_state", "complaints", ["state"])
    op.create_index("ix_complaints_received_at", "complaints", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_complaints_received_at", "complaints")
    op.drop_index("ix_complaints_state", "complaints")
    op.drop_table("complaints")
