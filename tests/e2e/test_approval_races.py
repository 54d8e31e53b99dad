"""Races: many clicks at once on one request yield exactly one decision and one notification."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from handlers.interaction import run
from procedures import decisions, requests
from procedures.approvals import Decision
from procedures.errors import DomainError
from store import requests_repo
from tests.support.approvals import file_expense, history, prompt_for, state_of
from tests.support.harness import Harness

ROOT = Path(__file__).resolve().parents[2]
DECISIONS = {"request.step_approved", "request.approved", "request.rejected", "request.returned"}


def decision_events(h: Harness) -> list[str]:
    return [e.action for e in history(h) if e.action in DECISIONS]


def test_twenty_concurrent_clicks_make_one_decision_and_one_notification(harness: Harness) -> None:
    h = harness
    card = file_expense(h, "alice")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{h.uid('bob')}>"))
    finance = prompt_for(h, card, "step 2 of 2")
    fay, ian = h.ls.driver("fay"), h.ls.driver("ian")  # one driver per thread

    def click(n: int) -> int:
        driver = (fay, ian)[n % 2]
        return driver.click("Approve", message=finance).status

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(click, range(20)))
    assert statuses == [200] * 20
    h.ls.wait_dm("alice", contains="is approved")
    h.tick()
    assert decision_events(h) == ["request.step_approved", "request.approved"]
    approved_dms = [m for m in h.ls.dm("alice") if "is approved" in h.ls.text_of(m)]
    assert len(approved_dms) == 1
    # Every loser was told who won.
    h.ls.wait_for(
        lambda: len(h.ls.ephemerals("fay")) + len(h.ls.ephemerals("ian")) >= 20,
        message="every clicker answered",
    )
    told = [h.ls.text_of(e) for e in h.ls.ephemerals("fay") + h.ls.ephemerals("ian")]
    odd = [text for text in told if "already" not in text and "已是" not in text]
    assert len(odd) == 1, odd  # the winner's own confirmation


def test_approve_racing_reject_and_withdraw(harness: Harness) -> None:
    h = harness
    file_expense(h, "ian")  # a one-step route: Fay decides, Ian may withdraw
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "expense", 1)
        assert request is not None
        request_id = request.id
    fay, ian = h.uid("fay"), h.uid("ian")

    def act(n: int) -> str:
        decision = (Decision.APPROVE, Decision.REJECT, None)[n % 3]
        try:
            if decision is None:
                run(h.deps, lambda ctx: requests.withdraw(ctx, request_id, ian))
                return "won"
            outcome = run(
                h.deps,
                lambda ctx: decisions.decide(
                    ctx, request_id, fay, decision, round_=1, position=0, reason="no"
                ),
            )
        except DomainError as exc:
            return exc.key
        return "won" if outcome.kind == "decided" else outcome.kind

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(act, range(20)))
    assert results.count("won") == 1, results
    h.tick()
    assert state_of(h) in ("approved", "rejected", "withdrawn")
    changes = [e.action for e in history(h) if e.action in DECISIONS | {"request.withdrawn"}]
    assert len(changes) == 1


@pytest.mark.postgres
def test_clicks_from_several_processes_on_postgres(harness: Harness, db_url: str) -> None:
    h = harness
    card = file_expense(h, "alice")
    prompt_for(h, card, f"<@{h.uid('bob')}>")
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "expense", 1)
        assert request is not None
        request_id = request.id
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": db_url}
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.decide_worker",
                str(request_id),
                h.uid("bob"),
                str(n),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(6)
    ]
    outputs = [worker.communicate(timeout=120)[0].split() for worker in workers]
    assert all(worker.returncode == 0 for worker in workers)
    results = [word for out in outputs for word in out]
    assert len(results) == 6 * 5
    assert results.count("won") == 1
    h.tick()
    assert len(decision_events(h)) == 1
