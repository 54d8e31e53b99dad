"""Cases made of tasks, the pure parts: step declarations, routing with task kinds and the
drop flag, the requester named on purpose, and the effective-route check."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from procedures import approvals
from procedures.policy.procedures import ProcedureSpec
from procedures.policy.steps import StepSpec
from tests.unit.test_approvals import Org, people, step

LABEL = {"en": "X", "zh": "某"}


def procedure(chain: list[dict[str, object]], **extra: object) -> ProcedureSpec:
    return ProcedureSpec.model_validate(
        {
            "id": "purchase",
            "prefix": "PU",
            "name": LABEL,
            "cite": "000 §3.2.3",
            "fields": [
                {"id": "item", "type": "text", "label": LABEL},
                {"id": "buyer", "type": "user", "label": LABEL},
                {"id": "due", "type": "date", "label": LABEL},
            ],
            "chain": chain,
            **extra,
        }
    )


def test_default_kind_is_decision_and_tasks_carry_their_fields() -> None:
    assert step(approver="requester").kind == "decision"
    bought = step(
        kind="action",
        field="buyer",
        fields=[
            {"id": "supplier", "type": "text", "label": LABEL},
            {"id": "price", "type": "money", "label": LABEL},
        ],
    )
    assert [f.id for f in bought.fields] == ["supplier", "price"]
    assert bought.describe().startswith("action task for the person in the case's `buyer` field")


@pytest.mark.parametrize(
    "bad",
    [
        {"approver": "requester", "fields": [{"id": "a", "type": "text", "label": LABEL}]},
        {"kind": "action", "role": "admin", "returns_to": "x"},
        {"kind": "input", "role": "admin", "buttons": {"approve": LABEL}},
        {"role": "admin", "field": "buyer"},
        {"approver": "requester", "decisions": ["reject", "return"]},
        {"approver": "requester", "decisions": ["approve"], "returns_to": "x"},
    ],
)
def test_inconsistent_steps_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        StepSpec.model_validate(bad)


def test_procedure_references_are_checked() -> None:
    ok = procedure(
        [
            {"id": "buy", "kind": "action", "field": "buyer"},
            {"approver": "requester", "returns_to": "buy"},
        ],
        overdue={"field": "due", "owner": "buyer"},
    )
    assert ok.step_index("buy") == 0
    cases: list[tuple[list[dict[str, object]], dict[str, object]]] = [
        ([{"kind": "action", "field": "item"}], {}),  # not a user field
        ([{"approver": "requester", "returns_to": "later"}, {"id": "later", "role": "hr"}], {}),
        ([{"id": "a", "role": "hr"}, {"id": "a", "role": "admin"}], {}),
        ([{"role": "hr"}], {"overdue": {"field": "item", "owner": "buyer"}}),
    ]
    for chain, extra in cases:
        with pytest.raises(ValidationError):
            procedure(chain, **extra)


def test_a_field_step_goes_to_that_person_and_may_name_the_requester() -> None:
    chain = [
        step(kind="action", field="buyer"),
        step(kind="input", field="requester"),
        step(field="requester"),
    ]
    route = approvals.route(chain, "alice", {"buyer": "erin"}, Org())
    assert people(route) == [("erin",), ("alice",), ("alice",)]
    assert [s.task for s in route] == ["action", "input", "decision"]
    assert [s.kind for s in route] == ["field", "field", "field"]
    # Nobody in the field (or not in the org): the fallback, never a silent gap.
    rules = approvals.Rules(if_empty="admin", if_left="admin")  # a field step's default
    route = approvals.route(
        chain[:1],
        "alice",
        {"buyer": "ghost"},
        Org(),
        fallback=lambda: ["dan"],
        rules=lambda _s: rules,
    )
    assert people(route) == [("dan",)]


def test_plan_says_why_a_step_is_not_on_the_route() -> None:
    chain = [
        step(approver="requester"),
        step(role="finance", drop_if_decided=True),
        step(approver="director", when="amount >= 5000"),
    ]
    planned = approvals.plan(chain, "ian", {"amount": 1}, Org())
    assert [(p.spec_index, p.skipped) for p in planned] == [
        (0, None),
        (1, "dropped"),
        (2, "condition"),
    ]
    assumed = approvals.plan(chain, "ian", {}, Org(), conditions=False)
    assert [p.step.approvers for p in assumed if p.step] == [("fay",), ("dan",)]


def test_action_tasks_never_count_as_decided_for_the_drop_flag() -> None:
    chain = [
        step(kind="action", approver="requester"),
        step(approver="requester", drop_if_decided=True),
    ]
    assert people(approvals.route(chain, "alice", {}, Org())) == [("bob",), ("bob",)]


def test_the_requester_may_act_only_where_the_step_names_them() -> None:
    assert approvals.authority("alice", ["alice"], requester="alice", is_bot_admin=False) is None
    power = approvals.authority(
        "alice", ["alice"], requester="alice", is_bot_admin=False, own_allowed=True
    )
    assert power is not None and power.kind == "approver"


def test_closed_is_a_final_state() -> None:
    assert approvals.transition("pending", "close") == approvals.State.CLOSED
    assert approvals.State.CLOSED in approvals.FINAL_STATES


def test_the_builtin_rectification_route() -> None:
    from bot.modules import load_policy

    spec = load_policy().procedure("rectification")
    assert spec is not None and spec.filed_by == ["quality"] and spec.ends == "closed"
    route = approvals.route(spec.chain, "erin", {"owner": "alice"}, Org())
    assert [(s.task, s.approvers) for s in route] == [
        ("action", ("alice",)),
        ("input", ("alice",)),
        ("decision", ("erin",)),  # the inspector who issued it
    ]
    assert spec.chain[2].returns_to == "fix" and spec.chain[2].decisions == ["approve", "return"]
