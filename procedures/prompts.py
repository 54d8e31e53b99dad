"""Periodic review prompts: when each occurrence falls, who gets it, when to nudge, and
who is still outstanding. Pure: no Slack, no SQL."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from procedures import cron
from procedures.calendar import WorkCalendar
from procedures.policy.prompts import PromptSpec

END_OF_DAY = time(18, 0)


@dataclass(frozen=True)
class Occurrence:
    prompt_id: str
    period: str  # the cron's local date: one occurrence per prompt and period
    fired_at: datetime  # when the cron fired (UTC)
    send_on: date  # the day it goes out, moved off non-working days per the policy


def send_day(spec: PromptSpec, local_day: date, calendar: WorkCalendar) -> date:
    """The day an occurrence dated `local_day` goes out, per the non-working-day rule."""
    if spec.schedule.non_working_day == "next" and not calendar.is_working_day(local_day):
        return calendar.next_working_day(local_day)
    return local_day


def occurrence_for_period(
    spec: PromptSpec, period: str, fired_at: datetime, calendar: WorkCalendar
) -> Occurrence:
    return Occurrence(
        spec.id, period, fired_at, send_day(spec, date.fromisoformat(period), calendar)
    )


def schedule_zone(spec: PromptSpec, org_tz: ZoneInfo) -> ZoneInfo:
    tz = spec.schedule.timezone
    return org_tz if tz in ("org", "per-user") else ZoneInfo(tz)


def occurrences_between(
    spec: PromptSpec, org_tz: ZoneInfo, after: datetime, until: datetime, calendar: WorkCalendar
) -> list[Occurrence]:
    """Occurrences whose cron time is in (`after`, `until`], oldest first."""
    zone = schedule_zone(spec, org_tz)
    trigger = cron.trigger(spec.schedule.cron, timezone=zone)
    found: list[Occurrence] = []
    previous: datetime | None = None
    probe = after + timedelta(microseconds=1)
    while len(found) < 1000:  # a sanity bound: a cron firing every minute over a long outage
        fire = trigger.get_next_fire_time(previous, probe)
        if fire is None or fire > until:
            break
        local_day = fire.astimezone(zone).date()
        if spec.schedule.non_working_day != "skip" or calendar.is_working_day(local_day):
            found.append(
                Occurrence(
                    prompt_id=spec.id,
                    period=local_day.isoformat(),
                    fired_at=fire.astimezone(ZoneInfo("UTC")),
                    send_on=send_day(spec, local_day, calendar),
                )
            )
        previous = fire
        probe = fire + timedelta(microseconds=1)
    return found


def delivery_time(
    spec: PromptSpec, occurrence: Occurrence, org_tz: ZoneInfo, user_tz: ZoneInfo
) -> datetime:
    """When one recipient gets it: the cron's time of day on `send_on`, in their own zone for
    per-user prompts, else in the schedule's zone."""
    zone = user_tz if spec.schedule.timezone == "per-user" else schedule_zone(spec, org_tz)
    return datetime.combine(occurrence.send_on, spec.schedule.time_of_day(), zone)


def deadline_day(spec: PromptSpec, occurrence: Occurrence, calendar: WorkCalendar) -> date | None:
    if spec.deadline_working_days is None:
        return None
    return calendar.add_working_days(occurrence.send_on, spec.deadline_working_days)


def deadline_time(
    spec: PromptSpec, occurrence: Occurrence, calendar: WorkCalendar, org_tz: ZoneInfo
) -> datetime | None:
    day = deadline_day(spec, occurrence, calendar)
    return datetime.combine(day, END_OF_DAY, org_tz) if day else None


def nudge_time(
    spec: PromptSpec, delivered_at: datetime, calendar: WorkCalendar, tz: ZoneInfo
) -> datetime | None:
    days = spec.follow_up.nudge_after_working_days if spec.follow_up else None
    if not days:
        return None
    local = delivered_at.astimezone(tz)
    return datetime.combine(calendar.add_working_days(local.date(), days), local.timetz())


def next_working_morning(now: datetime, calendar: WorkCalendar, tz: ZoneInfo) -> datetime:
    """ "Remind me tomorrow": 9:00 on the next working day, in the user's zone."""
    day = calendar.next_working_day(now.astimezone(tz).date())
    return datetime.combine(day, time(9, 0), tz)


def period_values(period: str) -> dict[str, str]:
    """Placeholders prompt texts may use, for the period's local date."""
    day = date.fromisoformat(period)
    previous_month = (day.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    quarter = (day.month - 1) // 3 + 1
    prev_q_year, prev_q = (day.year, quarter - 1) if quarter > 1 else (day.year - 1, 4)
    return {
        "date": day.isoformat(),
        "month": day.strftime("%Y-%m"),
        "previous_month": previous_month,
        "quarter": f"{day.year}-Q{quarter}",
        "previous_quarter": f"{prev_q_year}-Q{prev_q}",
        "year": str(day.year),
    }


@dataclass(frozen=True)
class AudienceSource:
    """What the audience rules need from the org directory."""

    everyone: Callable[[], list[str]]
    users_with_role: Callable[[str], list[str]]
    heads: Callable[[], list[str]]
    members: Callable[[str], list[str]]


def audience(spec: PromptSpec, org: AudienceSource) -> list[str]:
    rule = spec.audience
    if rule.everyone:
        users = org.everyone()
    elif rule.role is not None:
        users = org.users_with_role(rule.role)
    elif rule.heads:
        users = org.heads()
    else:
        assert rule.department is not None
        users = org.members(rule.department)
    return sorted(set(users))


def outstanding(recipients: Iterable[str], answered: Iterable[str]) -> list[str]:
    """Recipients who have neither answered nor been excused (on leave)."""
    done = set(answered)
    return [user for user in recipients if user not in done]
