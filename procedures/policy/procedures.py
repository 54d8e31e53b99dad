"""Procedures as declared in the policy file: their form, their approval chain and timings.

A plain procedure (expense reimbursement) is policy only. One with behaviour of its own names a
module of hooks (`hooks: leave`), which may add computed values the chain's conditions can use.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from procedures.conditions import Condition, ConditionError, parse
from procedures.org_file import CHANNEL_PURPOSES, USER_ID
from procedures.policy.common import Slug, Strict, Text, check_role
from procedures.policy.forms import FieldSpec, check_fields

Role = Annotated[str, AfterValidator(check_role)]


def _purpose(value: str) -> str:
    if value not in CHANNEL_PURPOSES:
        raise ValueError(
            f"channel purpose {value!r} does not exist; purposes: {', '.join(CHANNEL_PURPOSES)}"
        )
    return value


class Timings(Strict):
    """In working hours: remind the approver, escalate to the level above, expire the request.
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
    """Who decides one step: the requester's approver (their department head, or the director
    for a head), the department head, the director, a role, or a named user."""

    name: Text | None = None
    approver: Literal["requester", "head", "director"] | None = None
    role: Role | None = None
    user: str | None = None
    mode: Literal["any", "all"] = "any"  # a role: any one of them, or all of them
    when: list[str] = Field(default_factory=list)  # all must hold, e.g. ["amount >= 5000"]
    timings: Timings | None = None

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
    def _exactly_one(self) -> StepSpec:
        if sum(x is not None for x in (self.approver, self.role, self.user)) != 1:
            raise ValueError("give exactly one of approver, role, user")
        return self

    @property
    def conditions(self) -> list[Condition]:
        return [parse(text) for text in self.when]

    def describe(self) -> str:
        if self.approver == "requester":
            who = "the requester's approver (department head; the director for a head)"
        elif self.approver == "head":
            who = "the requester's department head"
        elif self.approver == "director":
            who = "the director above the requester's department"
        elif self.role is not None:
            who = f"{'all of' if self.mode == 'all' else 'any one of'} the {self.role} role"
        else:
            who = f"<@{self.user}>"
        condition = f" when {' and '.join(self.when)}" if self.when else ""
        return who + condition


class ProcedureSpec(Strict):
    id: Slug
    prefix: Annotated[str, Field(pattern=r"^[A-Z]{2,4}$")]
    name: Text
    description: Text | None = None
    cite: str
    channel: Annotated[str, AfterValidator(_purpose)] = "approvals"
    visible_to: list[Role] = Field(default_factory=list)
    fields: list[FieldSpec]
    summary: list[str] = Field(default_factory=list)  # fields shown on the card; default: first 4
    chain: Annotated[list[StepSpec], Field(min_length=1)]
    timings: Timings = Field(default_factory=Timings)
    hooks: str | None = None
    cancellable: bool = False  # approved requests may be cancelled, with the approver's consent
    enabled: bool = True

    @field_validator("fields")
    @classmethod
    def _fields(cls, value: list[FieldSpec]) -> list[FieldSpec]:
        check_fields(value)
        return value

    @model_validator(mode="after")
    def _references(self) -> ProcedureSpec:
        from procedures.hooks import computed_fields

        known = {f.id for f in self.fields}
        computed = computed_fields(self.hooks)
        if self.hooks is not None and computed is None:
            raise ValueError(f"hooks {self.hooks!r} do not exist")
        names = known | set(computed or ())
        for field in self.summary:
            if field not in known:
                raise ValueError(f"summary names {field!r}, which is not a field")
        for index, step in enumerate(self.chain):
            for condition in step.conditions:
                if condition.field not in names:
                    raise ValueError(
                        f"chain[{index}] condition `{condition}` names {condition.field!r}, "
                        f"which is not a field (fields: {', '.join(sorted(names))})"
                    )
        return self

    def card_fields(self) -> list[FieldSpec]:
        wanted = self.summary or [f.id for f in self.fields[:4]]
        by_id = {f.id: f for f in self.fields}
        return [by_id[i] for i in wanted]

    def step_timings(self, step: StepSpec) -> Timings:
        return step.timings or self.timings
