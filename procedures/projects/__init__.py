"""Projects (立项 / 验收, 001 §3, 002 §3, 003 §4): a proposal reviewed by the operations
management department and approved by the director becomes a project with a number and a task
letter; a change to its plan is a new approval showing what changed; acceptance passes (the
project is archived) or asks for rectification and a new application — every request filed
under the one project number (see lifecycle.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator

from procedures.modules import Domain
from procedures.org_file import CHANNEL_PURPOSES
from procedures.policy.common import Strict
from procedures.projects.hooks import AcceptanceHooks, ChangeHooks, InitiationHooks


def _purpose(value: str | None) -> str | None:
    if value is not None and value not in CHANNEL_PURPOSES:
        raise ValueError(f"channel purpose {value!r} does not exist")
    return value


class ProjectsPolicy(Strict):
    """The `projects:` section."""

    # The task letter goes to the lead and each team member by DM, and to this channel too.
    letter_channel: Annotated[str | None, AfterValidator(_purpose)] = "announcements"


DOMAIN = Domain(
    name="projects",
    policy_file=Path(__file__).parent / "policy.yml",
    hooks={
        "project": InitiationHooks(),
        "project_change": ChangeHooks(),
        "project_acceptance": AcceptanceHooks(),
    },
    section=ProjectsPolicy,
)
