"""Leave balances: quotas by years of service, carry-over capped and lapsing at its use-by
date, pending requests, and the profile cache's one-day refresh."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from bot.modules import load_policy
from procedures.leave import balances
from procedures.leave.policy import LeavePolicy
from store import leave_repo, profiles
from store.db import Sessions

POLICY = load_policy().section(LeavePolicy)
NOW = datetime(2026, 1, 5, 2, tzinfo=UTC)


def annual(sessions: Sessions, today: date, joined: date | None) -> balances.BalanceRow:
    with sessions.begin() as session:
        rows = balances.balances(session, POLICY, "U1", today=today, joined=joined, now=NOW)
    row = balances.balance_of(rows, "annual")
    assert row is not None
    return row


def take(session: Session, year: int, days: Decimal, on: date, key: str) -> None:
    """Annual leave taken by U1 (negative days), as an approval records it."""
    leave_repo.add(
        session,
        user="U1",
        leave_type="annual",
        year=year,
        kind="taken",
        days=days,
        on=on,
        key=key,
        at=NOW,
    )


def test_quota_by_years_of_service() -> None:
    quota = POLICY.type("annual").balance.quota  # type: ignore[union-attr]
    assert quota(None, 2026) == 0
    assert quota(date(2025, 6, 1), 2026) == 0  # not a full year at 1 January
    assert quota(date(2025, 1, 1), 2026) == 5
    assert quota(date(2016, 1, 1), 2026) == 10
    assert quota(date(2006, 1, 2), 2026) == 10  # 19 years and a day short of 20
    assert quota(date(2006, 1, 1), 2026) == 15


def test_carry_over_is_capped_and_lapses_unless_used(sessions: Sessions) -> None:
    with sessions.begin() as session:
        # 2025: 10 days granted, 2 taken: 8 left, of which at most 5 carry over.
        balances.ensure_year(session, POLICY, "U1", 2025, date(2015, 1, 1), NOW)
        take(session, 2025, Decimal(-2), date(2025, 5, 1), "taken:old")
    row = annual(sessions, date(2026, 1, 5), date(2015, 1, 1))
    assert (row.granted, row.carried, row.left) == (Decimal(10), Decimal(5), Decimal(15))
    with sessions.begin() as session:
        take(session, 2026, Decimal(-3), date(2026, 2, 2), "taken:new")
    # After 31 March the unused carried days lapse: 3 of the 5 were used before then.
    before = annual(sessions, date(2026, 3, 31), date(2015, 1, 1))
    after = annual(sessions, date(2026, 4, 1), date(2015, 1, 1))
    assert (before.carried, before.left) == (Decimal(5), Decimal(12))
    assert (after.carried, after.left) == (Decimal(3), Decimal(10))


def test_a_grant_is_made_once(sessions: Sessions) -> None:
    for _ in range(3):
        annual(sessions, date(2026, 6, 1), date(2015, 1, 1))
    with sessions.begin() as session:
        grants = [e for e in leave_repo.entries(session, "U1", 2026) if e.kind == "grant"]
    assert len([g for g in grants if g.leave_type == "annual"]) == 1


def test_profiles_are_upserted_and_keep_the_chosen_language(sessions: Sessions) -> None:
    with sessions.begin() as session:
        profiles.set_language(session, "U1", "zh")
        profiles.save_from_slack(
            session, {"id": "U1", "name": "a", "locale": "en-US", "tz": "UTC"}, NOW
        )
        profiles.save_from_slack(
            session,
            {"id": "U1", "name": "b", "locale": "en-GB", "tz": "UTC"},
            NOW + timedelta(days=1),
        )
    with sessions.begin() as session:
        row = profiles.get(session, "U1")
        assert row is not None
        assert (row.name, row.locale, row.language) == ("b", "en-GB", "zh")


def test_a_later_year_counts_its_quota_and_no_carry_over_yet(sessions: Sessions) -> None:
    today, joined = date(2026, 12, 1), date(2015, 1, 1)
    with sessions.begin() as session:
        take(session, 2027, Decimal(-1), date(2027, 1, 4), "taken:early")
        rows = balances.balances(
            session, POLICY, "U1", today=today, joined=joined, now=NOW, year=2027
        )
    row = balances.balance_of(rows, "annual")
    assert row is not None
    assert (row.granted, row.carried, row.used, row.left) == (
        Decimal(10),
        Decimal(0),
        Decimal(1),
        Decimal(9),
    )
    with sessions.begin() as session:  # nothing is granted before the year starts
        kinds = [e.kind for e in leave_repo.entries(session, "U1", 2027)]
    assert kinds == ["taken"]
