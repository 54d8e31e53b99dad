"""Projects (立项 / 验收): one row per project number carrying its state and approved plan, the
engine requests filed under it (initiation, each change, each acceptance application). What a
reviewer asked to rectify is the return's reason, kept in the acceptance request's history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import JSONType, UTCDateTime

Id = BigInteger().with_variant(Integer, "sqlite")


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)  # PJ-0001
    lead: Mapped[str] = mapped_column(String(32))  # who proposed it (项目负责人)
    # proposed, approved, accepting (rectifying while its application is returned), archived;
    # rejected, withdrawn (never started)
    state: Mapped[str] = mapped_column(String(16))
    plan: Mapped[dict[str, Any]] = mapped_column(JSONType)  # as approved (or as proposed)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProjectRequest(Base):
    """An engine request filed under a project, and what it is to the project."""

    __tablename__ = "project_requests"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # initiation, change, acceptance
    # For a change: the plan it was filed against, so its card shows old → new.
    base: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
