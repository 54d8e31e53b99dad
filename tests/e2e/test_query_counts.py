"""The database cost of the main ack paths, held to bounds so a regression shows (issue 15).

Counts are deterministic, timings never are: each path runs once warm (profiles fetched, the
year's leave grants written) and is then counted, deliveries included. The bounds are loose
on purpose — about a third above what the path costs today (`python -m benchmarks.costs`
prints the exact figures and, with --sql, the statements); tighten them when a path gets
cheaper. Reads must stay reads: a balance or a form never writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.approvals import APPROVALS, file_expense, prompt_for
from tests.support.harness import Harness
from tests.support.sqlcount import Cost, counting


def counted(h: Harness, act: Callable[[], Any], done: Callable[[], Any]) -> Cost:
    with counting(h.sessions.engine) as cost:
        response = act()
        assert response.status == 200, response.body
        assert h.ls.wait_for(done, timeout=10)
        h.settle()
    return cost


def within(cost: Cost, *, statements: int, transactions: int, writes: int) -> None:
    detail = "\n".join(cost.sql)
    assert cost.statements <= statements, f"{cost}:\n{detail}"
    assert cost.transactions <= transactions, f"{cost}:\n{detail}"
    assert cost.writes <= writes, f"{cost}:\n{detail}"


def ephemerals(h: Harness, who: str) -> int:
    return len(h.ls.ephemerals(who))


def warm(h: Harness, *people: str) -> None:
    for who in people:
        before = ephemerals(h, who)
        h.as_(who).command("/leave", "balance", channel="general")
        h.ls.wait_for(lambda w=who, n=before: ephemerals(h, w) > n, timeout=10)  # type: ignore[misc]
    h.settle()


@pytest.mark.parametrize(
    ("command", "text", "bound"),
    [
        ("/procedo", "help", (5, 3, 0)),
        ("/leave", "balance", (14, 4, 0)),
        ("/leave", "annual 12月8日到12月9日 rest", (34, 4, 0)),
    ],
)
def test_slash_commands_that_answer(
    harness: Harness, command: str, text: str, bound: tuple[int, int, int]
) -> None:
    warm(harness, "alice")
    before = ephemerals(harness, "alice")
    cost = counted(
        harness,
        lambda: harness.as_("alice").command(command, text, channel="general"),
        lambda: ephemerals(harness, "alice") > before,
    )
    statements, transactions, writes = bound
    within(cost, statements=statements, transactions=transactions, writes=writes)


def test_leave_form_opens_without_writing(harness: Harness) -> None:
    warm(harness, "alice")
    cost = counted(
        harness,
        lambda: harness.as_("alice").command("/leave", "", channel="general"),
        lambda: harness.ls.view("alice"),
    )
    within(cost, statements=12, transactions=3, writes=0)


def test_filing_and_approving_an_expense(harness: Harness) -> None:
    warm(harness, "alice", "bob")
    file_expense(harness, "alice")  # warm: the first card's channel and DMs
    harness.settle()
    alice = harness.as_("alice")
    alice.command("/procedo", "new expense", channel="general")
    harness.ls.wait_view("alice", callback_id="request.form")
    harness.settle()
    cards = len(harness.ls.messages(APPROVALS))
    form = {
        "f:amount": "120",
        "f:category": "travel",
        "f:description": "Taxi",
        "f:receipt:link": "https://files.example.com/r.pdf",
    }
    cost = counted(
        harness,
        lambda: alice.submit(form),
        lambda: len(harness.ls.messages(APPROVALS)) > cards,
    )
    # Every post also takes its channel's slot in a short transaction of its own (pacing
    # across processes, scheduler/pacing.py): about two statements and one transaction a post.
    within(cost, statements=90, transactions=32, writes=38)

    card = harness.ls.messages(APPROVALS)[-1]
    prompt = prompt_for(harness, card, f"<@{harness.uid('bob')}>")
    replies = len(harness.ls.replies(APPROVALS, card.ts))
    cost = counted(
        harness,
        lambda: harness.as_("bob").click("Approve", message=prompt),
        lambda: len(harness.ls.replies(APPROVALS, card.ts)) > replies,
    )
    within(cost, statements=110, transactions=44, writes=40)


def test_app_home(harness: Harness) -> None:
    warm(harness, "bob")
    harness.as_("bob").open_home()
    harness.ls.wait_for(lambda: harness.ls.home("bob"), timeout=10)
    harness.settle()
    published = harness.ls.calls("views.publish")
    cost = counted(
        harness,
        lambda: harness.as_("bob").open_home(),
        lambda: len(harness.ls.calls("views.publish")) > len(published),
    )
    within(cost, statements=33, transactions=13, writes=1)
