"""Office supplies: the catalogue and the append-only stock ledger.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "supply_items",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("sku", sa.String(64), nullable=True),
        sa.Column("name_en", sa.String(120), nullable=False),
        sa.Column("name_zh", sa.String(120), nullable=False),
        sa.Column("spec", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("reorder_level", sa.Integer(), nullable=False),
        sa.Column("reorder_quantity", sa.Integer(), nullable=True),
        sa.Column("per_request_limit", sa.Integer(), nullable=True),
        sa.Column("location", sa.String(120), nullable=True),
        sa.Column("discontinued", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("key", name="uq_supply_items_key"),
    )
    op.create_table(
        "supply_ledger",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "item_id",
            BIGID,
            sa.ForeignKey("supply_items.id", name="fk_supply_ledger_item_id_supply_items"),
            nullable=True,
        ),
        sa.Column(
            "request_id",
            BIGID,
            sa.ForeignKey("requests.id", name="fk_supply_ledger_request_id_requests"),
            nullable=True,
        ),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("supplier", sa.String(200), nullable=True),
        sa.Column("unit_price", sa.Numeric(12, 2), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
    )
    op.create_index("ix_supply_ledger_item_kind", "supply_ledger", ["item_id", "kind"])
    op.create_index("ix_supply_ledger_request", "supply_ledger", ["request_id", "line"])
    if op.get_bind().dialect.name == "postgresql":
        # The ledger is append-only: the database itself refuses to change or delete a row.
        op.execute(
            """
            CREATE FUNCTION supply_ledger_append_only() RETURNS trigger AS $$
            BEGIN
              RAISE EXCEPTION 'supply_ledger is append-only';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER supply_ledger_append_only BEFORE UPDATE OR DELETE ON supply_ledger "
            "FOR EACH ROW EXECUTE FUNCTION supply_ledger_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER supply_ledger_no_{event.lower()} BEFORE {event} ON supply_ledger "
                "BEGIN SELECT RAISE(ABORT, 'supply_ledger is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS supply_ledger_append_only ON supply_ledger")
        op.execute("DROP FUNCTION IF EXISTS supply_ledger_append_only()")
    op.drop_index("ix_supply_ledger_request", table_name="supply_ledger")
    op.drop_index("ix_supply_ledger_item_kind", table_name="supply_ledger")
    op.drop_table("supply_ledger")
    op.drop_table("supply_items")
