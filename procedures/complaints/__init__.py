"""Customer complaints and service targets (004 §4.2): a complaint is a case with a lifecycle —
filed, assigned to an owner, responded to within its severity's time, resolved, revisited
(回访) with satisfaction scores — and the month's four figures against the regulation's
targets. See cases.py (the lifecycle) and figures.py (the figures)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator, model_validator

from procedures import cron
from procedures.modules import Domain
from procedures.org_file import CHANNEL_PURPOSES
from procedures.policy.common import Slug, Strict, Text, check_role

# What users read for each state in domain errors (the catalog's `complaints.state.*` say the same).
STATE_NAMES: dict[str, dict[str, str]] = {
    "open": {"en": "waiting for an owner", "zh": "待指派"},
    "assigned": {"en": "waiting for the response", "zh": "待响应"},
    "responded": {"en": "being resolved", "zh": "处理中"},
    "resolved": {"en": "resolved, waiting for the revisit", "zh": "已解决，待回访"},
    "revisited": {"en": "revisited", "zh": "已回访"},
}
CHANNELS = ("phone", "email", "visit", "online", "other")  # how the complaint reached us


def _purpose(value: str) -> str:
    if value not in CHANNEL_PURPOSES:
        raise ValueError(f"channel purpose {value!r} does not exist")
    return value


class Severity(Strict):
    id: Slug
    name: Text
    response_hours: int = Field(ge=1, le=24 * 30)  # plain clock hours from receipt


class Score(Strict):
    """The revisit's scale: `min`..`max`; a score at or above `satisfied_at` is satisfied."""

    min: int = Field(default=1, ge=0, le=10)
    max: int = Field(default=5, ge=1, le=100)
    satisfied_at: int = 4

    @model_validator(mode="after")
    def _order(self) -> Score:
        if not self.min < self.max or not self.min <= self.satisfied_at <= self.max:
            raise ValueError("need min < max and min <= satisfied_at <= max")
        return self


class Targets(Strict):
    """Percentages from 004 §4.2: a figure meets its target when it is at least this."""

    handling_rate: Decimal = Field(default=Decimal(100), ge=0, le=100)
    handling_satisfaction: Decimal = Field(default=Decimal(95), ge=0, le=100)
    revisit_rate: Decimal = Field(default=Decimal(100), ge=0, le=100)
    satisfaction: Decimal = Field(default=Decimal(90), ge=0, le=100)


class ComplaintsPolicy(Strict):
    """The `complaints:` section."""

    enabled: bool = True
    cite: str = "004 §4.2"
    lead_role: Annotated[str, AfterValidator(check_role)] = "operations"  # assigns, is escalated to
    revisit_role: Annotated[str, AfterValidator(check_role)] = (
        "quality"  # revisits besides the owner
    )
    channel: Annotated[str, AfterValidator(_purpose)] = "operations"  # cards and the report
    fallback_channel: Annotated[str, AfterValidator(_purpose)] = "approvals"
    nudge_before_hours: int = Field(default=1, ge=0, le=24 * 7)
    severities: list[Severity] = Field(default_factory=list)
    score: Score = Field(default_factory=Score)
    targets: Targets = Field(default_factory=Targets)
    report_cron: str = "0 9 1 * *"  # in the org's timezone; reports the month before

    @field_validator("report_cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        try:
            cron.trigger(value)
        except ValueError as exc:
            raise ValueError(f"not a cron expression: {exc}") from None
        return value

    @field_validator("severities")
    @classmethod
    def _severities(cls, value: list[Severity]) -> list[Severity]:
        ids = [s.id for s in value]
        if len(set(ids)) != len(ids):
            raise ValueError("complaints.severities: each id once")
        return value

    def severity(self, severity_id: str) -> Severity | None:
        return next((s for s in self.severities if s.id == severity_id), None)


DOMAIN = Domain(
    name="complaints",
    policy_file=Path(__file__).parent / "policy.yml",
    section=ComplaintsPolicy,
)
