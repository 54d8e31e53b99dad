"""Meetings in Block Kit: the scheduling form, the quick path's summary, the notice with its
RSVP buttons, the organiser's tally, reminders, the minutes as sent, and lists."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from procedures.errors import DomainError
from procedures.form_display import escape
from procedures.meetings.scheduling import Draft, number_text
from slackui import blocks as b
from slackui.i18n import Lang, Translator
from slackui.timefmt import slack_time
from store.directory import DepartmentInfo, RoomInfo
from store.models.meetings import Meeting, MeetingAttendee

META_LIMIT = 2900  # private_metadata holds at most 3000 characters
WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


def weekday_name(t: Translator, day: int) -> str:
    return WEEKDAYS["zh" if t.lang == "zh" else "en"][day % 7]


class MeetingAction(StrEnum):
    SEND = "meetings.send"
    EDIT = "meetings.edit"
    ATTEND = "meetings.attend"
    TENTATIVE = "meetings.tentative"
    DECLINE = "meetings.decline"
    RECORD = "meetings.record"
    EXTEND = "meetings.extend"


class MeetingCallback(StrEnum):
    FORM = "meetings.form"
    CONFIRM = "meetings.confirm"
    DECLINE = "meetings.decline"
    EXTEND = "meetings.extend"


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": b.clip(text, 150), "emoji": True}


def problem_text(t: Translator, error: DomainError, tz: ZoneInfo) -> str:
    """A refusal in words; instants in it are shown in the reader's zone, as plain text
    (field errors cannot render Slack's date tokens)."""
    params = dict(error.params)
    for key, shape in (("start", "%Y-%m-%d %H:%M"), ("end", "%H:%M")):
        if isinstance(params.get(key), int):
            params[key] = datetime.fromtimestamp(params[key], tz).strftime(shape)
    return t(error.key, **params)


def room_name(rooms: Sequence[RoomInfo], room_id: str | None, lang: Lang) -> str | None:
    room = next((r for r in rooms if r.id == room_id), None)
    return room.name(lang) if room else None


def place_text(
    t: Translator, rooms: Sequence[RoomInfo], room: str | None, place: str | None
) -> str:
    parts = [escape(p) for p in (room_name(rooms, room, t.lang), place) if p]
    return " · ".join(parts) or t("meetings.place.none")


def people_text(users: Sequence[str]) -> str:
    return ", ".join(f"<@{u}>" for u in users)


def _agenda(lines: Sequence[str]) -> str:
    return "\n".join(f"{n}. {escape(line)}" for n, line in enumerate(lines, start=1))


def _facts(
    t: Translator,
    tz: ZoneInfo,
    rooms: Sequence[RoomInfo],
    *,
    start: datetime,
    end: datetime,
    room: str | None,
    place: str | None,
    chair: str,
    note_taker: str,
    agenda: Sequence[str],
    materials: str | None,
) -> list[Any]:
    out: list[Any] = [
        b.fields(
            [
                t(
                    "meetings.notice.time",
                    start=slack_time(start, tz, t.lang),
                    end=slack_time(end, tz, t.lang),
                ),
                t("meetings.notice.place", place=place_text(t, rooms, room, place)),
                t("meetings.notice.chair", chair=f"<@{chair}>"),
                t("meetings.notice.note_taker", note_taker=f"<@{note_taker}>"),
            ]
        )
    ]
    if agenda:
        out.append(b.section(b.clip(t("meetings.notice.agenda", agenda=_agenda(agenda)), 2900)))
    if materials:
        out.append(
            b.section(b.clip(t("meetings.notice.materials", materials=escape(materials)), 2900))
        )
    return out


def quick_summary(
    t: Translator,
    tz: ZoneInfo,
    rooms: Sequence[RoomInfo],
    departments: Sequence[DepartmentInfo],
    draft: Draft,
    *,
    away: Sequence[str],
    problems: Sequence[str],
    mode: str = "skip",
) -> list[dict[str, Any]]:
    blocks: list[Any] = [
        b.section(f"*{escape(t('meetings.quick.title'))}*"),
        b.section(f"*{escape(b.clip(draft.topic, 200))}*"),
        *_facts(
            t,
            tz,
            rooms,
            start=draft.start,
            end=draft.end,
            room=draft.room,
            place=draft.place,
            chair=draft.chair,
            note_taker=draft.note_taker,
            agenda=draft.agenda,
            materials=draft.materials,
        ),
    ]
    names = [d.name(t.lang) for d in departments if d.id in draft.departments]
    who = ", ".join([people_text(draft.attendees), *names]).strip(", ")
    blocks.append(b.section(f"*{t('meetings.form.attendees')}*\n{who or t('common.none')}"))
    notes = [t("meetings.quick.problem", text=p) for p in problems]
    if draft.repeat is not None:
        notes.append(
            t(
                "meetings.quick.repeats",
                weekday=weekday_name(t, draft.repeat),
                mode=t(f"meetings.mode.{mode}"),
            )
        )
    if away:
        notes.append(t("meetings.quick.away", people=people_text(away)))
    if draft.unknown:
        notes.append(
            t("meetings.quick.unknown", names=escape(", ".join(f"@{n}" for n in draft.unknown)))
        )
    blocks += [b.section(note) for note in notes]
    value = json.dumps(draft.to_json(), ensure_ascii=False)
    buttons = [b.button(t("meetings.quick.edit"), MeetingAction.EDIT, value)]
    if not problems:
        buttons.insert(
            0, b.button(t("meetings.quick.send"), MeetingAction.SEND, value, style="primary")
        )
    blocks.append(b.actions(*buttons))
    return b.to_dicts(blocks)


def fits_in_button(draft: Draft) -> bool:
    return len(json.dumps(draft.to_json(), ensure_ascii=False)) <= 1990


def notice_blocks(
    t: Translator,
    tz: ZoneInfo,
    rooms: Sequence[RoomInfo],
    meeting: Meeting,
    *,
    answer: MeetingAttendee | None = None,
    buttons: bool = True,
) -> list[dict[str, Any]]:
    number = number_text(meeting.number)
    blocks: list[Any] = [
        # User text: a bold mrkdwn section, escaped (a header would show it raw).
        b.section(f"*{escape(t('meetings.notice.title', topic=b.clip(meeting.topic, 100)))}*"),
        b.context(t("meetings.notice.number", number=number, organiser=f"<@{meeting.organiser}>")),
        *_facts(
            t,
            tz,
            rooms,
            start=meeting.starts_at,
            end=meeting.ends_at,
            room=meeting.room_id,
            place=meeting.place,
            chair=meeting.chair,
            note_taker=meeting.note_taker,
            agenda=meeting.agenda or [],
            materials=meeting.materials,
        ),
    ]
    if meeting.carried:
        lines = [
            t(
                "meetings.notice.carried_line",
                number=f"{int(item.get('number') or 0):04d}",
                task=escape(b.clip(str(item.get("task") or ""), 120)),
                owner=f"<@{item.get('owner')}>",
                due=str(item.get("due") or ""),
                meeting=escape(str(item.get("meeting") or "")),
            )
            for item in meeting.carried[:20]
        ]
        blocks.append(b.section(b.clip(t("meetings.notice.carried", items="\n".join(lines)), 2900)))
    if meeting.state == "cancelled":
        blocks.append(b.section(t("meetings.notice.cancelled")))
        return b.to_dicts(blocks)
    if answer is not None and answer.rsvp != "pending":
        blocks.append(
            b.context(t("meetings.notice.your_answer", answer=t(f"meetings.rsvp.{answer.rsvp}")))
        )
    if buttons:
        blocks.append(
            b.actions(
                b.button(
                    t("meetings.notice.attend"),
                    MeetingAction.ATTEND,
                    f"{meeting.id}:yes",
                    style="primary",
                ),
                b.button(t("meetings.notice.decline"), MeetingAction.DECLINE, str(meeting.id)),
                b.button(
                    t("meetings.notice.tentative"), MeetingAction.TENTATIVE, f"{meeting.id}:maybe"
                ),
            )
        )
    return b.to_dicts(blocks)


def tally_text(t: Translator, counts: Mapping[str, int]) -> str:
    return t("meetings.tally.line", **counts)


def tally_blocks(
    t: Translator,
    tz: ZoneInfo,
    rooms: Sequence[RoomInfo],
    meeting: Meeting,
    rows: Sequence[MeetingAttendee],
    counts: Mapping[str, int],
) -> list[dict[str, Any]]:
    lines = []
    for row in rows[:60]:
        reason = f" — {escape(b.clip(row.reason, 120))}" if row.reason else ""
        if row.away:
            reason += t("meetings.tally.away")
        answer = t(f"meetings.rsvp.{row.rsvp}")
        lines.append(
            t("meetings.tally.person", who=f"<@{row.user_id}>", answer=answer, reason=reason)
        )
    return [
        *notice_blocks(t, tz, rooms, meeting, buttons=False),
        *b.to_dicts([b.section(tally_text(t, counts)), *b.sections(lines)]),
    ]


def record_prompt(t: Translator, meeting: Meeting, key: str) -> list[dict[str, Any]]:
    text = t(key, number=number_text(meeting.number), topic=escape(b.clip(meeting.topic, 100)))
    return b.to_dicts(
        [
            b.section(text),
            b.actions(
                b.button(
                    t("meetings.minutes.record"),
                    MeetingAction.RECORD,
                    str(meeting.id),
                    style="primary",
                )
            ),
        ]
    )


def minutes_blocks(
    t: Translator,
    meeting: Meeting,
    payload: Mapping[str, Any],
    version: int,
    actions: Sequence[Mapping[str, str]],
    changed: Sequence[str] = (),
) -> list[dict[str, Any]]:
    title = t(
        "meetings.minutes.sent_title",
        number=number_text(meeting.number),
        topic=b.clip(meeting.topic, 80),
        version=version,
    )
    blocks: list[Any] = [
        b.section(f"*{escape(title)}*"),
        b.context(
            t(
                "meetings.minutes.approved_by",
                chair=f"<@{meeting.chair}>",
                note_taker=f"<@{meeting.note_taker}>",
            )
        ),
    ]
    if version > 1:
        what = t.join(t(f"meetings.minutes.field.{key}") for key in changed) or t("common.none")
        blocks.append(
            b.context(t("meetings.minutes.correction", previous=version - 1, changed=what))
        )
    for key in ("present", "discussion", "resolutions"):
        value = payload.get(key)
        if value:
            blocks.append(
                b.section(b.clip(t(f"meetings.minutes.{key}", text=escape(str(value))), 2900))
            )
    if actions:
        lines = [
            t(
                "meetings.minutes.action_line",
                task=escape(a["task"]),
                owner=f"<@{a['owner']}>",
                due=a["due"],
            )
            for a in actions
        ]
        blocks.append(b.section(b.clip(t("meetings.minutes.actions", text="\n".join(lines)), 2900)))
    return b.to_dicts(blocks)


def list_line(
    t: Translator, tz: ZoneInfo, rooms: Sequence[RoomInfo], meeting: Meeting, answer: str
) -> str:
    return t(
        "meetings.list.line",
        number=number_text(meeting.number),
        start=slack_time(meeting.starts_at, tz, t.lang),
        topic=escape(b.clip(meeting.topic, 80)),
        place=place_text(t, rooms, meeting.room_id, meeting.place),
        answer=t(f"meetings.rsvp.{answer}"),
    )
