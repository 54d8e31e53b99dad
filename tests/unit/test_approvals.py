"""The engine's pure rules: conditions, routing, step results, transitions, delegation."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import pytest

from procedures import approvals
from procedures.approvals import Decision, DelegationRules, State, Vote
from procedures.conditions import ConditionError, parse
from procedures.errors import Conflict
from procedures.policy.procedures import StepSpec


class Org:
    """alice < bob (head of ops) < dan (director); fay heads finance with ian; dan is top."""

    above: ClassVar = {"alice": "bob", "erin": "bob", "bob": "dan", "ian": "fay", "fay": "dan"}
    heads: ClassVar = {
        "alice": "bob",
        "erin": "bob",
        "bob": "bob",
        "ian": "fay",
        "fay": "fay",
        "dan": "dan",
        "UFAY": "fay",
    }
    directors: ClassVar = {"alice": "dan", "erin": "dan", "bob": "dan", "ian": "dan", "fay": "dan"}
    roles: ClassVar = {"finance": ["fay", "ian"], "hr": ["hana"]}

    def approver_above(self, user: str) -> str | None:
        return self.above.get(user)

    def head_of(self, user: str) -> str | None:
        return self.heads.get(user)

    def director_of(self, user: str) -> str | None:
        return self.directors.get(user)

    def users_with_role(self, role: str) -> list[str]:
        return self.roles.get(role, [])

    def is_member(self, user: str) -> bool:
        return user in self.heads


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("amount >= 1000", {"amount": {"amount": "1000.00", "currency": "CNY"}}, True),
        ("amount >= 1000", {"amount": {"amount": "999.99", "currency": "CNY"}}, False),
        ("days > 3", {"days": "3.5"}, True),
        ("days > 3", {"days": 3}, False),
        ("category in [travel, meals]", {"category": "meals"}, True),
        ("category not in [travel, meals]", {"category": "meals"}, False),
        ("currency == CNY", {"currency": "CNY"}, True),
        ("currency != 'CNY'", {"currency": "USD"}, True),
        ("amount > 5", {}, False),  # a missing value never satisfies a condition
    ],
)
def test_conditions(text: str, values: dict[str, object], expected: bool) -> None:
    assert parse(text).holds(values) is expected


@pytest.mark.parametrize(
    "text", ["amount >= lots", "amount", "a in b", "__import__('os') == 1", "x in []"]
)
def test_conditions_that_do_not_parse(text: str) -> None:
    with pytest.raises(ConditionError):
        parse(text)


def step(**kwargs: object) -> StepSpec:
    return StepSpec.model_validate(kwargs)


CHAIN = [
    step(approver="requester"),
    step(role="finance"),
    step(approver="director", when="amount >= 5000"),
]


def people(route: list[approvals.RouteStep]) -> list[tuple[str, ...]]:
    return [s.approvers for s in route]


def test_a_member_goes_to_the_head_then_finance() -> None:
    route = approvals.route(CHAIN, "alice", {"amount": Decimal(100)}, Org())
    assert people(route) == [("bob",), ("fay", "ian")]


def test_above_an_amount_the_director_too() -> None:
    route = approvals.route(CHAIN, "alice", {"amount": Decimal(5000)}, Org())
    assert people(route) == [("bob",), ("fay", "ian"), ("dan",)]


def test_a_head_goes_to_the_director_and_never_decides_their_own() -> None:
    assert people(approvals.route(CHAIN[:1], "bob", {}, Org())) == [("dan",)]
    # The finance role without the requester. A step everyone already decided is kept unless
    # it opts in to being dropped: a declared step is never lost silently.
    assert people(approvals.route(CHAIN, "ian", {"amount": 1}, Org())) == [("fay",), ("fay",)]
    droppable = [CHAIN[0], step(role="finance", drop_if_decided=True)]
    assert people(approvals.route(droppable, "ian", {"amount": 1}, Org())) == [("fay",)]
    assert people(approvals.route([step(user="UFAY")], "alice", {}, Org())) == [("UFAY",)]


def test_nobody_left_falls_back_to_admins_or_fails() -> None:
    top = [step(approver="requester")]
    assert people(approvals.route(top, "dan", {}, Org(), fallback=lambda: ["root"])) == [("root",)]
    with pytest.raises(approvals.NoApprover):
        approvals.route(top, "dan", {}, Org(), fallback=lambda: ["dan"])


def test_special_case_rules_for_an_empty_self_or_departed_approver() -> None:
    org, admins = Org(), lambda: ["root"]
    left = [step(user="UGONE")]  # not in the org any more
    rules = {
        rule: approvals.Rules(if_empty=rule, if_requester=rule, if_left=rule)
        for rule in ("skip_up", "skip", "admin")
    }

    def plan(chain: list[StepSpec], who: str, rule: str) -> list[approvals.Planned]:
        return approvals.plan(chain, who, {}, org, fallback=admins, rules=lambda _s: rules[rule])

    # Left: a level up (the requester's approver), skipped, or the admins; the card is told.
    (up,) = plan(left, "alice", "skip_up")
    assert up.step is not None and up.step.approvers == ("bob",)
    assert up.special == {"case": "if_left", "rule": "skip_up", "user": "UGONE"}
    (skipped,) = plan(left, "alice", "skip")
    assert skipped.step is None and skipped.skipped == "rule"
    (admin,) = plan(left, "alice", "admin")
    assert admin.step is not None and admin.step.approvers == ("root",) and not admin.fallback
    # The requester: a head's own head step.
    (own,) = plan([step(approver="head")], "bob", "skip_up")
    assert own.step is not None and own.step.approvers == ("dan",)
    assert own.special is not None and own.special["case"] == "if_requester"
    assert plan([step(approver="head")], "bob", "skip")[0].step is None
    # Empty: a role nobody holds.
    (empty,) = plan([step(role="risk")], "alice", "admin")
    assert empty.step is not None and empty.step.approvers == ("root",)
    assert empty.special == {"case": "if_empty", "rule": "admin"}
    # Nobody a level up either: the admins, and the card says so.
    (top,) = plan(left, "dan", "skip_up")
    assert top.step is not None and top.step.approvers == ("root",)
    assert top.special is not None and top.special["rule"] == "admin"


@pytest.mark.parametrize(
    ("mode", "votes", "result"),
    [
        ("any", [None, None], "open"),
        ("any", ["approved", None], "approved"),
        ("any", ["rejected", None], "rejected"),
        ("all", ["approved", None], "open"),
        ("all", ["approved", "approved"], "approved"),
        ("all", ["approved", "returned"], "returned"),
        ("in_order", ["approved", None], "open"),
        ("in_order", ["approved", "approved"], "approved"),
        ("in_order", [None, "rejected"], "rejected"),
    ],
)
def test_step_results(mode: str, votes: list[str | None], result: str) -> None:
    assert approvals.step_result(mode, [Vote(f"u{i}", v) for i, v in enumerate(votes)]) == result


def test_transitions() -> None:
    assert approvals.transition(State.PENDING, "approve_last") == State.APPROVED
    assert approvals.transition(State.RETURNED, "resubmit") == State.PENDING
    assert approvals.transition(State.CANCELLING, "reject") == State.APPROVED
    for state, event in [
        (State.APPROVED, "approve_last"),
        (State.WITHDRAWN, "withdraw"),
        (State.EXPIRED, "resubmit"),
    ]:
        with pytest.raises(Conflict):
            approvals.transition(state, event)


def test_authority_and_delegation() -> None:
    def kind(user: str, admin: bool) -> str | None:
        power = approvals.authority(user, ["bob"], requester="alice", is_bot_admin=admin)
        return power.kind if power else None

    assert kind("bob", admin=False) == "approver"
    assert kind("dan", admin=True) == "override"
    assert kind("erin", admin=False) is None
    assert approvals.authority("alice", ["alice"], requester="alice", is_bot_admin=True) is None
    rules = DelegationRules({"bob": "carol", "fay": "alice"})
    assert rules.apply(["bob", "fay"], requester="alice") == [("carol", "bob"), ("fay", None)]
    assert Decision("approve") == Decision.APPROVE
