"""Projects (立项 / 验收, 001 §3, 002 §3, 003 §4): a proposal reviewed by the operations
management department and approved by the director becomes a project with a number and a task
letter; a change to its plan is a new approval showing what changed; acceptance passes (the
project is archived) or asks for rectification and a new application — every request filed
under the one project number (see lifecycle.py)."""

from __future__ import annotations

from pathlib import Path

from procedures.modules import Domain
from procedures.projects.hooks import AcceptanceHooks, ChangeHooks, InitiationHooks
from procedures.projects.section import ProjectsPolicy

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
