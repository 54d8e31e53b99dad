"""Document sign-off (文件管理): the register of issued documents with their numbers (发文字号),
the per-type-and-year sequence the numbers come from, and who each one was circulated to and
when they read it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import UTCDateTime

RequestId = BigInteger().with_variant(Integer, "sqlite")


class DocumentSequence(Base):
    """The last number given per document type and year: one row, incremented in place, so
    numbers never repeat and (the increment rolls back with its transaction) never skip."""

    __tablename__ = "document_sequences"

    doc_type: Mapped[str] = mapped_column(String(48), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class DocumentRecord(Base):
    """One issued document (编号登记): frozen once written, like the signed version it names."""

    __tablename__ = "document_records"
    __table_args__ = (UniqueConstraint("doc_type", "year", "seq", name="uq_document_seq"),)

    request_id: Mapped[int] = mapped_column(RequestId, primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(48))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(120), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64))  # of the version signed and issued
    signed_by: Mapped[str | None] = mapped_column(String(32))
    issued_by: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DocumentRead(Base):
    """A member of a document's audience (传阅): circulated to them, and when they read it."""

    __tablename__ = "document_reads"

    request_id: Mapped[int] = mapped_column(RequestId, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    circulated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
