"""The risk matrix, levels, plans and indicator bands: pure logic from the policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from bot.modules import load_policy
from procedures.errors import InvalidInput
from procedures.risks import register, scoring
from procedures.risks.indicators import parse_value
from procedures.risks.policy import IndicatorSpec, RisksPolicy
from procedures.spreadsheet import safe_cell, to_csv

SECTION = load_policy().section(RisksPolicy)


@pytest.mark.parametrize(
    ("likelihood", "impact", "level"),
    [(1, 1, "low"), (2, 3, "medium"), (3, 4, "high"), (4, 5, "critical"), (5, 1, "medium")],
)
def test_the_matrix_gives_the_level(likelihood: int, impact: int, level: str) -> None:
    result = scoring.score(SECTION, likelihood, impact)
    assert (result.level.id, result.value) == (level, likelihood * impact)


def test_scores_outside_the_scale_are_refused() -> None:
    with pytest.raises(ValueError):
        scoring.score(SECTION, 0, 3)
    with pytest.raises(ValueError):
        scoring.score(SECTION, 3, 6)


def test_each_level_has_its_colour_and_review_interval() -> None:
    by_id = {level.id: level for level in SECTION.levels}
    assert [by_id[i].review_every_days for i in ("critical", "high", "medium", "low")] == [
        30,
        90,
        180,
        365,
    ]
    assert all(level.colour.startswith("#") for level in SECTION.levels)
    since = datetime(2026, 1, 1, tzinfo=UTC)
    assert scoring.next_review(by_id["high"], since) == since + timedelta(days=90)
    assert scoring.lowered_below_plan(by_id["high"], by_id["medium"])
    assert not scoring.lowered_below_plan(by_id["critical"], by_id["high"])


def _payload(**values: object) -> dict[str, object]:
    return {"likelihood": "4", "impact": "4", "strategy": "reduce", **values}


def test_a_high_risk_needs_measures_owner_and_deadline() -> None:
    problems = register.check(SECTION, _payload())
    assert {p.field for p in problems} == {"measures", "plan_owner", "deadline"}
    full = _payload(measures="a\nb", plan_owner="U1", deadline="2026-12-01")
    assert register.check(SECTION, full) == []
    # Accepting it instead goes to the director and needs no plan.
    assert register.check(SECTION, _payload(strategy="accept")) == []
    assert scoring.needs_director(SECTION.level("high"), "accept")


def test_measures_need_an_owner_even_on_a_low_risk() -> None:
    problems = register.check(SECTION, _payload(likelihood="1", impact="1", measures="x"))
    assert [p.field for p in problems] == ["plan_owner"]
    too_many = "\n".join(f"m{n}" for n in range(11))
    assert any(
        p.key == "risks.error.too_many"
        for p in register.check(
            SECTION,
            _payload(
                likelihood="1",
                impact="1",
                measures=too_many,
                plan_owner="U1",
                deadline="2026-12-01",
            ),
        )
    )


def test_measure_lines_drop_bullets_and_blanks() -> None:
    assert register.measure_lines("- one\n\n• two\n  * three  \n") == ["one", "two", "three"]


@pytest.mark.parametrize(
    ("text", "number"), [("RK-0007", 7), ("rk7", 7), ("7", 7), ("RK-", None), ("x", None)]
)
def test_risk_numbers_are_read_leniently(text: str, number: int | None) -> None:
    assert register.parse_number(text) == number


def test_indicator_bands_count_reaching_a_threshold() -> None:
    spec = SECTION.indicator("complaint-rate")
    assert spec is not None
    bands = [scoring.band(spec, Decimal(v)) for v in ("2", "2.5", "3", "4.9", "5", "9")]
    assert bands == ["normal", "approaching", "warning", "warning", "critical", "critical"]
    lower = scoring.Thresholds("lower", Decimal(30), Decimal(10), Decimal(5))
    assert [scoring.band(lower, Decimal(v)) for v in ("40", "34", "30", "10")] == [
        "normal",
        "approaching",
        "warning",
        "critical",
    ]


def test_thresholds_must_run_the_right_way() -> None:
    with pytest.raises(ValidationError):
        IndicatorSpec(id="x", name={"en": "x", "zh": "x"}, warning=5, critical=3)


@pytest.mark.parametrize("text", ["lots", "NaN", "inf", "1e20", "", "--1", "\u0000"])
def test_values_that_are_not_plain_numbers_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_value(text)


def test_values_may_carry_a_percent_sign_and_commas() -> None:
    assert parse_value("4.25%") == Decimal("4.25")
    assert parse_value("1,200") == Decimal("1200")


def test_csv_keeps_formulas_as_text_and_opens_in_excel() -> None:
    assert safe_cell("=SUM(A1)") == "'=SUM(A1)" and safe_cell("fine") == "fine"
    content = to_csv(["a"], [["@x"], ["中文"]])
    assert content.startswith("\ufeff".encode()) and "中文".encode() in content


def test_the_policy_refuses_a_matrix_of_unknown_levels() -> None:
    data = SECTION.model_dump(exclude_unset=True)
    data["matrix"][0][0] = "nope"
    with pytest.raises(ValidationError, match="do not exist"):
        RisksPolicy.model_validate(data)
