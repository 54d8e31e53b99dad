"""Approval actions and the Slack projection: the Slack message timestamps and sync marks move
off requests, steps and approvers into tables owned by the Slack side; steps record the
special-case rule that chose their people; approvers have a turn for in-order steps.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.String(32)


def _fk(table: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "slack_request_messages",
        sa.Column("request_id", BIGID, _fk("requests"), primary_key=True),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("card_ts", TS, nullable=True),
        sa.Column("card_version", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("thread_synced", BIGID, nullable=False, server_default="0"),
        sa.Column("dm_synced", BIGID, nullable=False, server_default="0"),
    )
    op.create_index(
        "ix_slack_request_messages_card", "slack_request_messages", ["channel", "card_ts"]
    )
    op.create_table(
        "slack_step_prompts",
        sa.Column("step_id", BIGID, _fk("request_steps"), primary_key=True),
        sa.Column("request_id", BIGID, _fk("requests"), nullable=False),
        sa.Column("prompt_ts", TS, nullable=True),
        sa.Column("prompt_open", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("prompted_assignment", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_slack_step_prompts_request", "slack_step_prompts", ["request_id"])
    op.create_table(
        "slack_approver_dms",
        sa.Column("approver_id", BIGID, _fk("request_approvers"), primary_key=True),
        sa.Column("request_id", BIGID, _fk("requests"), nullable=False),
        sa.Column("dm_channel", sa.String(32), nullable=True),
        sa.Column("dm_ts", TS, nullable=True),
        sa.Column("dm_open", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_slack_approver_dms_request", "slack_approver_dms", ["request_id"])
    op.create_table(
        "slack_requester_dms",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("request_id", BIGID, _fk("requests"), nullable=False),
        sa.Column("event_id", BIGID, nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("ts", TS, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.create_index(
        "ix_slack_requester_dms_request", "slack_requester_dms", ["request_id", "open"]
    )

    # Existing Slack state moves over as it is.
    op.execute(
        "INSERT INTO slack_request_messages "
        "(request_id, channel, card_ts, card_version, thread_synced, dm_synced) "
        "SELECT id, channel, card_ts, card_version, thread_synced, dm_synced FROM requests"
    )
    op.execute(
        "INSERT INTO slack_step_prompts "
        "(step_id, request_id, prompt_ts, prompt_open, prompted_assignment) "
        "SELECT id, request_id, prompt_ts, prompt_open, prompted_assignment FROM request_steps "
        "WHERE prompt_ts IS NOT NULL OR prompted_assignment > 0"
    )
    op.execute(
        "INSERT INTO slack_approver_dms (approver_id, request_id, dm_channel, dm_ts, dm_open) "
        "SELECT id, request_id, dm_channel, dm_ts, dm_open FROM request_approvers "
        "WHERE dm_ts IS NOT NULL"
    )

    op.drop_index("ix_requests_card", table_name="requests")
    with op.batch_alter_table("requests") as batch:
        for column in ("channel", "card_ts", "card_version", "thread_synced", "dm_synced"):
            batch.drop_column(column)
    with op.batch_alter_table("request_steps") as batch:
        for column in ("prompt_ts", "prompt_open", "prompted_assignment"):
            batch.drop_column(column)
        batch.add_column(sa.Column("special", JSON, nullable=True))
    with op.batch_alter_table("request_approvers") as batch:
        for column in ("dm_channel", "dm_ts", "dm_open"):
            batch.drop_column(column)
        batch.add_column(sa.Column("turn", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("request_approvers") as batch:
        batch.drop_column("turn")
        batch.add_column(sa.Column("dm_channel", sa.String(32), nullable=True))
        batch.add_column(sa.Column("dm_ts", TS, nullable=True))
        batch.add_column(
            sa.Column("dm_open", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("request_steps") as batch:
        batch.drop_column("special")
        batch.add_column(sa.Column("prompt_ts", TS, nullable=True))
        batch.add_column(
            sa.Column("prompt_open", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("prompted_assignment", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("channel", sa.String(32), nullable=True))
        batch.add_column(sa.Column("card_ts", TS, nullable=True))
        batch.add_column(
            sa.Column("card_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("thread_synced", BIGID, nullable=False, server_default="0"))
        batch.add_column(sa.Column("dm_synced", BIGID, nullable=False, server_default="0"))
    op.create_index("ix_requests_card", "requests", ["channel", "card_ts"])
    for sql in (
        "UPDATE requests SET channel = m.channel, card_ts = m.card_ts, "
        "card_version = m.card_version, thread_synced = m.thread_synced, "
        "dm_synced = m.dm_synced FROM slack_request_messages m WHERE m.request_id = requests.id",
        "UPDATE request_steps SET prompt_ts = p.prompt_ts, prompt_open = p.prompt_open, "
        "prompted_assignment = p.prompted_assignment FROM slack_step_prompts p "
        "WHERE p.step_id = request_steps.id",
        "UPDATE request_approvers SET dm_channel = d.dm_channel, dm_ts = d.dm_ts, "
        "dm_open = d.dm_open FROM slack_approver_dms d WHERE d.approver_id = request_approvers.id",
    ):
        op.execute(sql)  # UPDATE … FROM: PostgreSQL, and SQLite since 3.33
    for table in (
        "slack_requester_dms",
        "slack_approver_dms",
        "slack_step_prompts",
        "slack_request_messages",
    ):
        op.drop_table(table)
