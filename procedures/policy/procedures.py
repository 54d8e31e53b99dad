"""Procedures as declared in the policy file: their form, their route of tasks and timings.

A plain procedure (expense reimbursement) is policy only. One with behaviour of its own names a
module of hooks (`hooks: leave`), which may add computed values the chain's conditions can use
and react to each task's outcome.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from procedures.org_file import CHANNEL_PURPOSES, USER_ID
from procedures.policy.common import Slug, Strict, Text, check_role
from procedures.policy.forms import Fields, FieldSpec
from procedures.policy.steps import REQUESTER, SpecialRule, StepSpec, Timings

__all__ = ["Overdue", "ProcedureSpec", "StepSpec", "Timings"]

Role = Annotated[str, AfterValidator(check_role)]


def _purpose(value: str) -> str:
    if value not in CHANNEL_PURPOSES:
        raise ValueError(
            f"channel purpose {value!r} does not exist; purposes: {', '.join(CHANNEL_PURPOSES)}"
        )
    return value


class Overdue(Strict):
    """A case past the date in `field` while still open: its `owner` (a `user` field) is
    nudged the next working morning, and their `escalate_to` is told some working days later."""

    field: str
    owner: str
    escalate_to: Literal["head", "director"] = "head"
    escalate_after_working_days: int = Field(default=1, ge=0, le=30)


class CopyTo(Strict):
    """Who is told when a case ends (抄送, read-only): users, roles, the requester's head."""

    users: list[str] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    head: bool = False  # the requester's department head (their approver, for a head)

    @field_validator("users")
    @classmethod
    def _user_ids(cls, value: list[str]) -> list[str]:
        for user in value:
            if not USER_ID.match(user):
                raise ValueError(f"{user!r} is not a Slack user ID (U…)")
        return value


class ProcedureSpec(Strict):
    id: Slug
    prefix: Annotated[str, Field(pattern=r"^[A-Z]{2,4}$")]
    name: Text
    description: Text | None = None
    cite: str
    channel: Annotated[str, AfterValidator(_purpose)] = "approvals"
    visible_to: list[Role] = Field(default_factory=list)
    fields: Fields
    summary: list[str] = Field(default_factory=list)  # fields shown on the card; default: first 4
    chain: Annotated[list[StepSpec], Field(min_length=1)]
    timings: Timings = Field(default_factory=Timings)
    hooks: str | None = None
    cancellable: bool = False  # approved requests may be cancelled, with the approver's consent
    filed_by: list[Role] = Field(default_factory=list)  # only these roles may file; [] = anyone
    ends: Literal["approved", "closed"] = "approved"  # the state once the last task is done
    overdue: Overdue | None = None
    # A step whose approver is nobody, the requester, or someone who left the org. Unset: a
    # level up (`skip_up`), except for a step naming a field of the case, which goes to the
    # bot admins (the case named that person; nobody a level up stands in for them).
    if_empty: SpecialRule | None = None
    if_requester: SpecialRule | None = None
    if_left: SpecialRule | None = None
    cc: CopyTo | None = None  # told when the case ends (抄送)
    # False for a case only another case opens (a meeting's action items, from its minutes):
    # `/procedo new` does not offer it and refuses to open its form.
    offered: bool = True
    enabled: bool = True

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> ProcedureSpec:
        known = {f.id for f in self.fields}
        # What each registered domain's hooks compute, by hooks name (see `parse_policy`).
        offered: dict[str, tuple[str, ...]] = (info.context or {}).get("hooks", {})
        if self.hooks is not None and self.hooks not in offered:
            names_offered = ", ".join(sorted(offered)) or "none"
            raise ValueError(f"hooks {self.hooks!r} do not exist (registered: {names_offered})")
        names = known | set(offered.get(self.hooks or "", ()))
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
        self._check_steps()
        if self.overdue is not None:
            self._check_field(self.overdue.field, "date", "overdue.field")
            self._check_field(self.overdue.owner, "user", "overdue.owner")
        return self

    def _check_field(self, name: str, kind: str, where: str) -> None:
        found = next((f for f in self.fields if f.id == name), None)
        if found is None or found.type != kind:
            raise ValueError(f"{where} names {name!r}, which is not a {kind} field")

    def _check_steps(self) -> None:
        ids = [step.id for step in self.chain if step.id is not None]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"step ids used twice: {', '.join(twice)}")
        for index, step in enumerate(self.chain):
            if step.field is not None and step.field != REQUESTER:
                self._check_field(step.field, "user", f"chain[{index}].field")
            if step.returns_to is not None:
                earlier = [s.id for s in self.chain[:index]]
                if step.returns_to not in earlier:
                    raise ValueError(
                        f"chain[{index}].returns_to names {step.returns_to!r}, which is not "
                        "an earlier step's id"
                    )

    def step_index(self, step_id: str) -> int | None:
        return next((i for i, s in enumerate(self.chain) if s.id == step_id), None)

    def step_spec(self, index: int | None) -> StepSpec | None:
        return self.chain[index] if index is not None and 0 <= index < len(self.chain) else None

    def card_fields(self) -> list[FieldSpec]:
        wanted = self.summary or [f.id for f in self.fields[:4]]
        by_id = {f.id: f for f in self.fields}
        return [by_id[i] for i in wanted]

    def step_timings(self, step: StepSpec) -> Timings:
        return step.timings or self.timings

    def special_rules(self, step: StepSpec) -> dict[str, SpecialRule]:
        """The special-case rules that hold for `step` (its own, else the procedure's, else
        the default for its kind of assignee)."""
        default: SpecialRule = "admin" if step.field is not None else "skip_up"
        return {
            "if_empty": step.if_empty or self.if_empty or default,
            "if_requester": step.if_requester or self.if_requester or "skip_up",
            "if_left": step.if_left or self.if_left or default,
        }
