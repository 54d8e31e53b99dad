"""Meetings: the meeting, its attendees (RSVPs, notice messages), weekly series, and the
org's rooms.

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
INSTANT = sa.DateTime(timezone=True)
BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
USER = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "org_rooms",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "meeting_series",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("organiser", USER, nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("template", JSON, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
    )
    op.create_table(
        "meetings",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("number", sa.Integer(), nullable=False, unique=True),
        sa.Column("organiser", USER, nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("starts_at", INSTANT, nullable=False),
        sa.Column("ends_at", INSTANT, nullable=False),
        sa.Column("room_id", sa.String(64), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("chair", USER, nullable=False),
        sa.Column("note_taker", USER, nullable=False),
        sa.Column("agenda", JSON, nullable=False),
        sa.Column("materials", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("series_id", BIGID, sa.ForeignKey("meeting_series.id"), nullable=True),
        sa.Column("carried", JSON, nullable=False),
        sa.Column("minutes_version", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("tally_channel", sa.String(32), nullable=True),
        sa.Column("tally_ts", sa.String(32), nullable=True),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("updated_at", INSTANT, nullable=False),
    )
    op.create_index("ix_meetings_room_time", "meetings", ["room_id", "starts_at"])
    op.create_table(
        "meeting_attendees",
        sa.Column(
            "meeting_id",
            BIGID,
            sa.ForeignKey("meetings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("user_id", USER, primary_key=True),
        sa.Column("rsvp", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("away", sa.Boolean(), nullable=False),
        sa.Column("dm_channel", sa.String(32), nullable=True),
        sa.Column("dm_ts", sa.String(32), nullable=True),
        sa.Column("answered_at", INSTANT, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("meeting_attendees")
    op.drop_index("ix_meetings_room_time", table_name="meetings")
    op.drop_table("meetings")
    op.drop_table("meeting_series")
    op.drop_table("org_rooms")
