"""A project's plan: what a change changes, the schedule check, project numbers, and the items
a reviewer's rectification reason lists; and the rounds read from an application's history."""

from __future__ import annotations

from datetime import UTC, datetime

from procedures.projects.lifecycle import rectifications
from procedures.projects.plan import changes, items_of, parse_number, schedule_problem
from procedures.request_view import Event

PLAN = {
    "title": "Portal",
    "goal": "Tickets online",
    "scope": "Form, status page",
    "budget": {"amount": "80000", "currency": "CNY"},
    "start": "2026-12-07",
    "end": "2027-03-31",
    "team": ["U1", "U2"],
}


def test_changes_name_each_changed_field_with_its_old_value() -> None:
    new = {**PLAN, "budget": {"amount": "95000.00", "currency": "CNY"}, "end": "2027-04-30"}
    assert changes(PLAN, new) == {"budget": PLAN["budget"], "end": "2027-03-31"}


def test_the_same_plan_written_differently_is_no_change() -> None:
    same = {
        **PLAN,
        "budget": {"amount": "80000.00", "currency": "CNY"},
        "team": ["U2", "U1"],
        "title": "Portal  ",
    }
    assert changes(PLAN, same) == {}
    assert changes(PLAN, {**same, "budget": {"amount": "80000", "currency": "USD"}}) == {
        "budget": PLAN["budget"]
    }


def test_the_end_must_be_after_the_start() -> None:
    assert schedule_problem({"start": "2026-12-07", "end": "2026-12-07"})
    assert schedule_problem({"start": "2026-12-07", "end": "2026-12-01"})
    assert not schedule_problem({"start": "2026-12-07", "end": "2026-12-08"})
    assert not schedule_problem({"start": "2026-12-07"})  # the form reports a missing date


def test_project_numbers() -> None:
    assert parse_number("PJ-0001") == 1 and parse_number("pj-12") == 12
    assert parse_number("PJ7") == 7
    assert parse_number("PA-0001") is None and parse_number("1") is None
    assert parse_number("PJ-" + "9" * 12) is None


def test_items_one_a_line_without_their_bullets() -> None:
    reason = "1. Add the user manual\n  - Fix login \n\n（3）补充财务决算\n2) Sign-off"
    assert items_of(reason) == ["Add the user manual", "Fix login", "补充财务决算", "Sign-off"]
    assert items_of("   ") == []


def _event(action: str, actor: str = "U0BOB", reason: str | None = None) -> Event:
    return Event(0, datetime(2026, 12, 2, tzinfo=UTC), actor, action, None, None, reason, {})


def test_each_return_is_a_round_reapplied_once_resubmitted() -> None:
    trail = [
        _event("request.submitted", "U0ERIN"),
        _event("request.returned", reason="1. Manual\n2. Login"),
        _event("request.resubmitted", "U0ERIN"),
        _event("request.returned", reason="Login still fails"),
    ]
    rounds = rectifications("PA-0001", trail)
    assert [(r.round, r.items, r.reapplied) for r in rounds] == [
        (1, ("Manual", "Login"), True),
        (2, ("Login still fails",), False),
    ]
