"""Ack first, then call Slack: every interaction is answered before its deliveries start, in
time for Slack's 3 s deadline, on the real clock and with several people at once.

localslack holds any Web API call that arrives before its interaction's ack, so a listener
that delivers before acking deadlocks until the deadline and is reported by name."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from localslack import BotResponse
from localslack.driver import ACK_DEADLINE
from procedures.clock import SystemClock
from store.db import Sessions
from store.models import Request
from tests.support.acks import fail_on_ack_problems
from tests.support.approvals import APPROVALS, prompt_for
from tests.support.harness import Harness, start_harness

FORM = {
    "f:amount": "1200",
    "f:category": "travel",
    "f:description": "Train to the Shenzhen client",
    "f:receipt:link": "https://files.example.com/receipt-1.pdf",
}
REAL_TIME = 10.0  # seconds to wait for deliveries paced at about one a second per channel


@pytest.fixture
def real_harness(
    request: pytest.FixtureRequest, db_url: str, sessions: Sessions
) -> Iterator[Harness]:
    h = start_harness(db_url, sessions, clock=SystemClock())
    yield h
    h.close()
    fail_on_ack_problems(request, h.ls)


def acked_in_time(h: Harness, *answers: BotResponse) -> None:
    for answer in answers:
        assert answer.status == 200, answer.body
        assert answer.elapsed < ACK_DEADLINE, f"acked after {answer.elapsed:.2f} s"
    assert h.ls.ack_violations() == [], h.ls.ack_report()
    assert h.ls.deadline_misses() == [], h.ls.ack_report()


def filed(h: Harness) -> int:
    with h.sessions.begin() as session:
        query = select(func.count()).select_from(Request).where(Request.procedure == "expense")
        return int(session.scalar(query) or 0)


def open_form(h: Harness, who: str) -> BotResponse:
    answer = h.as_(who).command("/procedo", "new expense", channel="general")
    h.ls.wait_view(who, callback_id="request.form")
    return answer


def test_file_and_approve_on_the_real_clock(real_harness: Harness) -> None:
    h = real_harness
    alice = h.as_("alice")
    opened = open_form(h, "alice")
    submitted = alice.submit(FORM)
    acked_in_time(h, opened, submitted)
    assert h.ls.view("alice") is None, "the form stayed open"

    card = h.ls.wait_for(
        lambda: next(iter(h.ls.messages(APPROVALS)), None), REAL_TIME, "the expense's card"
    )
    h.ls.wait_dm("alice", contains="EX-0001", timeout=REAL_TIME)
    prompt = prompt_for(h, card, f"<@{h.uid('bob')}>", timeout=REAL_TIME)
    clicked = h.as_("bob").click("Approve", message=prompt)
    acked_in_time(h, clicked)
    h.ls.wait_dm("alice", contains="step 1 approved by", timeout=REAL_TIME)


def test_five_people_submitting_at_once_are_all_acked_in_time(harness: Harness) -> None:
    h = harness
    people = ["alice", "erin", "gus", "ian", "carol"]
    for who in people:
        open_form(h, who)
    drivers = [h.as_(who) for who in people]
    start = threading.Barrier(len(people))

    def submit(index: int) -> BotResponse:
        start.wait()
        return drivers[index].submit(FORM)

    with ThreadPoolExecutor(len(people)) as pool:
        answers = list(pool.map(submit, range(len(people))))
    acked_in_time(h, *answers)
    assert [h.ls.view(who) for who in people] == [None] * len(people)
    assert filed(h) == len(people)
    h.ls.wait_for(
        lambda: len(h.ls.messages(APPROVALS)) == len(people) or None, message="five cards"
    )


def test_a_repeated_submission_of_the_same_view_files_once(harness: Harness) -> None:
    h = harness
    alice = h.as_("alice")
    open_form(h, "alice")
    first = alice.submit(FORM)
    again = alice.resubmit()  # Slack sends it again when the first answer came too late
    acked_in_time(h, first, again)
    assert filed(h) == 1
    assert h.ls.view("alice") is None
