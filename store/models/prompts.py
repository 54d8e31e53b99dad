"""Periodic review prompts: how far each prompt has been materialised, and who answered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, String, false
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import JSONType, UTCDateTime


class PromptCursor(Base):
    """The last occurrence of a prompt already turned into jobs (or when it was first seen)."""

    __tablename__ = "prompt_cursors"

    prompt_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_occurrence_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PromptResponse(Base):
    """A recipient's answer for one period of a prompt: "done" (with what they wrote, for a
    prompt with questions) or "excused"; and, for a prompt with a review, the evaluation."""

    __tablename__ = "prompt_responses"

    prompt_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewer: Mapped[str | None] = mapped_column(String(32))
    review: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
