"""Weekly series on the clock: each tick, a series whose last occurrence has ended gets
its next one (procedures/meetings/series.py decides the day) and its notice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from handlers import meeting_jobs
from handlers.deps import Deps
from handlers.interaction import run
from procedures.engine import Ctx
from procedures.meetings import series
from procedures.meetings.policy import MeetingsPolicy
from store.models.meetings import MeetingSeries


def series_tick(deps: Deps) -> Callable[[datetime], None]:
    """On each clock tick: a series whose last occurrence has ended gets its next one."""
    mode = deps.policy.section(MeetingsPolicy).non_working_day

    def tick(now: datetime) -> None:
        with deps.sessions.read() as session:
            due = [s.id for s in series.due_series(session, now)]
        for series_id in due:
            run(deps, partial(_next, deps, series_id=series_id, mode=mode))

    return tick


def _next(deps: Deps, ctx: Ctx, *, series_id: int, mode: str) -> None:
    row = ctx.session.get(MeetingSeries, series_id)
    if row is None or not row.active:
        return
    meeting = series.next_occurrence(
        ctx.session,
        row,
        now=ctx.now,
        tz=ctx.tz,
        calendar=ctx.calendar,
        mode=mode,
        is_away=ctx.is_away,
    )
    if meeting is None:
        row.active = False  # no working day for it in weeks: stop rather than spin
        return
    ctx.jobs.extend(meeting_jobs.schedule_notice(deps, ctx, meeting))
