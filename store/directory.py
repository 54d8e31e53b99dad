"""The org directory: what procedures ask about people, departments, roles and channels.

Procedures never read the org file; they ask this, inside their own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import (
    Department,
    Membership,
    OrgChannel,
    OrgRoom,
    OrgSettings,
    Person,
    RoleGrant,
)

DEFAULT_CALENDAR = "CN"


@dataclass(frozen=True)
class DepartmentInfo:
    id: str
    name_en: str
    name_zh: str
    head: str
    director: str | None
    channel: str | None

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Approver:
    """Who approves above a user; `user` is None at the top, and `why` says which case."""

    user: str | None
    why: Literal["head", "director", "top", "not_in_org"]


@dataclass(frozen=True)
class RoomInfo:
    id: str
    name_en: str
    name_zh: str
    capacity: int | None

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class OrgInfo:
    timezone: str
    calendar: str
    language: str | None


def _info(row: Department) -> DepartmentInfo:
    return DepartmentInfo(
        id=row.id,
        name_en=row.name_en,
        name_zh=row.name_zh,
        head=row.head,
        director=row.director,
        channel=row.channel,
    )


class Directory:
    def __init__(self, session: Session) -> None:
        self.session = session

    def org(self) -> OrgInfo | None:
        row = self.session.get(OrgSettings, 1)
        if row is None:
            return None
        return OrgInfo(timezone=row.timezone, calendar=row.calendar, language=row.language)

    def rooms(self) -> list[RoomInfo]:
        """The org file's bookable rooms, in file order."""
        rows = self.session.scalars(select(OrgRoom).order_by(OrgRoom.position, OrgRoom.id))
        return [RoomInfo(r.id, r.name_en, r.name_zh, r.capacity) for r in rows]

    def departments(self) -> list[DepartmentInfo]:
        rows = self.session.scalars(select(Department).order_by(Department.position, Department.id))
        return [_info(row) for row in rows]

    def department(self, department_id: str) -> DepartmentInfo | None:
        row = self.session.get(Department, department_id)
        return _info(row) if row else None

    def department_of(self, user: str) -> DepartmentInfo | None:
        row = self.session.scalar(
            select(Department).join(Membership).where(Membership.user_id == user)
        )
        return _info(row) if row else None

    def head_of(self, department_id: str) -> str | None:
        dept = self.session.get(Department, department_id)
        return dept.head if dept else None

    def approver_for(self, user: str) -> Approver:
        """The department head; for the head, the director; for the director, nobody."""
        dept = self.department_of(user)
        if dept is None:
            return Approver(None, "not_in_org")
        if user == dept.director:
            return Approver(None, "top")
        if user != dept.head:
            return Approver(dept.head, "head")
        if dept.director:
            return Approver(dept.director, "director")
        return Approver(None, "top")

    def members(self, department_id: str) -> list[str]:
        """Everyone in the department, the head included."""
        query = select(Membership.user_id).where(Membership.department_id == department_id)
        return sorted(self.session.scalars(query))

    def everyone(self) -> list[str]:
        return sorted(self.session.scalars(select(Membership.user_id)))

    def heads(self) -> list[str]:
        return sorted({dept.head for dept in self.departments()})

    def users_with_role(self, role: str) -> list[str]:
        query = select(RoleGrant.user_id).where(RoleGrant.role == role)
        return sorted(self.session.scalars(query))

    def roles_of(self, user: str) -> list[str]:
        return sorted(self.session.scalars(select(RoleGrant.role).where(RoleGrant.user_id == user)))

    def has_role(self, user: str, role: str) -> bool:
        return self.session.get(RoleGrant, (role, user)) is not None

    def channel_for(self, purpose: str) -> str | None:
        row = self.session.get(OrgChannel, purpose)
        return row.channel_id if row else None

    def channels(self) -> dict[str, str]:
        return {row.purpose: row.channel_id for row in self.session.scalars(select(OrgChannel))}

    def calendar_of(self, user: str) -> str:
        person = self.session.get(Person, user)
        if person and person.calendar:
            return person.calendar
        org = self.org()
        return org.calendar if org else DEFAULT_CALENDAR

    def joined_on(self, user: str) -> date | None:
        person = self.session.get(Person, user)
        return person.joined_on if person else None
