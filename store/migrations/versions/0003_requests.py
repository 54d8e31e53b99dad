"""The approval engine: requests, their steps and approvers, delegations, counters.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSTANT = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
USER = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "requests",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("procedure", sa.String(48), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("requester", USER, nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("computed", JSON, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("card_ts", sa.String(32), nullable=True),
        sa.Column("card_version", sa.Integer(), nullable=False),
        sa.Column("thread_synced", BIGID, nullable=False),
        sa.Column("dm_synced", BIGID, nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("updated_at", INSTANT, nullable=False),
        sa.Column("decided_at", INSTANT, nullable=True),
        sa.Column("decided_by", USER, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.UniqueConstraint("procedure", "number", name="uq_requests_procedure_number"),
    )
    op.create_index("ix_requests_card", "requests", ["channel", "card_ts"])
    op.create_index("ix_requests_requester", "requests", ["requester", "state"])
    op.create_index("ix_requests_state", "requests", ["state"])
    op.create_table(
        "request_steps",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column(
            "request_id",
            BIGID,
            sa.ForeignKey(
                "requests.id", ondelete="CASCADE", name="fk_request_steps_request_id_requests"
            ),
            nullable=False,
        ),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("spec_index", sa.Integer(), nullable=True),
        sa.Column("label", JSON, nullable=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("activated_at", INSTANT, nullable=True),
        sa.Column("prompt_ts", sa.String(32), nullable=True),
        sa.Column("prompt_open", sa.Boolean(), nullable=False),
        sa.Column("assignment", sa.Integer(), nullable=False),
        sa.Column("prompted_assignment", sa.Integer(), nullable=False),
        sa.UniqueConstraint("request_id", "round", "position", name="uq_request_steps_position"),
    )
    op.create_table(
        "request_approvers",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column(
            "step_id",
            BIGID,
            sa.ForeignKey(
                "request_steps.id",
                ondelete="CASCADE",
                name="fk_request_approvers_step_id_request_steps",
            ),
            nullable=False,
        ),
        sa.Column(
            "request_id",
            BIGID,
            sa.ForeignKey(
                "requests.id", ondelete="CASCADE", name="fk_request_approvers_request_id_requests"
            ),
            nullable=False,
        ),
        sa.Column("user_id", USER, nullable=False),
        sa.Column("on_behalf_of", USER, nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("decided_at", INSTANT, nullable=True),
        sa.UniqueConstraint("step_id", "user_id", name="uq_request_approvers_step_user"),
    )
    op.create_index("ix_request_approvers_user", "request_approvers", ["user_id", "decision"])
    op.create_table(
        "delegations",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("approver", USER, nullable=False),
        sa.Column("delegate", USER, nullable=False),
        sa.Column("starts_at", INSTANT, nullable=False),
        sa.Column("ends_at", INSTANT, nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("revoked_at", INSTANT, nullable=True),
    )
    op.create_index("ix_delegations_approver", "delegations", ["approver", "ends_at"])
    op.create_table(
        "request_counters",
        sa.Column("procedure", sa.String(48), primary_key=True),
        sa.Column("last", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "request_counters",
        "delegations",
        "request_approvers",
        "request_steps",
        "requests",
    ):
        op.drop_table(table)
