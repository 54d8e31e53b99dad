"""Risks: the register, its score history and cases; indicators, their values and alerts.

Revision ID: 0009
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
AT = sa.DateTime(timezone=True)
VALUE = sa.Numeric(18, 4)


def upgrade() -> None:
    op.create_table(
        "risks",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("number", sa.Integer(), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("category", sa.String(48), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("consequence", sa.Text(), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(48), nullable=False),
        sa.Column("owner", sa.String(32), nullable=False),
        sa.Column("department", sa.String(48), nullable=False),
        sa.Column("strategy", sa.String(16), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        sa.Column("next_review_at", AT, nullable=False),
        sa.Column("accepted_until", AT, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_risks_owner", "risks", ["owner"])
    op.create_index("ix_risks_status", "risks", ["status"])
    op.create_table(
        "risk_scores",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("risk_id", ID, sa.ForeignKey("risks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(48), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("by", sa.String(32), nullable=False),
        sa.Column("at", AT, nullable=False),
        sa.Column("effect", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_risk_scores_risk", "risk_scores", ["risk_id", "at"])
    op.create_table(
        "risk_cases",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("risk_id", ID, sa.ForeignKey("risks.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "request_id",
            ID,
            sa.ForeignKey("requests.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
    )
    op.create_index("ix_risk_cases_risk", "risk_cases", ["risk_id", "kind"])
    op.create_table(
        "risk_indicators",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(48), nullable=False, unique=True),
        sa.Column("name", JSON, nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("warning", VALUE, nullable=False),
        sa.Column("critical", VALUE, nullable=False),
        sa.Column("approaching", VALUE, nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("risk_id", ID, sa.ForeignKey("risks.id", ondelete="SET NULL"), nullable=True),
        sa.Column("reporter_role", sa.String(24), nullable=False),
        sa.Column("from_policy", sa.Boolean(), nullable=False),
        sa.Column("token_hash", sa.String(128), nullable=True),
        sa.Column("last_value", VALUE, nullable=True),
        sa.Column("last_at", AT, nullable=True),
        sa.Column("created_at", AT, nullable=False),
    )
    op.create_table(
        "risk_indicator_values",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column(
            "indicator_id",
            ID,
            sa.ForeignKey("risk_indicators.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("value", VALUE, nullable=False),
        sa.Column("band", sa.String(16), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", AT, nullable=False),
    )
    op.create_index("ix_risk_indicator_values", "risk_indicator_values", ["indicator_id", "at"])
    op.create_table(
        "risk_alerts",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column(
            "indicator_id",
            ID,
            sa.ForeignKey("risk_indicators.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("open_key", sa.String(80), nullable=True, unique=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("inhibited", sa.Boolean(), nullable=False),
        sa.Column("value", VALUE, nullable=True),
        sa.Column("fired_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        sa.Column("acked_by", sa.String(32), nullable=True),
        sa.Column("acked_at", AT, nullable=True),
        sa.Column("resolved_at", AT, nullable=True),
        sa.Column("escalated", sa.Integer(), nullable=False),
        sa.Column("notices", sa.Integer(), nullable=False),
        sa.Column("silenced_until", AT, nullable=True),
        sa.Column("silenced_by", sa.String(32), nullable=True),
        sa.Column("silence_reason", sa.Text(), nullable=True),
        sa.Column("plan_started_by", sa.String(32), nullable=True),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("ts", sa.String(32), nullable=True),
        sa.Column("dm_channel", sa.String(32), nullable=True),
        sa.Column("dm_ts", sa.String(32), nullable=True),
        sa.Column("shown", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_risk_alerts_state", "risk_alerts", ["state"])


def downgrade() -> None:
    op.drop_table("risk_alerts")
    op.drop_table("risk_indicator_values")
    op.drop_table("risk_indicators")
    op.drop_table("risk_cases")
    op.drop_table("risk_scores")
    op.drop_table("risks")
