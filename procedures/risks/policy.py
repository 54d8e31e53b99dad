"""The risk section of the policy file (`risks:`): the likelihood × impact matrix and its
levels, what each level requires (a response plan, the director's acceptance, how often it is
reviewed), and the alert timings of the indicators (000 §6, 001 §6, 003 §10, 004 §7)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from procedures.policy.common import Slug, Strict, Text, check_role
from procedures.policy.forms import FieldSpec

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
SCALE = 5  # likelihood and impact run 1..5
STRATEGIES = ("avoid", "reduce", "transfer", "accept")


class ScaleLevel(Strict):
    """One step of the likelihood or impact scale, described in both languages."""

    value: int = Field(ge=1, le=SCALE)
    name: Text
    description: Text


class Level(Strict):
    """A risk level (风险等级). `rank` orders them (1 lowest)."""

    id: Slug
    rank: int = Field(ge=1, le=10)
    name: Text
    colour: Colour
    emoji: str = ":white_circle:"
    review_every_days: int = Field(ge=1, le=3660)
    plan_required: bool = False  # measures, owner and deadline before it can be saved
    acceptance_by_director: bool = False  # accepting it is the director's decision


class Acceptance(Strict):
    expires_after_days: int = Field(default=90, ge=1, le=3660)


class Alerts(Strict):
    """Alertmanager's timings, in hours; escalation counts working hours on the org calendar."""

    repeat_after_hours: float = Field(default=4, gt=0)  # the first repeat; then doubling
    repeat_max_hours: float = Field(default=24, gt=0)
    ack_timeout_hours: float = Field(default=8, gt=0)
    escalate_to_head_after_working_hours: float = Field(default=8, gt=0)
    escalate_to_director_after_working_hours: float = Field(default=16, gt=0)
    silence_max_days: int = Field(default=30, ge=1, le=365)

    @model_validator(mode="after")
    def _in_order(self) -> Alerts:
        if (
            self.escalate_to_director_after_working_hours
            < self.escalate_to_head_after_working_hours
        ):
            raise ValueError("the director is escalated to after the head, not before")
        return self


class IndicatorSpec(Strict):
    """A key risk indicator declared in the policy (the risk role adds more with a command)."""

    id: Slug
    name: Text
    unit: str = Field(default="", max_length=16)
    direction: Literal["higher", "lower"] = "higher"  # which way is worse
    warning: Decimal
    critical: Decimal
    approaching: Decimal = Decimal(0)  # within this margin of the warning: "approaching"
    every_days: int = Field(default=30, ge=1, le=366)  # a value is expected this often
    category: Slug | None = None  # the risk category it watches
    reporter_role: Annotated[str, AfterValidator(check_role)] = "risk"  # who may report it

    @model_validator(mode="after")
    def _ordered(self) -> IndicatorSpec:
        worse = (
            self.critical >= self.warning
            if self.direction == "higher"
            else (self.critical <= self.warning)
        )
        if not worse:
            raise ValueError(f"indicator {self.id}: critical must be {self.direction} than warning")
        if self.approaching < 0:
            raise ValueError(f"indicator {self.id}: approaching is a margin, not negative")
        return self


class RisksPolicy(Strict):
    cite: str = "000 §6"
    # The risk form: title, category, description, cause, consequence, likelihood, impact,
    # owner, strategy, measures, plan owner, deadline (the responsible department is added from
    # the org file). `likelihood` and `impact` must offer 1..5.
    form: list[FieldSpec] = Field(default_factory=list)
    likelihood: list[ScaleLevel] = Field(default_factory=list)
    impact: list[ScaleLevel] = Field(default_factory=list)
    levels: list[Level] = Field(default_factory=list)
    # matrix[likelihood - 1][impact - 1] is the level id.
    matrix: list[list[Slug]] = Field(default_factory=list)
    acceptance: Acceptance = Field(default_factory=Acceptance)
    alerts: Alerts = Field(default_factory=Alerts)
    indicators: list[IndicatorSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> RisksPolicy:
        if not self.levels:
            return self  # risks switched off
        for name, scale in (("likelihood", self.likelihood), ("impact", self.impact)):
            if sorted(s.value for s in scale) != list(range(1, SCALE + 1)):
                raise ValueError(f"{name} must describe each of 1..{SCALE} once")
        ids = [level.id for level in self.levels]
        if len(set(ids)) != len(ids) or len({lv.rank for lv in self.levels}) != len(ids):
            raise ValueError("level ids and ranks must be unique")
        if len(self.matrix) != SCALE or any(len(row) != SCALE for row in self.matrix):
            raise ValueError(f"matrix must be {SCALE} rows (likelihood) of {SCALE} (impact)")
        unknown = sorted({cell for row in self.matrix for cell in row} - set(ids))
        if unknown:
            raise ValueError(f"matrix names levels that do not exist: {', '.join(unknown)}")
        indicator_ids = [i.id for i in self.indicators]
        if len(set(indicator_ids)) != len(indicator_ids):
            raise ValueError("indicator ids used twice")
        fields = {f.id: f for f in self.form}
        for needed in ("title", "category", "likelihood", "impact", "owner", "strategy"):
            if needed not in fields:
                raise ValueError(f"risks.form needs a `{needed}` field")
        for name in ("likelihood", "impact"):
            offered = sorted(o.value for o in fields[name].options)
            if offered != [str(v) for v in range(1, SCALE + 1)]:
                raise ValueError(f"risks.form `{name}` must offer 1..{SCALE}")
        if sorted(o.value for o in fields["strategy"].options) != sorted(STRATEGIES):
            raise ValueError(f"risks.form `strategy` must offer {', '.join(STRATEGIES)}")
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.levels)

    def level(self, level_id: str) -> Level:
        return next(lv for lv in self.levels if lv.id == level_id)

    def indicator(self, indicator_id: str) -> IndicatorSpec | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def category_label(self, value: str) -> Text | None:
        field = next((f for f in self.form if f.id == "category"), None)
        return field.option_label(value) if field else None
