"""Requests racing for the last items on PostgreSQL: approved at the same moment, exactly one
reserves what is on the shelf; the others are left to buy. The ledger never goes below zero."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from handlers.interaction import run
from procedures import decisions, requests
from procedures.approvals import Decision
from procedures.supplies.stock import Line
from store import requests_repo
from tests.support.harness import Harness
from tests.support.supplies import balance, item_id, load_demo, request_state

RACERS = 8


@pytest.mark.postgres
def test_concurrent_approvals_reserve_the_last_items_once(harness: Harness) -> None:
    h = harness
    assert h.sessions.dialect == "postgresql"
    load_demo(h)
    a3 = item_id(h, "PAPER-A3")  # two reams on the shelf
    spec = h.deps.policy.procedure("supply")
    assert spec is not None
    line = Line(0, a3, "A3 paper", "A3纸", "80 g", "ream", 2)
    payload = {"lines": [line.to_payload()], "purpose": "posters"}
    alice, bob = h.uid("alice"), h.uid("bob")
    ids = [
        run(h.deps, lambda ctx: requests.submit(ctx, spec, alice, payload)).id
        for _ in range(RACERS)
    ]

    def approve(request_id: int) -> str:
        outcome = run(
            h.deps,
            lambda ctx: decisions.decide(
                ctx, request_id, bob, Decision.APPROVE, round_=1, position=0
            ),
        )
        return outcome.kind

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        results = list(pool.map(approve, ids))
    assert results == ["decided"] * RACERS
    b = balance(h, "PAPER-A3")
    assert (b.on_hand, b.reserved, b.available) == (2, 2, 0)
    states = [str(request_state(h, n)[1]) for n in range(1, RACERS + 1)]
    assert sorted(states) == ["issue"] + ["purchase"] * (RACERS - 1), states
    with h.sessions.begin() as session:
        assert all(requests_repo.get(session, i) is not None for i in ids)
