"""Periodic review prompts: how far each prompt has been materialised, and who answered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import UTCDateTime


class PromptCursor(Base):
    """The last occurrence of a prompt already turned into jobs (or when it was first seen)."""

    __tablename__ = "prompt_cursors"

    prompt_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_occurrence_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PromptResponse(Base):
    """A recipient's answer for one period of a prompt ("done")."""

    __tablename__ = "prompt_responses"

    prompt_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
