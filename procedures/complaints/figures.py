"""The month's service figures, as 004 §4.2 names them. The regulation gives targets, not
formulas, so each is defined here (and in the README) over the complaints *received* in the
month (org timezone), as they stand when the figures are computed:

- problem-handling rate (问题处理率, target 100 %): resolved ÷ received;
- complaint-handling satisfaction (投诉处理满意度, ≥ 95 %): revisits whose score for how the
  complaint was handled is satisfied ÷ revisits;
- revisit rate (客户回访率, 100 %): revisited ÷ resolved (only a resolved complaint can be
  revisited);
- customer satisfaction (客户满意度, ≥ 90 %): revisits whose overall score for our service is
  satisfied ÷ revisits.

The two satisfactions are two questions of the same revisit: the regulation sets them apart
(95 % and 90 %), so one score cannot be both. A figure with nothing to divide by has no value
and neither meets nor misses its target. Met is decided on exact fractions, never on a
rounded percentage (99.96 % shown as 100.0 % still misses 100 %)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from procedures.complaints import Targets

FIGURES = ("handling_rate", "handling_satisfaction", "revisit_rate", "satisfaction")


@dataclass(frozen=True)
class Case:
    """What the figures need of one complaint."""

    received_at: datetime
    respond_by: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    revisited_at: datetime | None
    handling_score: int | None
    satisfaction_score: int | None


@dataclass(frozen=True)
class Figure:
    key: str
    numerator: int
    denominator: int
    target: Decimal  # percent

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    @property
    def percent(self) -> Decimal | None:
        """For display: one decimal, half up."""
        if self.value is None:
            return None
        exact = Decimal(self.numerator * 100) / Decimal(self.denominator)
        return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return self.value * 100 >= Fraction(self.target)


@dataclass(frozen=True)
class MonthFigures:
    received: int
    responded_in_time: int  # 响应及时: responded by the deadline (no number in the regulation)
    figures: tuple[Figure, ...]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def compute(cases: Sequence[Case], targets: Targets, satisfied_at: int) -> MonthFigures:
    """The figures of the month whose received complaints are `cases`."""
    resolved = [c for c in cases if c.resolved_at is not None]
    revisited = [c for c in resolved if c.revisited_at is not None]
    handled_ok = [c for c in revisited if (c.handling_score or 0) >= satisfied_at]
    overall_ok = [c for c in revisited if (c.satisfaction_score or 0) >= satisfied_at]
    in_time = [c for c in cases if c.responded_at is not None and c.responded_at <= c.respond_by]
    return MonthFigures(
        received=len(cases),
        responded_in_time=len(in_time),
        figures=(
            Figure("handling_rate", len(resolved), len(cases), targets.handling_rate),
            Figure(
                "handling_satisfaction",
                len(handled_ok),
                len(revisited),
                targets.handling_satisfaction,
            ),
            Figure("revisit_rate", len(revisited), len(resolved), targets.revisit_rate),
            Figure("satisfaction", len(overall_ok), len(revisited), targets.satisfaction),
        ),
    )
