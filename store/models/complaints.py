"""Customer complaints (004 §4.2): one row per complaint, its lifecycle in its columns (each
step's who, when and what), its card's place in Slack."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import UTCDateTime


class Complaint(Base):
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    number: Mapped[int] = mapped_column(Integer, unique=True)
    customer: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16))  # phone, email, visit, online, other
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(48))
    # open → assigned → responded → resolved → revisited
    state: Mapped[str] = mapped_column(String(16), index=True)
    filed_by: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    respond_by: Mapped[datetime] = mapped_column(UTCDateTime)
    owner: Mapped[str | None] = mapped_column(String(32))
    assigned_by: Mapped[str | None] = mapped_column(String(32))
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revisited_by: Mapped[str | None] = mapped_column(String(32))
    revisited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handling_score: Mapped[int | None] = mapped_column(Integer)  # how it was handled
    satisfaction_score: Mapped[int | None] = mapped_column(Integer)  # our service overall
    revisit_note: Mapped[str | None] = mapped_column(Text)
    nudged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    card_channel: Mapped[str | None] = mapped_column(String(32))
    card_ts: Mapped[str | None] = mapped_column(String(32))
