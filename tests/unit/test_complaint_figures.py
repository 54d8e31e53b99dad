"""The month's service figures (004 §4.2) as defined in procedures/complaints/figures.py,
against numbers worked out by hand."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from procedures.complaints import ComplaintsPolicy, Targets
from procedures.complaints.cases import parse_number
from procedures.complaints.figures import Case, compute

T0 = datetime.fromisoformat("2026-11-02T10:00:00+08:00")


def case(
    *,
    responded: float | None = None,
    resolved: bool = False,
    scores: tuple[int, int] | None = None,
) -> Case:
    return Case(
        received_at=T0,
        respond_by=T0 + timedelta(hours=4),
        responded_at=T0 + timedelta(hours=responded) if responded is not None else None,
        resolved_at=T0 + timedelta(days=1) if resolved or scores else None,
        revisited_at=T0 + timedelta(days=2) if scores else None,
        handling_score=scores[0] if scores else None,
        satisfaction_score=scores[1] if scores else None,
    )


def test_figures_of_a_known_month() -> None:
    cases = [
        case(responded=1, scores=(5, 5)),
        case(responded=3.5, scores=(4, 3)),
        case(responded=5, scores=(2, 4)),  # responded late
        case(responded=2, resolved=True),
        case(responded=1),
        case(),
    ]
    found = compute(cases, Targets(), satisfied_at=4)
    assert (found.received, found.responded_in_time) == (6, 4)  # 1, 3.5, 2 and 1 hours of 4
    rate = found.figure("handling_rate")  # 4 resolved of 6
    assert (rate.numerator, rate.denominator, rate.percent, rate.met) == (
        4, 6, Decimal("66.7"), False
    )  # fmt: skip
    revisit = found.figure("revisit_rate")  # 3 revisited of 4 resolved
    assert (revisit.numerator, revisit.denominator, revisit.percent) == (3, 4, Decimal("75.0"))
    handling = found.figure("handling_satisfaction")  # 5 and 4 of three revisits
    assert (handling.numerator, handling.denominator, handling.met) == (2, 3, False)
    overall = found.figure("satisfaction")  # 5 and 4 of three revisits
    assert (overall.numerator, overall.denominator, overall.value) == (2, 3, Fraction(2, 3))


def test_everything_done_meets_every_target() -> None:
    found = compute([case(responded=1, scores=(5, 4))] * 3, Targets(), satisfied_at=4)
    assert all(f.met for f in found.figures)
    assert found.figure("handling_rate").percent == Decimal("100.0")


def test_met_is_decided_on_the_exact_fraction_not_the_rounded_percent() -> None:
    # 2,499 of 2,500 resolved is 99.96 %: shown as 100.0 %, still short of 100 %.
    cases = [case(resolved=True)] * 2499 + [case()]
    rate = compute(cases, Targets(), satisfied_at=4).figure("handling_rate")
    assert rate.percent == Decimal("100.0") and rate.met is False
    # 19 of 20 satisfied is exactly 95 %: meets "not below 95 %".
    revisits = [case(scores=(4, 4))] * 19 + [case(scores=(3, 4))]
    assert compute(revisits, Targets(), satisfied_at=4).figure("handling_satisfaction").met


def test_a_month_with_nothing_to_count_neither_meets_nor_misses() -> None:
    found = compute([], Targets(), satisfied_at=4)
    assert found.received == 0
    assert all(f.value is None and f.met is None and f.percent is None for f in found.figures)
    # Complaints, none resolved yet: the handling rate is 0 %, the rest have nothing to count.
    found = compute([case()], Targets(), satisfied_at=4)
    assert found.figure("handling_rate").met is False
    assert found.figure("revisit_rate").met is None


def test_the_policy_checks_its_scale_and_severities() -> None:
    with pytest.raises(ValueError, match="satisfied_at"):
        ComplaintsPolicy.model_validate({"score": {"min": 1, "max": 5, "satisfied_at": 6}})
    with pytest.raises(ValueError, match="each id once"):
        level = {"id": "high", "name": {"en": "High", "zh": "高"}, "response_hours": 4}
        ComplaintsPolicy.model_validate({"severities": [level, level]})
    with pytest.raises(ValueError, match="cron"):
        ComplaintsPolicy.model_validate({"report_cron": "every month"})


@pytest.mark.parametrize(
    ("text", "number"),
    [("CP-0001", 1), ("cp-12", 12), ("7", 7), ("CP-", None), ("CP-１", None), ("x", None),
     ("CP-" + "9" * 26, None)],
)  # fmt: skip
def test_complaint_numbers(text: str, number: int | None) -> None:
    assert parse_number(text) == number
