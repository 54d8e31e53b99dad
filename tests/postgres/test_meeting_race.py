"""Meetings booked at the same moment on PostgreSQL: one room, one slot, eight organisers —
exactly one meeting is created, the others are told the room is taken, and every number is
used once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from procedures.errors import InvalidInput
from procedures.meetings.scheduling import Draft, create
from store.models.meetings import Meeting
from tests.support.harness import Harness

RACERS = 8


@pytest.mark.postgres
def test_concurrent_bookings_of_one_room_give_one_meeting(harness: Harness) -> None:
    h = harness
    assert h.sessions.dialect == "postgresql"
    now = h.clock.now()
    start = now.replace(hour=6, minute=0, second=0, microsecond=0) + timedelta(days=2)
    organisers = ["alice", "bob", "carol", "dan", "erin", "fay", "gus", "alice"][:RACERS]

    def book(who: str) -> str:
        uid = h.uid(who)
        draft = Draft(
            topic=f"Review by {who}",
            start=start,
            end=start + timedelta(hours=1),
            chair=uid,
            note_taker=uid,
            attendees=(h.uid("bob"), h.uid("gus")),
            room="r301",
        )
        try:
            with h.sessions.begin() as session:
                create(session, draft, uid, now, lambda _user, _at: False)
        except InvalidInput as exc:
            return exc.key
        return "created"

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        results = list(pool.map(book, organisers))
    assert sorted(results) == ["created"] + ["meetings.error.room_booked"] * (RACERS - 1), results

    # Different rooms at once: all created, numbered 2… without a repeat.
    def elsewhere(n: int) -> int:
        uid = h.uid(organisers[n])
        draft = Draft(
            topic=f"Stand-up {n}",
            start=start + timedelta(hours=2 + n),
            end=start + timedelta(hours=3 + n),
            chair=uid,
            note_taker=uid,
            attendees=(h.uid("bob"), h.uid("gus")),
        )
        with h.sessions.begin() as session:
            return create(session, draft, uid, now, lambda _user, _at: False).number

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        numbers = sorted(pool.map(elsewhere, range(RACERS)))
    assert numbers == list(range(2, RACERS + 2))
    with h.sessions.read() as session:
        assert len(session.scalars(select(Meeting)).all()) == RACERS + 1
