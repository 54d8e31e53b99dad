"""Leave types and quotas, as declared in the policy file (regulations.md §1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from procedures.policy.common import Slug, Strict, Text

MonthDay = Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")]


class ServiceStep(Strict):
    """From `years` of service on, the yearly quota is `days`."""

    years: int = Field(ge=0, le=60)
    days: Decimal = Field(ge=0, le=366)


class Balance(Strict):
    """How a type's yearly balance is made. Exactly one of: a fixed `days` a year, a quota
    `by_service`, or `earned` (starts at zero each year; approved overtime credits it)."""

    days: Decimal | None = Field(default=None, ge=0, le=366)
    by_service: list[ServiceStep] | None = None
    earned: bool = False
    carry_over_max: Decimal = Field(default=Decimal(0), ge=0, le=366)
    carry_over_until: MonthDay | None = None  # carried days must be used by this date

    @model_validator(mode="after")
    def _one_source(self) -> Balance:
        sources = [self.days is not None, bool(self.by_service), self.earned]
        if sum(sources) != 1:
            raise ValueError("give exactly one of days, by_service, earned")
        if self.by_service:
            years = [step.years for step in self.by_service]
            if years != sorted(set(years)) or years[0] != 0:
                raise ValueError("by_service must start at years: 0 and go up")
        if self.carry_over_max and self.carry_over_until is None:
            raise ValueError("carry_over_max needs carry_over_until (MM-DD)")
        return self

    def quota(self, joined: date | None, year: int) -> Decimal:
        """The year's quota; service is counted at 1 January of `year`."""
        if self.earned:
            return Decimal(0)
        if self.days is not None:
            return self.days
        assert self.by_service is not None
        service = 0
        if joined is not None:
            start = date(year, 1, 1)
            service = (
                start.year - joined.year - ((start.month, start.day) < (joined.month, joined.day))
            )
        eligible = [step.days for step in self.by_service if step.years <= max(service, 0)]
        return eligible[-1] if eligible else Decimal(0)

    def carry_deadline(self, year: int) -> date | None:
        if self.carry_over_until is None:
            return None
        month, day = (int(part) for part in self.carry_over_until.split("-"))
        return date(year, month, day)


class LeaveType(Strict):
    id: Slug
    name: Text
    aliases: list[str] = Field(default_factory=list)  # words people type in the quick path
    paid: bool = True
    approval: bool = True  # false: recorded at once, nobody approves
    notice_working_days: int = Field(default=1, ge=0, le=60)  # apply this far in advance
    backdate_days: int = Field(default=0, ge=0, le=60)  # may be filed this many days after
    half_days: bool = True
    balance: Balance | None = None  # None: no balance (e.g. unpaid personal leave)
    max_consecutive_days: Decimal | None = Field(default=None, gt=0)  # above: the director too
    reason_required: bool = False
    cite: str = "002 §4.1"
    highlight: bool = False  # shown on the App Home beside the person's name

    @field_validator("aliases")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [alias.strip().lower() for alias in value if alias.strip()]

    def words(self) -> set[str]:
        return {self.id, self.name.en.lower(), self.name.zh, *self.aliases}


class LeavePolicy(Strict):
    procedure: str = "leave"  # the procedure whose requests are leave
    types: list[LeaveType] = Field(default_factory=list)
    morning_post: str | None = "09:00"  # who-is-out post to department channels on working days

    @model_validator(mode="after")
    def _unique(self) -> LeavePolicy:
        ids = [t.id for t in self.types]
        if len(ids) != len(set(ids)):
            raise ValueError("leave type ids must be unique")
        words: dict[str, str] = {}
        for kind in self.types:
            for word in kind.words():
                if words.setdefault(word, kind.id) != kind.id:
                    raise ValueError(f"{word!r} names both {words[word]} and {kind.id}")
        return self

    def type(self, type_id: str) -> LeaveType | None:
        return next((t for t in self.types if t.id == type_id), None)

    def find(self, word: str) -> LeaveType | None:
        word = word.strip().lower()
        return next((t for t in self.types if word in t.words()), None)
