"""Budgets (预算): an append-only ledger per department, year and line — the amount a line
opened with and each approved adjustment — so a line's amount is a sum and its history the rows."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import UTCDateTime


class BudgetEntry(Base):
    __tablename__ = "budget_entries"
    __table_args__ = (Index("ix_budget_entries_dept_year", "department", "year", "line"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    department: Mapped[str] = mapped_column(String(48))
    year: Mapped[int] = mapped_column(Integer)
    line: Mapped[str] = mapped_column(String(150))
    kind: Mapped[str] = mapped_column(String(16))  # opening, adjustment
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(String(3))
    request_id: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    key: Mapped[str] = mapped_column(String(120), unique=True)  # one per request and kind
    at: Mapped[datetime] = mapped_column(UTCDateTime)
