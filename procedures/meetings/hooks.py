"""What meetings add to the task engine.

Minutes are a case of the `minutes` procedure, filed by the meeting's note-taker and decided
by its chair (approve, or return with comments to the note-taker, who resubmits the same case).
The checks tie a case to its meeting; approval sends the minutes (a job the Slack side
delivers), locks that version, and files each action item as a `meeting_action` case whose
owner is chased until it is done (reminders and the overdue escalation of the engine)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from procedures.calendar import calendar_for
from procedures.errors import InvalidInput
from procedures.hooks import HookContext, Hooks
from procedures.meetings import actions, series
from procedures.meetings.minutes import parse_actions
from procedures.meetings.scheduling import number_text, parse_number, record
from store import jobs, meetings_repo, requests_repo
from store.directory import Directory
from store.models.meetings import Meeting

MINUTES, ACTION = "minutes", "meeting_action"
SENT = "meetings.minutes_sent"  # job: DM the approved minutes to every attendee
ATTENDEE = "meetings.attendee"  # job: redraw one attendee's notice in place


def meeting_of(ctx: HookContext, payload: Mapping[str, Any]) -> Meeting | None:
    number = parse_number(str(payload.get("meeting") or ""))
    return meetings_repo.by_number(ctx.session, number) if number is not None else None


def _find_user(ctx: HookContext) -> Any:
    return lambda name: meetings_repo.user_by_name(ctx.session, [name])


CONTENT = ("present", "discussion", "resolutions", "actions")


def latest_approved(
    session: Session, number: int, *, other_than: int | None = None
) -> dict[str, Any] | None:
    """The content of the meeting's last approved minutes, if any."""
    earlier = [
        r
        for r in requests_repo.of_procedure(session, MINUTES)
        if r.id != other_than
        and r.state == "approved"
        and parse_number(str((r.payload or {}).get("meeting") or "")) == number
    ]
    return dict(earlier[-1].payload or {}) if earlier else None


def _changed_since(
    ctx: HookContext, number: int, request_id: int, payload: Mapping[str, Any]
) -> list[str]:
    """What a corrected version changes against the last approved one (empty for the first)."""
    before = latest_approved(ctx.session, number, other_than=request_id)
    if before is None:
        return []
    return [key for key in CONTENT if (before.get(key) or "") != (payload.get(key) or "")]


class MinutesHooks(Hooks):
    computed = ("version", "changed")

    def compute(self, ctx: HookContext, payload: Mapping[str, Any]) -> dict[str, Any]:
        meeting = meeting_of(ctx, payload)
        return {"version": (meeting.minutes_version + 1) if meeting else 1}

    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        meeting = meeting_of(ctx, payload)
        if meeting is None:
            return [InvalidInput("meetings.error.minutes_meeting", field="meeting")]
        if ctx.requester != meeting.note_taker:
            return [InvalidInput("meetings.error.not_note_taker", field="meeting")]
        if meeting.state != "notified":
            return [InvalidInput("meetings.error.cancelled", field="meeting")]
        if meeting.starts_at > ctx.now:
            return [InvalidInput("meetings.error.minutes_early", field="meeting")]
        if payload.get("chair") != meeting.chair:
            return [InvalidInput("meetings.error.minutes_chair", field="chair")]
        for other in requests_repo.open_of(ctx.session, MINUTES):
            same = parse_number(str((other.payload or {}).get("meeting") or ""))
            if same == meeting.number and other.id != ctx.request_id:
                return [InvalidInput("meetings.error.minutes_open", field="meeting")]
        try:
            parse_actions(
                payload.get("actions"),
                now=ctx.now,
                tz=ctx.tz,
                find_user=_find_user(ctx),
                # A correction keeps items filed before, whose due dates may have passed.
                check_past=latest_approved(ctx.session, meeting.number) is None,
            )
        except InvalidInput as err:
            return [err]
        return []

    def on_approved(self, ctx: HookContext, request_id: int, payload: Mapping[str, Any]) -> None:
        meeting = meeting_of(ctx, payload)
        if meeting is None:
            return
        meeting.minutes_version += 1
        meeting.updated_at = ctx.now
        changed = _changed_since(ctx, meeting.number, request_id, payload)
        request = requests_repo.get(ctx.session, request_id)
        if request is not None:
            request.computed = {
                **(request.computed or {}),
                "version": meeting.minutes_version,
                "changed": changed,
            }
        record(
            ctx.session,
            meeting,
            "meeting.minutes_approved",
            meeting.chair,
            ctx.now,
            request_id=request_id,
            version=meeting.minutes_version,
            changed=changed,
        )
        job = jobs.schedule(
            ctx.session,
            kind=SENT,
            due_at=ctx.now,
            now=ctx.now,
            payload={"meeting_id": meeting.id, "request_id": request_id},
            dedupe_key=f"meeting:{meeting.id}:minutes:{request_id}",
        )
        if job is not None:
            ctx.jobs.append(job)
        self._file_actions(ctx, meeting, request_id, payload)

    def _file_actions(
        self, ctx: HookContext, meeting: Meeting, request_id: int, payload: Mapping[str, Any]
    ) -> None:
        # Imported here: the engine imports the hooks package, not the other way round.
        from procedures import requests
        from procedures.engine import Ctx

        spec = ctx.policy.procedure(ACTION)
        if spec is None or not spec.enabled:
            return
        org = Directory(ctx.session).org()
        engine_ctx = Ctx(
            session=ctx.session,
            now=ctx.now,
            policy=ctx.policy,
            calendar=calendar_for(org.calendar if org else "CN"),
            tz=ctx.tz,
            jobs=ctx.jobs,
        )
        items = parse_actions(
            payload.get("actions"),
            now=ctx.now,
            tz=ctx.tz,
            find_user=_find_user(ctx),
            check_past=False,  # checked when filed; a slow review must not lose an item
        )
        # A corrected version files only the items the approved versions did not have.
        filed = {
            (str(r.payload.get("task")), str(r.payload.get("owner")))
            for r in requests_repo.of_procedure(ctx.session, ACTION)
            if parse_number(str(r.payload.get("meeting") or "")) == meeting.number
        }
        for item in items:
            if (item.task, item.owner) in filed:
                continue
            case = requests.submit(
                engine_ctx,
                spec,
                meeting.chair,
                {**item.to_json(), "meeting": number_text(meeting.number), "source": request_id},
            )
            actions.remind_before(engine_ctx, case.id, item.due)
        # A series: the next occurrence, already notified, carries the new items as well.
        following = series.refresh_next(ctx.session, meeting)
        if following is not None:
            for row in meetings_repo.attendees(ctx.session, following.id):
                ctx.jobs.append(
                    jobs.arm(
                        ctx.session,
                        kind=ATTENDEE,
                        key=f"meeting:{following.id}:attendee:{row.user_id}",
                        due_at=ctx.now,
                        now=ctx.now,
                        payload={"meeting_id": following.id, "user": row.user_id},
                    )
                )


class ActionHooks(Hooks):
    """Action items are filed by approved minutes only, never by hand: the minutes' case id
    travels in `source`, which no form field can set (a form keeps only its declared fields)."""

    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        source = payload.get("source")
        minutes = requests_repo.get(ctx.session, source) if isinstance(source, int) else None
        if minutes is None or minutes.procedure != MINUTES:
            return [InvalidInput("meetings.error.action_by_hand", field="task")]
        number = parse_number(str(payload.get("meeting") or ""))
        if number is None or meetings_repo.by_number(ctx.session, number) is None:
            return [InvalidInput("meetings.error.minutes_meeting", field="meeting")]
        return []
