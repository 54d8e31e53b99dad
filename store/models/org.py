"""The org directory as imported from the org file, and the per-user Slack profile cache."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import UTCDateTime

USER_ID = String(32)
CHANNEL_ID = String(32)


class OrgSettings(Base):
    """The single row of org-wide settings from the org file (id is always 1)."""

    __tablename__ = "org_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64))
    calendar: Mapped[str] = mapped_column(String(8))
    language: Mapped[str | None] = mapped_column(String(8))


class OrgRoom(Base):
    """A bookable meeting room from the org file's optional `rooms:` list."""

    __tablename__ = "org_rooms"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Department(Base):
    __tablename__ = "departments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200))
    head: Mapped[str] = mapped_column(USER_ID)
    director: Mapped[str | None] = mapped_column(USER_ID)
    channel: Mapped[str | None] = mapped_column(CHANNEL_ID)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Membership(Base):
    """Which department a user belongs to: the primary key makes it at most one."""

    __tablename__ = "memberships"

    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)
    department_id: Mapped[str] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), index=True
    )


class RoleGrant(Base):
    __tablename__ = "role_grants"

    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)


class OrgChannel(Base):
    """The channel for a purpose (approvals, announcements, hr, ...)."""

    __tablename__ = "org_channels"

    purpose: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(CHANNEL_ID)


class Person(Base):
    """Per-person facts from the org file that procedures need (calendar, start date)."""

    __tablename__ = "people"

    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)
    calendar: Mapped[str | None] = mapped_column(String(8))
    joined_on: Mapped[date | None] = mapped_column(Date)


class UserProfile(Base):
    """Slack's view of a user (cached from users.info) and the user's own language choice."""

    __tablename__ = "user_profiles"

    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    real_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    locale: Mapped[str | None] = mapped_column(String(16))
    tz: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
