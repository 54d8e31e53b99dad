"""Importing the org file: check everything, then apply it as a diff, all or nothing.

`plan_import` reads and checks the file (its shape, and every user and channel against Slack
through a `SlackLookup`), and describes the org it wants as an `OrgSnapshot`. `diff` compares
that with what the database holds; the store applies the changes in one transaction. Any
problem anywhere means nothing is applied and every problem is listed with its line, all in
one run and in line order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import ValidationError

from procedures.org_file import CHANNEL_ID, CHANNEL_PURPOSES, EMAIL, ROLES, USER_ID, OrgFile
from procedures.yaml_source import Path, Problem, SourceError, YamlDocument, read_yaml
from store.org_snapshot import Change, DepartmentRow, OrgSnapshot, PersonRow, RoomRow, diff

__all__ = ["Change", "DepartmentRow", "OrgSnapshot", "PersonRow", "diff", "plan_import"]


@dataclass(frozen=True)
class SlackUser:
    id: str
    deleted: bool = False
    is_bot: bool = False


@dataclass(frozen=True)
class SlackChannel:
    id: str
    name: str
    bot_is_member: bool
    is_archived: bool = False


class SlackLookup(Protocol):
    """What the importer needs from Slack; returns None for "no such user/channel"."""

    def user_by_id(self, user_id: str) -> SlackUser | None: ...

    def user_by_email(self, email: str) -> SlackUser | None: ...

    def channel(self, channel_id: str) -> SlackChannel | None: ...


def plan_import(text: str, source: str, slack: SlackLookup) -> OrgSnapshot:
    """The org the file describes, with users resolved to Slack IDs; `SourceError` if not."""
    document, problems = read_yaml(text, source)
    resolver = _Resolver(document, slack)
    try:
        org = OrgFile.model_validate(document.data)
    except ValidationError as exc:
        problems += document.validation_problems(exc)
        # The file cannot be imported, but the operator should not need a second run to learn
        # which of its users and channels Slack does not know.
        resolver.look_up_raw(document.data)
        snap = None
    else:
        snap = resolver.snapshot(org)
    problems += resolver.problems
    if problems or snap is None:
        raise SourceError(source, sorted(problems, key=lambda p: p.line or 0))
    return snap


class _Resolver:
    def __init__(self, document: YamlDocument, slack: SlackLookup) -> None:
        self.document = document
        self.slack = slack
        self.problems: list[Problem] = []
        self._users: dict[str, str | None] = {}

    def fail(self, path: tuple[str | int, ...], message: str) -> None:
        self.problems.append(self.document.problem(path, message))

    def user(self, ref: str, path: tuple[str | int, ...]) -> str | None:
        if ref not in self._users:
            found = (
                self.slack.user_by_email(ref) if EMAIL.match(ref) else self.slack.user_by_id(ref)
            )
            if found is None:
                self._users[ref] = None
            elif found.deleted or found.is_bot:
                kind = "deactivated" if found.deleted else "a bot"
                self.fail(path, f"user {ref} is {kind} in Slack")
                self._users[ref] = None
                return None
            else:
                self._users[ref] = found.id
        resolved = self._users[ref]
        if resolved is None:
            self.fail(path, f"unknown user {ref}: no such user in this Slack workspace")
        return resolved

    def channel(self, channel_id: str, path: tuple[str | int, ...]) -> str | None:
        found = self.slack.channel(channel_id)
        if found is None:
            self.fail(
                path, f"unknown channel {channel_id}: not found (is it private without the bot?)"
            )
            return None
        if found.is_archived:
            self.fail(path, f"channel #{found.name} ({channel_id}) is archived")
            return None
        if not found.bot_is_member:
            self.fail(
                path, f"the bot is not in #{found.name} ({channel_id}): /invite it there first"
            )
            return None
        return found.id

    def known_role(self, role: str) -> bool:
        if role not in ROLES:
            self.fail(("roles", role), f"role {role!r} does not exist; roles: {', '.join(ROLES)}")
        return role in ROLES

    def known_purpose(self, purpose: str) -> bool:
        if purpose not in CHANNEL_PURPOSES:
            self.fail(
                ("channels", purpose),
                f"channel purpose {purpose!r} does not exist; purposes: "
                + ", ".join(CHANNEL_PURPOSES),
            )
        return purpose in CHANNEL_PURPOSES

    def look_up_raw(self, data: object) -> None:
        """For a file that failed validation: check every well-formed user and channel (and the
        role and purpose names) where they stand. Checks that need the whole file to be valid
        (a person in two departments, a head who is also the director) wait for it."""
        if not isinstance(data, dict):
            return
        for path, kind, ref in _references(data):
            if kind == "user" and (USER_ID.match(ref) or EMAIL.match(ref)):
                self.user(ref, path)
            elif kind == "channel" and CHANNEL_ID.match(ref):
                self.channel(ref, path)
        roles, channels = data.get("roles"), data.get("channels")
        for role in roles if isinstance(roles, dict) else {}:
            self.known_role(str(role))
        for purpose in channels if isinstance(channels, dict) else {}:
            self.known_purpose(str(purpose))

    def snapshot(self, org: OrgFile) -> OrgSnapshot:
        snap = OrgSnapshot(timezone=org.timezone, calendar=org.calendar, language=org.language)
        home: dict[str, tuple[str, tuple[str | int, ...]]] = {}
        for index, spec in enumerate(org.departments):
            base: tuple[str | int, ...] = ("departments", index)
            if spec.id in snap.departments:
                self.fail((*base, "id"), f"department id {spec.id!r} is used twice")
                continue
            head = self.user(spec.head, (*base, "head"))
            director = self.user(spec.director, (*base, "director")) if spec.director else None
            channel = self.channel(spec.channel, (*base, "channel")) if spec.channel else None
            if director is not None and director == head:
                self.fail((*base, "director"), "the director cannot also be the head")
            snap.departments[spec.id] = DepartmentRow(
                name_en=spec.name.en,
                name_zh=spec.name.zh,
                head=head or spec.head,
                director=director,
                channel=channel,
                position=index,
            )
            people = [(spec.head, (*base, "head"), head)]
            people += [
                (ref, (*base, "members", i), self.user(ref, (*base, "members", i)))
                for i, ref in enumerate(spec.members)
            ]
            for ref, path, user in people:
                if user is None:
                    continue
                if user in home and home[user][0] != spec.id:
                    other, other_path = home[user]
                    line = self.document.line_of(other_path)
                    self.fail(path, f"{ref} is already in department {other!r} (line {line})")
                    continue
                home[user] = (spec.id, path)
                snap.memberships[user] = spec.id
        for role, refs in org.roles.items():
            if not self.known_role(role):
                continue
            for i, ref in enumerate(refs):
                user = self.user(ref, ("roles", role, i))
                if user is not None:
                    snap.roles.add((role, user))
        for purpose, channel_id in org.channels.items():
            if not self.known_purpose(purpose):
                continue
            channel = self.channel(channel_id, ("channels", purpose))
            if channel is not None:
                snap.channels[purpose] = channel
        for i, person in enumerate(org.people):
            user = self.user(person.user, ("people", i, "user"))
            if user is not None:
                snap.people[user] = PersonRow(calendar=person.calendar, joined_on=person.joined)
        for i, room in enumerate(org.rooms):
            if room.id in snap.rooms:
                self.fail(("rooms", i, "id"), f"room id {room.id!r} is used twice")
                continue
            snap.rooms[room.id] = RoomRow(room.name.en, room.name.zh, room.capacity, i)
        return snap


def _references(data: dict[Any, Any]) -> list[tuple[Path, str, str]]:
    """Every (path, "user" | "channel", text) in an org file's raw data, whatever its shape."""
    found: list[tuple[Path, str, str]] = []

    def add(path: Path, kind: str, value: object) -> None:
        if isinstance(value, str):
            found.append((path, kind, value.strip()))

    def add_all(path: Path, kind: str, values: object) -> None:
        for i, value in enumerate(values if isinstance(values, list) else []):
            add((*path, i), kind, value)

    departments = data.get("departments")
    for i, spec in enumerate(departments if isinstance(departments, list) else []):
        if isinstance(spec, dict):
            base: Path = ("departments", i)
            add((*base, "head"), "user", spec.get("head"))
            add((*base, "director"), "user", spec.get("director"))
            add_all((*base, "members"), "user", spec.get("members"))
            add((*base, "channel"), "channel", spec.get("channel"))
    roles = data.get("roles")
    for role, refs in roles.items() if isinstance(roles, dict) else []:
        if role in ROLES:
            add_all(("roles", role), "user", refs)
    channels = data.get("channels")
    for purpose, channel in channels.items() if isinstance(channels, dict) else []:
        if purpose in CHANNEL_PURPOSES:
            add(("channels", purpose), "channel", channel)
    people = data.get("people")
    for i, person in enumerate(people if isinstance(people, list) else []):
        if isinstance(person, dict):
            add(("people", i, "user"), "user", person.get("user"))
    return found
