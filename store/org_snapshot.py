"""The org directory as plain data (`OrgSnapshot`), and the changes between two snapshots: what
the org file asks for against what the database holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class DepartmentRow:
    name_en: str
    name_zh: str
    head: str
    director: str | None
    channel: str | None
    position: int


@dataclass(frozen=True)
class PersonRow:
    calendar: str | None
    joined_on: date | None


@dataclass(frozen=True)
class RoomRow:
    name_en: str
    name_zh: str
    capacity: int | None
    position: int


@dataclass
class OrgSnapshot:
    """The whole directory as plain data: what the file asks for, or what the database has."""

    timezone: str = "Asia/Shanghai"
    calendar: str = "CN"
    language: str | None = None
    departments: dict[str, DepartmentRow] = field(default_factory=dict)
    memberships: dict[str, str] = field(default_factory=dict)  # user -> department
    roles: set[tuple[str, str]] = field(default_factory=set)  # (role, user)
    channels: dict[str, str] = field(default_factory=dict)  # purpose -> channel
    people: dict[str, PersonRow] = field(default_factory=dict)
    rooms: dict[str, RoomRow] = field(default_factory=dict)  # id -> room


@dataclass(frozen=True)
class Change:
    op: str  # "+", "-", "~"
    kind: str  # department, member, role, channel, person, setting
    key: str
    before: Any = None
    after: Any = None

    def __str__(self) -> str:
        if self.op == "~":
            return f"~ {self.kind} {self.key}: {self.before} → {self.after}"
        value = self.after if self.op == "+" else self.before
        shown = f": {value}" if value not in (None, "") else ""
        return f"{self.op} {self.kind} {self.key}{shown}"


def diff(current: OrgSnapshot, desired: OrgSnapshot) -> list[Change]:
    """What must change to turn `current` into `desired`, in a stable, readable order."""
    changes: list[Change] = []
    for name in ("timezone", "calendar", "language"):
        before, after = getattr(current, name), getattr(desired, name)
        if before != after:
            changes.append(Change("~", "setting", name, before, after))
    changes += _diff_maps("department", current.departments, desired.departments, _describe_dept)
    changes += _diff_maps("member", current.memberships, desired.memberships, str)
    for role, user in sorted(current.roles - desired.roles):
        changes.append(Change("-", "role", f"{role} {user}"))
    for role, user in sorted(desired.roles - current.roles):
        changes.append(Change("+", "role", f"{role} {user}"))
    changes += _diff_maps("channel", current.channels, desired.channels, str)
    changes += _diff_maps("person", current.people, desired.people, _describe_person)
    changes += _diff_maps("room", current.rooms, desired.rooms, _describe_room)
    return changes


def _diff_maps(kind: str, before: dict[str, Any], after: dict[str, Any], show: Any) -> list[Change]:
    changes = []
    for key in sorted(before.keys() - after.keys()):
        changes.append(Change("-", kind, key, before=show(before[key])))
    for key in sorted(after.keys() - before.keys()):
        changes.append(Change("+", kind, key, after=show(after[key])))
    for key in sorted(before.keys() & after.keys()):
        if before[key] != after[key]:
            changes.append(Change("~", kind, key, show(before[key]), show(after[key])))
    return changes


def _describe_dept(row: DepartmentRow) -> str:
    parts = [f"{row.name_en} / {row.name_zh}", f"head {row.head}"]
    if row.director:
        parts.append(f"director {row.director}")
    if row.channel:
        parts.append(f"channel {row.channel}")
    return ", ".join(parts)


def _describe_person(row: PersonRow) -> str:
    parts = []
    if row.calendar:
        parts.append(f"calendar {row.calendar}")
    if row.joined_on:
        parts.append(f"joined {row.joined_on.isoformat()}")
    return ", ".join(parts) or "-"


def _describe_room(row: RoomRow) -> str:
    seats = f", {row.capacity} seats" if row.capacity else ""
    return f"{row.name_en} / {row.name_zh}{seats}"
