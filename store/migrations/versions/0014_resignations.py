"""What moved from each leaver to their successor (resignation and handover, 004 §5.3).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "resignation_transfers",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column(
            "request_id",
            Id,
            sa.ForeignKey("requests.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("module", sa.String(48), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("label_zh", sa.Text(), nullable=True),
        sa.Column("leaver", sa.String(32), nullable=False),
        sa.Column("successor", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("request_id", "module", "kind", "ref", name="uq_resignation_transfer"),
    )


def downgrade() -> None:
    op.drop_table("resignation_transfers")
