"""Helpers for leave tests."""

from __future__ import annotations

from decimal import Decimal

from localslack import Ephemeral
from procedures.leave import balances
from procedures.leave.policy import LeavePolicy
from store import requests_repo
from store.directory import Directory
from tests.support.harness import Harness


def left(h: Harness, name: str, leave_type: str = "annual", year: int | None = None) -> Decimal:
    user = h.uid(name)
    now = h.clock.now()
    with h.sessions.begin() as session:
        rows = balances.balances(
            session,
            h.deps.policy.section(LeavePolicy),
            user,
            today=now.astimezone(h.deps.org_tz(session)).date(),
            joined=Directory(session).joined_on(user),
            now=now,
            year=year,
        )
    row = balances.balance_of(rows, leave_type)
    assert row is not None
    return row.left


def leave_state(h: Harness, number: int) -> str:
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "leave", number)
        assert request is not None
        return request.state


def ask(h: Harness, who: str, text: str) -> Ephemeral:
    """`/leave TEXT` as `who`; returns the newest ephemeral answer."""
    before = len(h.ls.ephemerals(who))
    h.as_(who).command("/leave", text, channel="general")
    return h.ls.wait_for(
        lambda: h.ls.ephemerals(who)[-1] if len(h.ls.ephemerals(who)) > before else None,
        message=f"an answer to /leave {text}",
    )
