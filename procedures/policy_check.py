"""The policy against the org: every step of every route must resolve to someone, and the
route each sample requester would get must be the declared one.

Run at start-up (and by `procedo policy check` when the database is there), so a route that
nobody can follow is found by the operator, not by an employee at 2 a.m. For each department,
its first plain member and its head are the sample requesters; every condition is assumed to
hold and each `user` field a step names is someone else in the org.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from procedures.approvals import NoApprover, Planned, Rules, plan
from procedures.engine import DirectoryOrg
from procedures.policy import Policy
from procedures.policy.procedures import ProcedureSpec
from procedures.yaml_source import Problem, YamlDocument
from store.directory import Directory


@dataclass
class RouteReport:
    lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _samples(directory: Directory) -> list[tuple[str, str]]:
    """(user, who they are) for each department: a plain member, then the head."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for dept in directory.departments():
        members = [m for m in directory.members(dept.id) if m not in (dept.head, dept.director)]
        for user, what in ((members[0] if members else None, "member"), (dept.head, "head")):
            if user and user not in seen:
                seen.add(user)
                out.append((user, f"{what} of {dept.id}"))
    return out


def _describe(planned: Planned, spec: ProcedureSpec) -> str:
    step = spec.chain[planned.spec_index]
    number = planned.spec_index + 1
    if planned.skipped == "dropped":
        return f"{number}. dropped: its people already decided (drop_if_decided)"
    if planned.skipped == "rule" and planned.special is not None:
        return f"{number}. skipped: {planned.special['case']}: skip"
    assert planned.step is not None
    people = ", ".join(planned.step.approvers)
    note = " (nobody declared can: the bot admins)" if planned.fallback else ""
    if planned.special is not None:
        note += f" ({planned.special['case']}: {planned.special['rule']})"
    return f"{number}. {step.kind} → {people}{note}"


def _route(
    spec: ProcedureSpec,
    p_index: int,
    requester: str,
    who: str,
    directory: Directory,
    document: YamlDocument,
    report: RouteReport,
) -> None:
    org = DirectoryOrg(directory)
    others = [u for u in directory.everyone() if u != requester]
    values = {f.id: others[0] for f in spec.fields if f.type == "user" and others}
    path = ("procedures", p_index, "chain")
    has_above = org.approver_above(requester) is not None
    try:
        planned = plan(
            spec.chain,
            requester,
            values,
            org,
            fallback=lambda: directory.users_with_role("bot_admin"),
            conditions=False,
            rules=lambda step: Rules(**spec.special_rules(step)),
        )
    except NoApprover as exc:
        number = int(exc.params.get("step", 1))
        report.lines.append(f"    {spec.id} for {requester} ({who}): step {number} has nobody")
        if has_above:  # the top of the org with no other bot admin: refused by design
            report.problems.append(
                document.problem(
                    (*path, number - 1),
                    f"{spec.id} step {number}: nobody at all for {who} ({requester})",
                )
            )
        return
    report.lines.append(
        f"    {spec.id} for {requester} ({who}): " + "; ".join(_describe(p, spec) for p in planned)
    )
    for item in planned:
        declared = spec.chain[item.spec_index]
        where = (*path, item.spec_index)
        number = item.spec_index + 1
        if item.skipped == "dropped" and not declared.drop_if_decided:
            report.problems.append(
                document.problem(where, f"{spec.id} step {number} is not on {who}'s route")
            )
        elif item.fallback and has_above:
            # The top of the org falls back to the bot admins by design; anyone else is a gap.
            report.problems.append(
                document.problem(
                    where,
                    f"{spec.id} step {number} ({declared.describe()}) resolves to nobody "
                    f"for {who} ({requester})",
                )
            )


def effective_routes(policy: Policy, document: YamlDocument, directory: Directory) -> RouteReport:
    report = RouteReport()
    if directory.org() is None:
        return report
    samples = _samples(directory)
    for p_index, spec in enumerate(policy.procedures):
        if spec.enabled:
            for user, who in samples:
                _route(spec, p_index, user, who, directory, document, report)
    return report


def check_against_org(
    policy: Policy, document: YamlDocument, directory: Directory
) -> list[Problem]:
    if directory.org() is None:
        return []  # no org imported yet: nothing to check against
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
        for role in spec.filed_by:
            if not directory.users_with_role(role):
                problems.append(
                    document.problem(
                        (*base, "filed_by"), f"{spec.id}: nobody has the {role} role to file it"
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
            if step.user is not None and directory.department_of(step.user) is None:
                problems.append(
                    document.problem(
                        path, f"{spec.id} step {s_index + 1}: <@{step.user}> is not in the org"
                    )
                )
    if problems:
        return problems
    return effective_routes(policy, document, directory).problems
