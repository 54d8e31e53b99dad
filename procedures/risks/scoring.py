"""Scoring a risk: likelihood × impact → its level from the policy's matrix, what the level
requires, and when it is next reviewed. Pure functions: no database, no Slack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from procedures.risks.policy import SCALE, IndicatorSpec, Level, RisksPolicy


@dataclass(frozen=True)
class Score:
    likelihood: int
    impact: int
    level: Level

    @property
    def value(self) -> int:
        return self.likelihood * self.impact


def score(policy: RisksPolicy, likelihood: int, impact: int) -> Score:
    if not (1 <= likelihood <= SCALE and 1 <= impact <= SCALE):
        raise ValueError(f"likelihood and impact run 1..{SCALE}")
    return Score(likelihood, impact, policy.level(policy.matrix[likelihood - 1][impact - 1]))


def needs_plan(level: Level) -> bool:
    return level.plan_required


def needs_director(level: Level, strategy: str) -> bool:
    """Accepting a risk of this level is the director's decision."""
    return strategy == "accept" and level.acceptance_by_director


def next_review(level: Level, since: datetime) -> datetime:
    return since + timedelta(days=level.review_every_days)


def lowered_below_plan(before: Level, after: Level) -> bool:
    """A review moved the risk from a level that needs a plan to one that does not."""
    return before.plan_required and not after.plan_required


def ranked(policy: RisksPolicy) -> list[Level]:
    return sorted(policy.levels, key=lambda lv: lv.rank)


# -- indicators ----------------------------------------------------------------------------

Band = Literal["normal", "approaching", "warning", "critical"]


def band(spec: IndicatorSpec | Thresholds, value: Decimal) -> Band:
    """Where a reported value stands: reaching a threshold counts (≥ for higher-is-worse)."""
    sign = 1 if spec.direction == "higher" else -1
    if sign * (value - spec.critical) >= 0:
        return "critical"
    if sign * (value - spec.warning) >= 0:
        return "warning"
    if spec.approaching and sign * (value - spec.warning) >= -spec.approaching:
        return "approaching"
    return "normal"


@dataclass(frozen=True)
class Thresholds:
    """An indicator's thresholds as stored (declared in the policy or added by command)."""

    direction: Literal["higher", "lower"]
    warning: Decimal
    critical: Decimal
    approaching: Decimal = Decimal(0)
