"""Resignations (离职管理): what moved from a leaver to their successor on the last day, one
row per item, so the list can be shown again and a re-run of the transfer adds nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import UTCDateTime

BIGID = BigInteger().with_variant(Integer, "sqlite")


class ResignationTransfer(Base):
    __tablename__ = "resignation_transfers"
    __table_args__ = (
        UniqueConstraint("request_id", "module", "kind", "ref", name="uq_resignation_transfer"),
    )

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))
    module: Mapped[str] = mapped_column(String(48))  # core, meetings, risks, supplies, ...
    kind: Mapped[str] = mapped_column(String(32))  # task, delegation, risk, action_item, ...
    ref: Mapped[str] = mapped_column(String(64))  # its number or id
    label: Mapped[str] = mapped_column(Text, default="")  # user text; "" when restricted
    label_zh: Mapped[str | None] = mapped_column(Text)
    leaver: Mapped[str] = mapped_column(String(32))
    successor: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
