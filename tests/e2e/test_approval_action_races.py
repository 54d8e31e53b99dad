"""Races on the approval actions: of an approval, a 加签, a 转交 and a 退回 clicked at once on
one step, exactly one happens; ten nudges at once make one. Runs on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL (row locks and the version column)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from handlers.interaction import run
from procedures import actions, decisions
from procedures.approvals import Decision
from procedures.engine import Ctx
from procedures.errors import DomainError
from store import requests_repo
from tests.support.approvals import file_expense, history, prompt_for
from tests.support.harness import Harness

CHANGES = {
    "request.step_approved",
    "request.approver_added",
    "request.transferred",
    "request.returned",
}


def _request_id(h: Harness) -> int:
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "expense", 1)
        assert request is not None
        return request.id


def test_approve_add_transfer_and_return_at_once_make_one_change(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    prompt_for(h, card, f"<@{h.uid('bob')}>")
    request_id, bob = _request_id(h), h.uid("bob")
    where = {"round_": 1, "position": 0}
    work: list[Callable[[Ctx], object]] = [
        lambda ctx: decisions.decide(ctx, request_id, bob, Decision.APPROVE, round_=1, position=0),
        lambda ctx: actions.add_approver(
            ctx, request_id, bob, h.uid("carol"), "before", "check", **where
        ),
        lambda ctx: actions.transfer(ctx, request_id, bob, h.uid("erin"), None, **where),
        lambda ctx: actions.return_to(ctx, request_id, bob, actions.START, "fix it", **where),
    ]

    def act(n: int) -> str:
        try:
            outcome = run(h.deps, work[n % len(work)])
        except DomainError as exc:
            return exc.key
        return "refused" if getattr(outcome, "kind", None) == "refused" else "won"

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(act, range(12)))
    assert results.count("won") == 1, results  # (a refused decision counts as a loss)
    assert set(results) - {"won"} <= {
        "refused",
        "request.error.stale",
        "request.error.not_now",
        "request.error.not_assignee",
    }, results
    h.tick()
    assert len([e for e in history(h) if e.action in CHANGES]) == 1
    with h.sessions.begin() as session:
        request = requests_repo.get(session, request_id)
        assert request is not None
        positions = [s.position for s in requests_repo.steps(session, request)]
    assert positions == sorted(set(positions))  # no two steps in one place


def test_ten_nudges_at_once_make_one(harness: Harness) -> None:
    h = harness
    file_expense(h, "alice")
    request_id, alice = _request_id(h), h.uid("alice")

    def nudge(_n: int) -> str:
        try:
            run(h.deps, lambda ctx: actions.nudge(ctx, request_id, alice))
        except DomainError as exc:
            return exc.key
        return "won"

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(nudge, range(10)))
    assert results.count("won") == 1, results
    assert set(results) - {"won"} == {"request.error.nudged_recently"}
    h.tick()
    assert [e.action for e in history(h)].count("request.nudged") == 1
    h.ls.wait_dm("bob", contains="在催办")
