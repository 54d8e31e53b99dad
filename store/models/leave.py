"""The leave ledger: every change to a balance is a row (granted, carried over, taken,
restored, earned by overtime), so a balance is a sum and its history is the rows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import UTCDateTime


class LeaveEntry(Base):
    __tablename__ = "leave_ledger"
    __table_args__ = (Index("ix_leave_ledger_user_year", "user_id", "year", "leave_type"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    user_id: Mapped[str] = mapped_column(String(32))
    leave_type: Mapped[str] = mapped_column(String(48))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # grant, carry, taken, restored, earned
    days: Mapped[Decimal] = mapped_column(Numeric(7, 1))  # + adds to the balance, - uses it
    on: Mapped[date] = mapped_column(Date)  # the day it counts from (a taken leave: its start)
    request_id: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    # One grant per user, type and year; one deduction per approved request; and so on.
    key: Mapped[str] = mapped_column(String(120), unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
