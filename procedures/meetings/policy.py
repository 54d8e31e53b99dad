"""The `meetings:` section of the policy: reminders before a meeting and after it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from procedures.policy.common import Strict


class Reminder(Strict):
    """Before a meeting: some working days (at the same time of day), or some minutes."""

    working_days: int | None = Field(default=None, ge=1, le=10)
    minutes: int | None = Field(default=None, ge=1, le=24 * 60)

    @model_validator(mode="after")
    def _one(self) -> Reminder:
        if (self.working_days is None) == (self.minutes is None):
            raise ValueError("give exactly one of working_days or minutes")
        return self


class MeetingsPolicy(Strict):
    default_minutes: int = Field(default=60, ge=5, le=12 * 60)
    remind_before: list[Reminder] = Field(
        default_factory=lambda: [Reminder(working_days=1), Reminder(minutes=15)]
    )
    minutes_due_working_days: int = Field(default=1, ge=1, le=10)
    # A series' occurrence on a non-working day: skipped, or moved to the next working day.
    non_working_day: Literal["skip", "next"] = "skip"
    action_remind_before_days: int = Field(default=1, ge=0, le=10)  # working days; 0: none
