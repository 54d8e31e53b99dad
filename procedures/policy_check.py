"""The policy against the org: every step of every chain must resolve to someone.

Run at start-up (and by `procedo policy check` when the database is there), so a chain that
nobody can approve is found by the operator, not by an employee at 2 a.m.
"""

from __future__ import annotations

from procedures.approvals import resolve_step
from procedures.engine import DirectoryOrg
from procedures.policy import Policy
from procedures.yaml_source import Problem, YamlDocument
from store.directory import Directory


def check_against_org(
    policy: Policy, document: YamlDocument, directory: Directory
) -> list[Problem]:
    if directory.org() is None:
        return []  # no org imported yet: nothing to check against
    org = DirectoryOrg(directory)
    channels = directory.channels()
    problems: list[Problem] = []
    for p_index, spec in enumerate(policy.procedures):
        if not spec.enabled:
            continue
        base = ("procedures", p_index)
        if spec.channel not in channels and "approvals" not in channels:
            problems.append(
                document.problem(
                    (*base, "channel"),
                    f"{spec.id}: no channel for {spec.channel!r} and no 'approvals' channel "
                    "in the org file",
                )
            )
        for s_index, step in enumerate(spec.chain):
            path = (*base, "chain", s_index)
            if step.role is not None and not directory.users_with_role(step.role):
                problems.append(
                    document.problem(
                        path, f"{spec.id} step {s_index + 1}: nobody has the {step.role} role"
                    )
                )
                continue
            if step.user is not None and directory.department_of(step.user) is None:
                problems.append(
                    document.problem(
                        path, f"{spec.id} step {s_index + 1}: <@{step.user}> is not in the org"
                    )
                )
                continue
            for dept in directory.departments():
                members = [
                    m for m in directory.members(dept.id) if m not in (dept.head, dept.director)
                ]
                if members and not resolve_step(step, members[0], org):
                    problems.append(
                        document.problem(
                            path,
                            f"{spec.id} step {s_index + 1} ({step.describe()}) resolves to nobody "
                            f"for members of {dept.id}",
                        )
                    )
    return problems
