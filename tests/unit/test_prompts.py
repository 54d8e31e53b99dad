"""When prompt occurrences fall: cron, timezones, non-working days, periods."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.modules import load_policy
from procedures import prompts
from procedures.calendar import calendar_for
from procedures.policy import Policy
from procedures.policy.prompts import PromptSpec

SHANGHAI = ZoneInfo("Asia/Shanghai")
CN = calendar_for("CN")


def spec(cron: str, **schedule: str) -> PromptSpec:
    return PromptSpec.model_validate(
        {
            "id": "p",
            "title": {"en": "T", "zh": "T"},
            "text": {"en": "x", "zh": "x"},
            "cite": "000",
            "schedule": {"cron": cron, **schedule},
            "audience": {"everyone": True},
        }
    )


def test_monthly_on_the_first_moves_off_national_day_and_new_year() -> None:
    found = prompts.occurrences_between(
        spec("0 9 1 * *"),
        SHANGHAI,
        datetime(2026, 9, 2, tzinfo=UTC),
        datetime(2027, 1, 31, tzinfo=UTC),
        CN,
    )
    assert [(o.period, o.send_on) for o in found] == [
        ("2026-10-01", date(2026, 10, 8)),  # National Day week; 8 Oct is the first working day
        ("2026-11-01", date(2026, 11, 2)),  # a Sunday
        ("2026-12-01", date(2026, 12, 1)),
        ("2027-01-01", date(2027, 1, 4)),
    ]
    assert found[0].fired_at == datetime(2026, 10, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def test_skip_drops_days_off_and_send_keeps_them() -> None:
    window = (datetime(2026, 2, 13, 2, tzinfo=UTC), datetime(2026, 2, 24, 2, tzinfo=UTC))
    daily = prompts.occurrences_between(
        spec("0 9 * * *", non_working_day="skip"), SHANGHAI, *window, CN
    )
    # Spring Festival 2026: 15–23 Feb off; Sat 14 Feb is a make-up working day.
    assert [o.period for o in daily] == ["2026-02-14", "2026-02-24"]
    every = prompts.occurrences_between(
        spec("0 9 * * *", non_working_day="send"), SHANGHAI, *window, CN
    )
    assert len(every) == 11


def test_per_user_prompts_go_out_at_each_recipients_own_time() -> None:
    per_user = spec("30 9 25 * *", timezone="per-user")
    occurrence = prompts.occurrences_between(
        per_user,
        SHANGHAI,
        datetime(2026, 12, 1, tzinfo=UTC),
        datetime(2026, 12, 31, tzinfo=UTC),
        CN,
    )[0]
    london = prompts.delivery_time(per_user, occurrence, SHANGHAI, ZoneInfo("Europe/London"))
    assert london == datetime(2026, 12, 25, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    shanghai = prompts.delivery_time(per_user, occurrence, SHANGHAI, SHANGHAI)
    assert (london - shanghai).total_seconds() == 8 * 3600


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (
            "2026-01-05",
            {"previous_month": "2025-12", "quarter": "2026-Q1", "previous_quarter": "2025-Q4"},
        ),
        ("2026-07-01", {"month": "2026-07", "quarter": "2026-Q3", "previous_quarter": "2026-Q2"}),
    ],
)
def test_period_placeholders(period: str, expected: dict[str, str]) -> None:
    values = prompts.period_values(period)
    assert {key: values[key] for key in expected} == expected


def test_the_builtin_prompts_cite_their_clause_and_can_be_switched_off(tmp_path: object) -> None:
    policy = load_policy()
    ids = {p.id for p in policy.prompts}
    assert {
        "attendance-report",
        "performance-self-review",
        "stock-count",
        "budget-execution",
        "budget-drafting",
        "process-review",
    } <= ids
    assert all(p.cite for p in policy.prompts)
    from pathlib import Path

    override = Path(str(tmp_path)) / "policy.yml"
    override.write_text("prompts:\n  - id: stock-count\n    enabled: false\n", encoding="utf-8")
    switched = load_policy(override)
    assert "stock-count" not in {p.id for p in switched.active_prompts()}
    assert len(switched.prompts) == len(policy.prompts)


def test_a_bad_prompt_is_reported_at_its_line(tmp_path: object) -> None:
    from pathlib import Path

    from procedures.yaml_source import SourceError

    override = Path(str(tmp_path)) / "policy.yml"
    override.write_text(
        "prompts:\n  - id: stock-count\n    schedule: {cron: 'every tuesday'}\n", encoding="utf-8"
    )
    with pytest.raises(SourceError) as caught:
        load_policy(override)
    assert f"{override}:3" in caught.value.render()
    assert "not a cron expression" in caught.value.render()


def test_audience_rules() -> None:
    source = prompts.AudienceSource(
        everyone=lambda: ["U2", "U1"],
        users_with_role=lambda role: ["U9"] if role == "hr" else [],
        heads=lambda: ["U1"],
        members=lambda dept: ["U2"] if dept == "ops" else [],
    )
    for audience, expected in [
        ({"everyone": True}, ["U1", "U2"]),
        ({"role": "hr"}, ["U9"]),
        ({"heads": True}, ["U1"]),
        ({"department": "ops"}, ["U2"]),
    ]:
        prompt = spec("0 9 * * *").model_copy(
            update={"audience": type(spec("0 9 * * *").audience).model_validate(audience)}
        )
        assert prompts.audience(prompt, source) == expected
    with pytest.raises(ValueError, match="exactly one"):
        Policy.model_validate(
            {
                "prompts": [
                    {
                        **spec("0 9 * * *").model_dump(),
                        "audience": {"everyone": True, "heads": True},
                    }
                ]
            }
        )


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("1", "mon"),
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("5-7", "sun,fri,sat"),
        ("sat,sun", "sun,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("*", "*"),
    ],
)
def test_crontab_weekdays_use_sunday_zero(field: str, expected: str) -> None:
    from procedures.cron import weekdays

    assert weekdays(field) == expected


def test_a_monday_cron_fires_on_mondays() -> None:
    found = prompts.occurrences_between(
        spec("0 9 * * 1"),
        SHANGHAI,
        datetime(2026, 11, 23, 2, tzinfo=UTC),
        datetime(2026, 12, 8, tzinfo=UTC),
        CN,
    )
    assert [o.period for o in found] == ["2026-11-30", "2026-12-07"]


def test_the_builtin_prompts_that_ask_for_information_collect_it() -> None:
    policy = load_policy()
    asking = {"performance-self-review", "budget-execution", "budget-drafting", "process-review"}
    for prompt_id in asking:
        spec = policy.prompt(prompt_id)
        assert spec is not None and spec.questions, prompt_id
        assert spec.owner is not None, f"{prompt_id}: its digest goes to nobody"
    review = policy.prompt("performance-self-review")
    assert review is not None and review.review is not None and review.review.by == "approver"
    budget = policy.prompt("budget-execution")
    assert budget is not None and budget.variance is not None
