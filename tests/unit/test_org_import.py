"""The org importer lists problems in the file's line order, whatever order it checks in."""

from __future__ import annotations

import pytest

from procedures.org_import import SlackChannel, SlackUser, plan_import
from procedures.yaml_source import SourceError


class Slack:
    """Knows U0HEAD and the channel C0TEAM, which the bot is in; nothing else."""

    def user_by_id(self, user_id: str) -> SlackUser | None:
        return SlackUser(id=user_id) if user_id == "U0HEAD" else None

    def user_by_email(self, email: str) -> SlackUser | None:
        return None

    def channel(self, channel_id: str) -> SlackChannel | None:
        if channel_id != "C0TEAM":
            return None
        return SlackChannel(id=channel_id, name="team", bot_is_member=True)


def problems(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(SourceError) as caught:
        plan_import(text, "org.yml", Slack())
    return [(p.line, p.where) for p in caught.value.problems]


def test_a_people_section_before_the_departments_is_reported_first() -> None:
    text = """\
people:
  - {user: U0GHOST}
departments:
  - id: ops
    name: {en: Operations, zh: 运营部}
    head: U0HEAD
    members: [nobody@example.com]
channels:
  approvals: C0NONE
"""
    assert problems(text) == [
        (2, "people[0].user"),
        (7, "departments[0].members[0]"),
        (9, "channels.approvals"),
    ]


def test_lookups_still_run_when_the_shape_is_wrong() -> None:
    text = """\
departments:
  - id: ops
    name: {en: Operations}
    head: U0GHOST
    members: [not-a-user, U0HEAD]
    channel: C0TEAM
roles:
  chef: [U0HEAD]
"""
    assert problems(text) == [
        (3, "departments[0].name.zh"),
        (4, "departments[0].head"),
        (5, "departments[0].members[0]"),
        (8, "roles.chef"),
    ]
