"""The suggestions box (合理化建议): one row per suggestion. An anonymous one has no column that
leads to its author — no user, no DM channel, no timestamp finer than the day — only the hash of
the receipt code its author was shown once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import UTCDateTime


class Suggestion(Base):
    __tablename__ = "suggestions"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    benefit: Mapped[str | None] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    submitter: Mapped[str | None] = mapped_column(String(32))  # None when anonymous
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    submitted_on: Mapped[date] = mapped_column(Date)  # the day only: no time to correlate
    state: Mapped[str] = mapped_column(String(16))  # under_review, adopted, not_adopted
    reward: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    card_channel: Mapped[str | None] = mapped_column(String(32))
    card_ts: Mapped[str | None] = mapped_column(String(32))
