"""Reading and writing the org directory tables as one `OrgSnapshot`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from store import audit
from store.models import (
    Department,
    Membership,
    OrgChannel,
    OrgRoom,
    OrgSettings,
    Person,
    RoleGrant,
)
from store.org_snapshot import Change, DepartmentRow, OrgSnapshot, PersonRow, RoomRow, diff


def load_snapshot(session: Session) -> OrgSnapshot:
    settings = session.get(OrgSettings, 1)
    snap = OrgSnapshot()
    if settings is not None:
        snap.timezone, snap.calendar, snap.language = (
            settings.timezone,
            settings.calendar,
            settings.language,
        )
    else:
        # An empty directory: every setting in the file counts as a change.
        snap.timezone = snap.calendar = ""
    for dept in session.scalars(select(Department)):
        snap.departments[dept.id] = DepartmentRow(
            name_en=dept.name_en,
            name_zh=dept.name_zh,
            head=dept.head,
            director=dept.director,
            channel=dept.channel,
            position=dept.position,
        )
    snap.memberships = {m.user_id: m.department_id for m in session.scalars(select(Membership))}
    snap.roles = {(g.role, g.user_id) for g in session.scalars(select(RoleGrant))}
    snap.channels = {c.purpose: c.channel_id for c in session.scalars(select(OrgChannel))}
    snap.people = {
        p.user_id: PersonRow(calendar=p.calendar, joined_on=p.joined_on)
        for p in session.scalars(select(Person))
    }
    snap.rooms = {
        r.id: RoomRow(r.name_en, r.name_zh, r.capacity, r.position)
        for r in session.scalars(select(OrgRoom))
    }
    return snap


def apply_snapshot(
    session: Session, desired: OrgSnapshot, *, actor: str, at: datetime
) -> list[Change]:
    """Make the directory equal `desired` in the caller's transaction; audit every change."""
    current = load_snapshot(session)
    changes = diff(current, desired)
    if not changes:
        return []
    settings = session.get(OrgSettings, 1) or OrgSettings(id=1)
    settings.timezone, settings.calendar, settings.language = (
        desired.timezone,
        desired.calendar,
        desired.language,
    )
    session.add(settings)

    # Memberships reference departments: drop the stale ones before their departments go.
    stale_members = current.memberships.keys() - desired.memberships.keys()
    if stale_members:
        session.execute(delete(Membership).where(Membership.user_id.in_(stale_members)))
    for dept_id in current.departments.keys() - desired.departments.keys():
        session.execute(delete(Department).where(Department.id == dept_id))
    session.flush()
    for dept_id, row in desired.departments.items():
        if current.departments.get(dept_id) != row:
            session.merge(Department(id=dept_id, **row.__dict__))
    session.flush()
    for user, dept_id in desired.memberships.items():
        if current.memberships.get(user) != dept_id:
            session.merge(Membership(user_id=user, department_id=dept_id))
    for role, user in current.roles - desired.roles:
        session.execute(delete(RoleGrant).where(RoleGrant.role == role, RoleGrant.user_id == user))
    for role, user in desired.roles - current.roles:
        session.add(RoleGrant(role=role, user_id=user))
    for purpose in current.channels.keys() - desired.channels.keys():
        session.execute(delete(OrgChannel).where(OrgChannel.purpose == purpose))
    for purpose, channel in desired.channels.items():
        if current.channels.get(purpose) != channel:
            session.merge(OrgChannel(purpose=purpose, channel_id=channel))
    for user in current.people.keys() - desired.people.keys():
        session.execute(delete(Person).where(Person.user_id == user))
    for user, person in desired.people.items():
        if current.people.get(user) != person:
            session.merge(
                Person(user_id=user, calendar=person.calendar, joined_on=person.joined_on)
            )
    for room_id in current.rooms.keys() - desired.rooms.keys():
        session.execute(delete(OrgRoom).where(OrgRoom.id == room_id))
    for room_id, room in desired.rooms.items():
        if current.rooms.get(room_id) != room:
            session.merge(OrgRoom(id=room_id, **room.__dict__))

    for change in changes:
        audit.record(
            session,
            at=at,
            actor=actor,
            action="org.import",
            subject_type="org",
            subject_id=f"{change.kind}:{change.key}"[:64],
            detail={"op": change.op, "before": change.before, "after": change.after},
        )
    return changes
