"""`procedo org import`: check the file against Slack, then apply it as one audited diff."""

from __future__ import annotations

from pathlib import Path

from procedures.clock import Clock
from procedures.org_import import Change, SlackLookup, plan_import
from store.db import Sessions
from store.org_repo import apply_snapshot


def import_org(
    text: str, source: str, *, sessions: Sessions, slack: SlackLookup, clock: Clock, actor: str
) -> list[Change]:
    """Apply an org file's text, all or nothing; raises `SourceError` listing every problem.

    Every user and channel is checked with Slack before the transaction opens, so a slow
    Slack never holds database locks."""
    desired = plan_import(text, source, slack)
    with sessions.begin() as session:
        return apply_snapshot(session, desired, actor=actor, at=clock.now())


def import_org_file(
    path: Path, *, sessions: Sessions, slack: SlackLookup, clock: Clock, actor: str = "cli"
) -> list[Change]:
    return import_org(
        path.read_text(encoding="utf-8"),
        path.name,
        sessions=sessions,
        slack=slack,
        clock=clock,
        actor=actor,
    )
