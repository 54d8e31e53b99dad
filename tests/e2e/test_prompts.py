"""Periodic prompts end to end: materialised by the clock, delivered as DMs with buttons, late
when the clock was down, skipped for people on leave, nudged, and digested at the deadline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from procedures.modules import Domain
from procedures.policy import Policy, policy_model
from store.db import Sessions
from tests.support.harness import Harness, start_harness

WEEKLY = {
    "id": "weekly-check",
    "title": {"en": "Weekly ops check", "zh": "每周运营检查"},
    "text": {"en": "Check the ops board for {date}.", "zh": "请检查 {date} 的运营看板。"},
    "cite": "003 §3.2",
    "schedule": {"cron": "0 9 * * 1"},
    "audience": {"department": "ops"},
    "deadline_working_days": 3,
    "follow_up": {"nudge_after_working_days": 2, "digest_to": "bot_admin"},
}


@pytest.fixture
def weekly(db_url: str, sessions: Sessions) -> Iterator[Harness]:
    # The leave procedure supplies the real check; here a domain of its own says Erin is away.
    away: set[str] = set()
    domain = Domain(name="away", is_away=lambda _s, _p, user, _when, _tz: user in away)
    policy = policy_model((domain,)).model_validate({"prompts": [WEEKLY]})
    h = start_harness(db_url, sessions, policy=policy)
    away.add(h.uid("erin"))
    h.tick()  # first sight of the prompt: it starts from now, no backfill
    yield h
    h.close()


def prompt_dms(h: Harness, name: str, contains: str = "Weekly ops check") -> list[str]:
    return [
        h.ls.text_of(m)
        for m in h.ls.dm(name)
        if contains in h.ls.text_of(m) or "每周运营检查" in h.ls.text_of(m)
    ]


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}+08:00")


def test_a_clock_down_across_two_occurrences_sends_each_once_marked_late(weekly: Harness) -> None:
    h = weekly
    # The clock is down from Monday 23 Nov 10:00 until Tuesday 8 Dec: it misses 30 Nov and 7 Dec.
    h.set_time(at("2026-12-08T11:00"))
    alice = prompt_dms(h, "alice")
    assert len(alice) == 2
    assert all("Sent late" in text for text in alice)
    assert any("2026-11-30" in text for text in alice) and any(
        "2026-12-07" in text for text in alice
    )
    # More ticks, and a second clock over the same database, send nothing again.
    h.tick()
    from bot.app import create_clock

    create_clock(h.app).run_until_idle()
    assert len(prompt_dms(h, "alice")) == 2
    # Bob reads Chinese.
    assert len(prompt_dms(h, "bob")) == 2 and "每周运营检查" in prompt_dms(h, "bob")[0]


def test_on_time_prompt_skips_people_on_leave_nudges_and_digests(weekly: Harness) -> None:
    h = weekly
    h.set_time(at("2026-11-30T09:00"))
    first = prompt_dms(h, "alice")
    assert len(first) == 1 and "Sent late" not in first[0]
    assert "Per regulation 003 §3.2" in first[0]
    assert prompt_dms(h, "erin") == []  # on leave: skipped, not nudged, not outstanding

    # Alice says done; Bob does nothing.
    h.as_("alice").click("Done", message=h.ls.dm("alice")[-1])
    h.ls.wait_dm("alice", contains="Marked done")

    # Two working days later: only Bob is nudged.
    h.set_time(at("2026-12-02T09:00"))
    assert len(prompt_dms(h, "alice")) == 1
    bob = prompt_dms(h, "bob")
    assert len(bob) == 2 and "提醒" in bob[-1]

    # At the deadline (3 working days, 18:00) the bot admin gets exactly the outstanding list.
    h.set_time(at("2026-12-03T18:00"))
    digest = h.ls.wait_dm("dan", contains="每周运营检查")
    text = h.ls.text_of(digest)
    assert f"<@{h.uid('bob')}>" in text
    assert f"<@{h.uid('alice')}>" not in text and f"<@{h.uid('erin')}>" not in text
    assert "1/2" in text  # one of the two who were asked


def test_remind_me_tomorrow(weekly: Harness) -> None:
    h = weekly
    h.set_time(at("2026-11-30T09:00"))
    h.as_("alice").click("Remind me tomorrow", message=h.ls.dm("alice")[-1])
    h.ls.wait_dm("alice", contains="remind you again")
    h.set_time(at("2026-12-01T09:00"))
    again = prompt_dms(h, "alice")
    assert len(again) == 2 and "as you asked" in again[-1]


def test_a_disabled_prompt_sends_nothing(db_url: str, sessions: Sessions) -> None:
    h = start_harness(
        db_url, sessions, policy=Policy.model_validate({"prompts": [{**WEEKLY, "enabled": False}]})
    )
    try:
        h.tick()
        h.set_time(at("2026-12-08T11:00"))
        assert prompt_dms(h, "alice") == []
    finally:
        h.close()


def _unused(_: Session, __: timedelta) -> None:  # keeps imports honest for type checkers
    return None
