"""Periodic review prompts as declared in the policy file."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, field_validator, model_validator

from procedures import cron
from procedures.policy.common import Slug, Strict, Text, check_role
from procedures.policy.forms import Fields

Role = Annotated[str, AfterValidator(check_role)]


class Schedule(Strict):
    cron: str  # five fields: minute hour day-of-month month day-of-week
    # "org": the org's timezone; "per-user": each recipient's own (the cron's time of day,
    # in their zone); or an IANA name.
    timezone: str = "org"
    # When the cron lands on a weekend or public holiday: move to the next working day,
    # skip that occurrence, or send anyway.
    non_working_day: Literal["next", "skip", "send"] = "next"

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        try:
            cron.trigger(value)
        except ValueError as exc:
            raise ValueError(
                f"not a cron expression (minute hour day month weekday): {exc}"
            ) from None
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        if value in ("org", "per-user"):
            return value
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r}: use org, per-user or an IANA timezone") from None
        return value

    def time_of_day(self) -> time:
        minute, hour = self.cron.split()[:2]
        return time(int(hour) if hour.isdigit() else 9, int(minute) if minute.isdigit() else 0)


class Audience(Strict):
    """Exactly one of: everyone in the org, a role, every department head, one department."""

    everyone: bool = False
    role: Role | None = None
    heads: bool = False
    department: Slug | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Audience:
        chosen = [self.everyone, self.role is not None, self.heads, self.department is not None]
        if sum(chosen) != 1:
            raise ValueError("give exactly one of everyone, role, heads, department")
        return self


class FollowUp(Strict):
    nudge_after_working_days: int | None = Field(default=None, ge=1, le=30)
    digest_to: Role | None = None  # after the deadline: who is outstanding, to this role


class Review(Strict):
    """Once a person has answered, their reviewer evaluates the answers with these fields (e.g.
    a rating and a comment), and the person sees the evaluation. `by: approver` is the person's
    approver in the org (their head; a head's director); `by: role` any member of `role`."""

    by: Literal["approver", "role"] = "approver"
    role: Role | None = None
    fields: Annotated[Fields, Field(min_length=1)]

    @model_validator(mode="after")
    def _role(self) -> Review:
        if (self.by == "role") != (self.role is not None):
            raise ValueError("give `role` exactly when `by: role`")
        return self


class Variance(Strict):
    """Two money or number questions whose difference (actual - planned) the answers, the
    review and the digest show, per person and in total."""

    planned: str
    actual: str


class PromptSpec(Strict):
    id: Slug
    enabled: bool = True
    title: Text
    text: Text  # may use {date}, {month}, {previous_month}, {quarter}, {previous_quarter}, {year}
    cite: str
    schedule: Schedule
    audience: Audience
    deadline_working_days: int | None = Field(default=None, ge=0, le=60)
    follow_up: FollowUp | None = None
    opens: str | None = None  # what the prompt's button opens (a form, the attendance report)
    button: Text | None = None  # that button's label; default "Open the form"
    # What the prompt collects: answered in a form from its button, kept per person and period,
    # editable until the deadline (and until reviewed).
    questions: Fields = Field(default_factory=list)
    review: Review | None = None
    variance: Variance | None = None

    @model_validator(mode="after")
    def _digest_needs_deadline(self) -> PromptSpec:
        if self.follow_up and self.follow_up.digest_to and self.deadline_working_days is None:
            raise ValueError("follow_up.digest_to needs deadline_working_days")
        if self.questions and self.opens:
            raise ValueError("a prompt either asks questions or opens something else, not both")
        if (self.review or self.variance) and not self.questions:
            raise ValueError("review and variance need questions")
        if self.variance is not None:
            kinds = {q.id: q.type for q in self.questions}
            for name in (self.variance.planned, self.variance.actual):
                if kinds.get(name) not in ("money", "number"):
                    raise ValueError(
                        f"variance names {name!r}, which is not a money or number question"
                    )
        return self

    @property
    def owner(self) -> str | None:
        """The role that receives the digest and may read every answer."""
        return self.follow_up.digest_to if self.follow_up else None
