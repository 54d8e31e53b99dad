"""Office supplies: the catalogue, and the stock ledger. Every movement of stock is a ledger row
(opening, received, issued, reserved, released, adjusted, ordered, order closed) with who, when,
why and the request line it belongs to; on hand, reserved, available and on order are sums of
it, never stored twice."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import UTCDateTime

BIGID = BigInteger().with_variant(Integer, "sqlite")


class SupplyItem(Base):
    __tablename__ = "supply_items"

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    # What the catalogue file names the item by: its sku, else its English name (lower case).
    key: Mapped[str] = mapped_column(String(120), unique=True)
    sku: Mapped[str | None] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str] = mapped_column(String(120))
    spec: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(64))
    reorder_level: Mapped[int] = mapped_column(Integer, default=0)
    reorder_quantity: Mapped[int | None] = mapped_column(Integer)
    per_request_limit: Mapped[int | None] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(String(120))
    discontinued: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SupplyEntry(Base):
    """One movement. `quantity` is positive except for a count's adjustment, which is signed."""

    __tablename__ = "supply_ledger"
    __table_args__ = (
        Index("ix_supply_ledger_item_kind", "item_id", "kind"),
        Index("ix_supply_ledger_request", "request_id", "line"),
    )

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # None for a request line that names something not in the catalogue.
    item_id: Mapped[int | None] = mapped_column(BIGID, ForeignKey("supply_items.id"))
    request_id: Mapped[int | None] = mapped_column(BIGID, ForeignKey("requests.id"))
    line: Mapped[int | None] = mapped_column(Integer)  # the request's line it is for
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    supplier: Mapped[str | None] = mapped_column(String(200))
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
