"""Document sign-off: the register of issued documents, their number sequences, circulation.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RequestId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "document_sequences",
        sa.Column("doc_type", sa.String(48), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("last", sa.Integer(), nullable=False),
    )
    op.create_table(
        "document_records",
        sa.Column("request_id", RequestId, primary_key=True),
        sa.Column("doc_type", sa.String(48), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(120), nullable=False, unique=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("signed_by", sa.String(32), nullable=True),
        sa.Column("issued_by", sa.String(32), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("doc_type", "year", "seq", name="uq_document_seq"),
    )
    op.create_table(
        "document_reads",
        sa.Column("request_id", RequestId, primary_key=True),
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("circulated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("document_reads")
    op.drop_table("document_records")
    op.drop_table("document_sequences")
