"""Foundation: org directory, Slack profile cache, audit trail, processed events.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSTANT = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
USER = sa.String(32)

# The audit trail is append-only: the database itself refuses to change or remove a row.
PG_AUDIT_GUARD = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
"""
SQLITE_AUDIT_GUARD = [
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]


def upgrade() -> None:
    op.create_table(
        "org_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("calendar", sa.String(8), nullable=False),
        sa.Column("language", sa.String(8), nullable=True),
    )
    op.create_table(
        "departments",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("head", USER, nullable=False),
        sa.Column("director", USER, nullable=True),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "memberships",
        sa.Column("user_id", USER, primary_key=True),
        sa.Column(
            "department_id",
            sa.String(64),
            sa.ForeignKey(
                "departments.id",
                ondelete="CASCADE",
                name="fk_memberships_department_id_departments",
            ),
            nullable=False,
        ),
    )
    op.create_index("ix_memberships_department_id", "memberships", ["department_id"])
    op.create_table(
        "role_grants",
        sa.Column("role", sa.String(32), primary_key=True),
        sa.Column("user_id", USER, primary_key=True),
    )
    op.create_table(
        "org_channels",
        sa.Column("purpose", sa.String(32), primary_key=True),
        sa.Column("channel_id", sa.String(32), nullable=False),
    )
    op.create_table(
        "people",
        sa.Column("user_id", USER, primary_key=True),
        sa.Column("calendar", sa.String(8), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=True),
    )
    op.create_table(
        "user_profiles",
        sa.Column("user_id", USER, primary_key=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("real_name", sa.String(200), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("locale", sa.String(16), nullable=True),
        sa.Column("tz", sa.String(64), nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("fetched_at", INSTANT, nullable=True),
    )
    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("at", INSTANT, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject_type", sa.String(32), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("from_state", sa.String(32), nullable=True),
        sa.Column("to_state", sa.String(32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detail", JSON, nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_subject", "audit_log", ["subject_type", "subject_id"])
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("received_at", INSTANT, nullable=False),
    )
    op.create_index("ix_processed_events_received_at", "processed_events", ["received_at"])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_AUDIT_GUARD)
    else:
        for statement in SQLITE_AUDIT_GUARD:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table in (
        "processed_events",
        "audit_log",
        "user_profiles",
        "people",
        "org_channels",
        "role_grants",
        "memberships",
        "departments",
        "org_settings",
    ):
        op.drop_table(table)
