"""Turning prompt occurrences into jobs, and recording answers.

Each occurrence becomes one delivery job per recipient (plus a nudge and a digest), each with a
dedupe key of prompt id + period (+ user), so a restart, a second clock or a clock that was down
for a day never sends one occurrence twice; an occurrence missed while the clock was down is
materialised on the next tick with a due time in the past, and goes out once, marked late.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from procedures import prompts
from procedures.calendar import WorkCalendar
from procedures.policy import Policy
from store import audit, jobs, prompt_repo
from store.directory import Directory

DELIVER, NUDGE, DIGEST = "prompt.deliver", "prompt.nudge", "prompt.digest"
# Materialise this far ahead, so a per-user prompt reaches people east of the org at their 9:00.
LOOKAHEAD = timedelta(days=1)


def job_key(prompt_id: str, period: str, *rest: str) -> str:
    return ":".join(("prompt", prompt_id, period, *rest))


def materialise(
    session: Session,
    policy: Policy,
    *,
    now: datetime,
    org_tz: ZoneInfo,
    calendar: WorkCalendar,
    tz_of: Callable[[str], ZoneInfo],
) -> int:
    """Schedule the jobs of every occurrence not yet materialised; returns how many."""
    directory = Directory(session)
    source = prompts.AudienceSource(
        everyone=directory.everyone,
        users_with_role=directory.users_with_role,
        heads=directory.heads,
        members=directory.members,
    )
    count = 0
    for spec in policy.active_prompts():
        since = prompt_repo.cursor(session, spec.id)
        if since is None:
            # A prompt first seen now starts from now: no backfill of the past.
            prompt_repo.advance_cursor(session, spec.id, now)
            continue
        for occurrence in prompts.occurrences_between(
            spec, org_tz, since, now + LOOKAHEAD, calendar
        ):
            recipients = prompts.audience(spec, source)
            deadline = prompts.deadline_time(spec, occurrence, calendar, org_tz)
            for user in recipients:
                due = prompts.delivery_time(spec, occurrence, org_tz, tz_of(user))
                payload = {"prompt": spec.id, "period": occurrence.period, "user": user}
                jobs.schedule(
                    session,
                    kind=DELIVER,
                    due_at=due,
                    now=now,
                    payload=payload,
                    dedupe_key=job_key(spec.id, occurrence.period, user),
                )
                nudge = prompts.nudge_time(spec, due, calendar, tz_of(user))
                if nudge is not None and (deadline is None or nudge < deadline):
                    jobs.schedule(
                        session,
                        kind=NUDGE,
                        due_at=nudge,
                        now=now,
                        payload=payload,
                        dedupe_key=job_key(spec.id, occurrence.period, user, "nudge"),
                    )
            if deadline is not None and spec.follow_up and spec.follow_up.digest_to:
                jobs.schedule(
                    session,
                    kind=DIGEST,
                    due_at=deadline,
                    now=now,
                    payload={
                        "prompt": spec.id,
                        "period": occurrence.period,
                        "recipients": recipients,
                        "to_role": spec.follow_up.digest_to,
                    },
                    dedupe_key=job_key(spec.id, occurrence.period, "digest"),
                )
            audit.record(
                session,
                at=now,
                actor=audit.SYSTEM,
                action="prompt.occurrence",
                subject_type="prompt",
                subject_id=f"{spec.id}:{occurrence.period}",
                detail={"recipients": len(recipients), "send_on": occurrence.send_on.isoformat()},
            )
            prompt_repo.advance_cursor(session, spec.id, occurrence.fired_at)
            count += 1
    return count


def mark_done(session: Session, prompt_id: str, period: str, user: str, now: datetime) -> bool:
    """The recipient says it is done: record it and cancel their nudge and reminders."""
    recorded = prompt_repo.record(session, prompt_id, period, user, prompt_repo.DONE, now)
    if recorded:
        _cancel_followups(session, prompt_id, period, user)
        audit.record(
            session,
            at=now,
            actor=user,
            action="prompt.done",
            subject_type="prompt",
            subject_id=f"{prompt_id}:{period}",
            to_state=prompt_repo.DONE,
        )
    return recorded


def excuse(
    session: Session, prompt_id: str, period: str, user: str, now: datetime, why: str
) -> None:
    """Skip a recipient for this period (on leave): not nudged, not listed as outstanding."""
    if prompt_repo.record(session, prompt_id, period, user, prompt_repo.EXCUSED, now):
        _cancel_followups(session, prompt_id, period, user)
        audit.record(
            session,
            at=now,
            actor=audit.SYSTEM,
            action="prompt.excused",
            subject_type="prompt",
            subject_id=f"{prompt_id}:{period}",
            reason=why,
            detail={"user": user},
        )


def _cancel_followups(session: Session, prompt_id: str, period: str, user: str) -> None:
    key = job_key(prompt_id, period, user)
    jobs.cancel(session, key=key)
    jobs.cancel(session, prefix=key + ":")


def snooze(
    session: Session,
    prompt_id: str,
    period: str,
    user: str,
    *,
    now: datetime,
    until: datetime,
) -> int | None:
    """ "Remind me tomorrow": one more delivery at `until` (once per day)."""
    return jobs.schedule(
        session,
        kind=DELIVER,
        due_at=until,
        now=now,
        payload={"prompt": prompt_id, "period": period, "user": user, "reminder": True},
        dedupe_key=job_key(prompt_id, period, user, "snooze", until.date().isoformat()),
    )
