"""The steps of a procedure as declared in the policy file: each is a task of one kind.

- `decision` (the default): approve, reject or return for changes.
- `action`: the assignee marks it done, optionally capturing fields (supplier, price).
- `input`: data from one person or many (counted quantities, a review score).

Each names who does it (the requester's approver, head or director; a role; a user; or a
`user` field of the case, `field: requester` meaning whoever filed it), its own form fields,
and its own timings.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from procedures.conditions import Condition, ConditionError, parse
from procedures.org_file import USER_ID
from procedures.policy.common import Slug, Strict, Text, check_role
from procedures.policy.forms import Fields

Role = Annotated[str, AfterValidator(check_role)]
TaskKind = Literal["decision", "action", "input"]
DecisionName = Literal["approve", "reject", "return"]
ButtonName = Literal["approve", "reject", "return", "done"]
ALL_DECISIONS: tuple[DecisionName, ...] = ("approve", "reject", "return")
REQUESTER = "requester"  # `field: requester`: the person who filed the case
# When a step's approver is nobody, the requester, or someone who left: a level up, skip the
# step, or the bot admins (see `procedures.approvals.Rules`).
SpecialRule = Literal["skip_up", "skip", "admin"]


class Timings(Strict):
    """In working hours: remind the assignees, escalate to the level above, expire the case.
    `null` switches one off."""

    remind_after_hours: float | None = Field(default=8, gt=0)
    escalate_after_hours: float | None = Field(default=24, gt=0)
    expire_after_hours: float | None = Field(default=120, gt=0)

    @model_validator(mode="after")
    def _in_order(self) -> Timings:
        ordered = [
            t
            for t in (self.remind_after_hours, self.escalate_after_hours, self.expire_after_hours)
            if t is not None
        ]
        if ordered != sorted(ordered):
            raise ValueError("remind, escalate and expire must come in that order")
        return self


class StepSpec(Strict):
    """One task of a procedure's route."""

    id: Slug | None = None  # names the step for `returns_to` and for hooks
    kind: TaskKind = "decision"
    name: Text | None = None
    approver: Literal["requester", "head", "director"] | None = None
    role: Role | None = None
    user: str | None = None
    field: str | None = None  # a `user` field of the case, or `requester`
    # Several people: any one of them (或签), all of them (会签), or all one after another
    # in the order they resolve to (依次).
    mode: Literal["any", "all", "in_order"] = "any"
    when: list[str] = Field(default_factory=list)  # all must hold, e.g. ["amount >= 5000"]
    timings: Timings | None = None
    fields: Fields = Field(default_factory=list)  # action / input: what is captured
    buttons: dict[ButtonName, Text] = Field(default_factory=dict)  # labels instead of defaults
    decisions: list[DecisionName] = Field(default_factory=lambda: list(ALL_DECISIONS))
    # A decision's "return" goes back to this earlier step (a new round), not to the requester.
    returns_to: Slug | None = None
    # Opt-in: skip this step when everyone it resolves to already decided an earlier one.
    drop_if_decided: bool = False
    # The procedure's special-case rules, overridden for this step.
    if_empty: SpecialRule | None = None
    if_requester: SpecialRule | None = None
    if_left: SpecialRule | None = None

    @field_validator("when", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("when")
    @classmethod
    def _parses(cls, value: list[str]) -> list[str]:
        for text in value:
            try:
                parse(text)
            except ConditionError as exc:
                raise ValueError(str(exc)) from None
        return value

    @field_validator("user")
    @classmethod
    def _user_id(cls, value: str | None) -> str | None:
        if value is not None and not USER_ID.match(value):
            raise ValueError(f"{value!r} is not a Slack user ID (U…)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> StepSpec:
        if sum(x is not None for x in (self.approver, self.role, self.user, self.field)) != 1:
            raise ValueError("give exactly one of approver, role, user, field")
        if self.kind == "decision":
            if self.fields:
                raise ValueError("a decision has no fields; use kind: action or input")
            if "approve" not in self.decisions:
                raise ValueError("a decision must offer approve")
            if "done" in self.buttons:
                raise ValueError("buttons.done is for action and input tasks")
        else:
            if self.returns_to is not None:
                raise ValueError("returns_to is for decisions")
            if set(self.buttons) - {"done"}:
                raise ValueError(f"a {self.kind} task has one button: buttons.done")
        if self.returns_to is not None and "return" not in self.decisions:
            raise ValueError("returns_to needs the return decision")
        return self

    @property
    def conditions(self) -> list[Condition]:
        return [parse(text) for text in self.when]

    @property
    def assignee_kind(self) -> str:
        if self.approver is not None:
            return self.approver
        if self.role is not None:
            return "role"
        return "user" if self.user is not None else "field"

    def describe(self) -> str:
        if self.approver == "requester":
            who = "the requester's approver (department head; the director for a head)"
        elif self.approver == "head":
            who = "the requester's department head"
        elif self.approver == "director":
            who = "the director above the requester's department"
        elif self.role is not None:
            quantity = {"all": "all of", "in_order": "one after another, all of"}
            who = f"{quantity.get(self.mode, 'any one of')} the {self.role} role"
        elif self.user is not None:
            who = f"<@{self.user}>"
        elif self.field == REQUESTER:
            who = "the requester"
        else:
            who = f"the person in the case's `{self.field}` field"
        condition = f" when {' and '.join(self.when)}" if self.when else ""
        if self.kind == "decision":
            return who + condition
        captured = f" capturing {', '.join(f.id for f in self.fields)}" if self.fields else ""
        return f"{self.kind} task for {who}{captured}{condition}"
