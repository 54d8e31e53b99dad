"""`procedo policy check [FILE]`: validate a policy file and say, in words, what it does."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from bot.modules import DOMAINS
from procedures.policy import Policy, parse_policy, policy_document
from procedures.policy.procedures import ProcedureSpec
from procedures.policy.prompts import PromptSpec
from procedures.policy_check import check_against_org, effective_routes
from procedures.yaml_source import SourceError, YamlDocument
from store.db import ensure_reachable, make_sessions
from store.directory import Directory
from store.migrate import SchemaBehind, ensure_current


def describe_prompt(spec: PromptSpec) -> str:
    rule = spec.audience
    if rule.everyone:
        who = "everyone"
    elif rule.role:
        who = f"the {rule.role} role"
    elif rule.heads:
        who = "every department head"
    else:
        who = f"department {rule.department}"
    zone = {"org": "the org's timezone", "per-user": "each recipient's own timezone"}.get(
        spec.schedule.timezone, spec.schedule.timezone
    )
    parts = [f"cron `{spec.schedule.cron}` in {zone}, to {who}"]
    if spec.schedule.non_working_day == "next":
        parts.append("moved to the next working day when it falls on a day off")
    elif spec.schedule.non_working_day == "skip":
        parts.append("skipped on days off")
    if spec.deadline_working_days is not None:
        parts.append(f"due within {spec.deadline_working_days} working days")
    if spec.follow_up and spec.follow_up.nudge_after_working_days:
        parts.append(f"nudged after {spec.follow_up.nudge_after_working_days} working days")
    if spec.follow_up and spec.follow_up.digest_to:
        parts.append(f"outstanding list to the {spec.follow_up.digest_to} role at the deadline")
    state = "" if spec.enabled else " [switched off]"
    return f"  - {spec.id}{state} ({spec.cite}): " + "; ".join(parts)


def _hours(value: float | None) -> str:
    return "never" if value is None else f"{value:g} working hours"


def describe_procedure(spec: ProcedureSpec) -> list[str]:
    state = "" if spec.enabled else " [switched off]"
    lines = [
        f"  - {spec.id} ({spec.prefix}-0001, {spec.name.en} / {spec.name.zh}, {spec.cite}){state}"
    ]
    fields = ", ".join(
        f"{f.id} ({f.type}{'' if f.required else ', optional'})" for f in spec.fields
    )
    lines.append(f"      form: {fields}")
    lines.append("      chain:")
    for index, step in enumerate(spec.chain, start=1):
        timings = spec.step_timings(step)
        remind, escalate, expire = (
            _hours(timings.remind_after_hours),
            _hours(timings.escalate_after_hours),
            _hours(timings.expire_after_hours),
        )
        flags = ""
        if step.returns_to:
            flags += f"; return goes back to step {step.returns_to!r}"
        if step.drop_if_decided:
            flags += "; dropped when its people already decided an earlier step"
        own = {k: v for k, v in step.model_dump().items() if k.startswith("if_") and v}
        if own:
            flags += "; " + ", ".join(f"{k}: {v}" for k, v in own.items())
        lines.append(
            f"        {index}. {step.describe()}: remind after {remind}, "
            f"escalate after {escalate}, expire after {expire}{flags}"
        )
    extras = [f"card in the {spec.channel} channel"]
    if spec.visible_to:
        extras.append(f"also visible to: {', '.join(spec.visible_to)}")
    if spec.hooks:
        extras.append(f"hooks: {spec.hooks}")
    if spec.cancellable:
        extras.append("approved requests can be cancelled with the approver's consent")
    if spec.filed_by:
        extras.append(f"filed only by: {', '.join(spec.filed_by)}")
    if not spec.offered:
        extras.append("opened by another case only, not offered by /procedo new")
    if spec.overdue:
        rule = spec.overdue
        extras.append(
            f"past `{rule.field}`: nudge `{rule.owner}`, then their {rule.escalate_to} after "
            f"{rule.escalate_after_working_days} working days"
        )
    names = ("if_empty", "if_requester", "if_left")
    if any(getattr(spec, name) for name in names):
        extras.append(", ".join(f"{n}: {getattr(spec, n) or 'default'}" for n in names))
    else:
        extras.append(
            "approver empty, the requester or left: a level up (a field's person: the admins)"
        )
    if spec.cc is not None:
        told = [f"<@{u}>" for u in spec.cc.users] + [f"role {r}" for r in spec.cc.roles]
        if spec.cc.head:
            told.append("the requester's head")
        extras.append(
            f"CC when it ends (approved, closed, rejected): {', '.join(told) or 'nobody'}"
        )
    lines.append("      " + "; ".join(extras))
    return lines


def describe(policy: Policy) -> list[str]:
    lines = [f"Procedures ({len(policy.active_procedures())} of {len(policy.procedures)} on):"]
    for spec in policy.procedures:
        lines += describe_procedure(spec)
    lines.append(f"Prompts ({len(policy.active_prompts())} of {len(policy.prompts)} on):")
    lines += [describe_prompt(spec) for spec in policy.prompts]
    return lines


def _org_problems(policy: Policy, document: YamlDocument, database_url: str | None) -> list[str]:
    """Check the chains against the imported org when the database is there."""
    if not database_url:
        return ["(no DATABASE_URL: chains not checked against the org)"]
    try:
        sessions = make_sessions(database_url)
        try:
            # A database that is named but cannot be reached stops the check (the CLI says
            # so in one line); one that is reachable but not usable is only noted.
            ensure_reachable(sessions.engine)
            ensure_current(sessions.engine)
            with sessions.begin() as session:
                problems = check_against_org(policy, document, Directory(session))
                routes = effective_routes(policy, document, Directory(session)).lines
        finally:
            sessions.dispose()
    except (SQLAlchemyError, SchemaBehind) as exc:
        return [f"(database not usable, chains not checked against the org: {exc})"]
    if problems:
        raise SourceError(document.source, problems)
    return [
        "Chains checked against the imported org: every step resolves to someone.",
        "Effective routes for sample requesters (every condition assumed to hold):",
        *routes,
    ]


def check_policy(
    path: Path | None, out: TextIO | None = None, *, database_url: str | None = None
) -> int:
    out = out or sys.stdout
    if path is not None and not path.is_file():
        print(f"procedo: no such policy file: {path}", file=sys.stderr)
        return 2
    try:
        document = policy_document(path, DOMAINS)
        policy = parse_policy(document, DOMAINS)
        notes = _org_problems(policy, document, database_url)
    except SourceError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    source = str(path) if path else "the built-in policy"
    print(f"{source}: OK", file=out)
    for line in describe(policy) + notes:
        print(line, file=out)
    return 0
