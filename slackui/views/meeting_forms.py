"""The meeting's modals: the scheduling form (and reading it back), the "some are on leave"
confirmation, and the decline reason."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from procedures.meetings.scheduling import Draft
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.views.meetings import META_LIMIT, MeetingCallback, people_text, plain
from store.directory import DepartmentInfo, RoomInfo


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False
) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {"action_id": "value", **element},
        "optional": optional,
    }


def _options(pairs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"text": plain(b.clip(text, 75)), "value": value} for value, text in pairs[:100]]


def form_modal(
    t: Translator,
    *,
    rooms: Sequence[RoomInfo],
    departments: Sequence[DepartmentInfo],
    organiser: str,
    draft: Draft | None = None,
) -> dict[str, Any]:
    lang = t.lang
    topic: dict[str, Any] = {"type": "plain_text_input", "max_length": 200}
    start: dict[str, Any] = {"type": "datetimepicker"}
    end: dict[str, Any] = {"type": "datetimepicker"}
    place: dict[str, Any] = {"type": "plain_text_input", "max_length": 500}
    attendees: dict[str, Any] = {"type": "multi_users_select"}
    depts: dict[str, Any] = {
        "type": "multi_static_select",
        "options": _options([(d.id, d.name(lang)) for d in departments]),
    }
    chair: dict[str, Any] = {"type": "users_select", "initial_user": organiser}
    note_taker: dict[str, Any] = {"type": "users_select", "initial_user": organiser}
    agenda: dict[str, Any] = {"type": "plain_text_input", "multiline": True, "max_length": 2900}
    materials: dict[str, Any] = {"type": "plain_text_input", "max_length": 1000}
    channel: dict[str, Any] = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"]},
    }
    room_options = _options([(r.id, r.name(lang)) for r in rooms])
    room: dict[str, Any] = {"type": "static_select", "options": room_options}
    if draft is not None:
        topic["initial_value"] = draft.topic
        start["initial_date_time"] = int(draft.start.timestamp())
        end["initial_date_time"] = int(draft.end.timestamp())
        if draft.place:
            place["initial_value"] = draft.place
        if draft.attendees:
            attendees["initial_users"] = list(draft.attendees)
        chosen = [o for o in depts["options"] if o["value"] in draft.departments]
        if chosen:
            depts["initial_options"] = chosen
        chair["initial_user"], note_taker["initial_user"] = draft.chair, draft.note_taker
        if draft.agenda:
            agenda["initial_value"] = "\n".join(draft.agenda)
        if draft.materials:
            materials["initial_value"] = draft.materials
        if draft.channel:
            channel["initial_conversation"] = draft.channel
        picked = next((o for o in room_options if o["value"] == draft.room), None)
        if picked is not None:
            room["initial_option"] = picked
    blocks = [
        _input("topic", t("meetings.form.topic"), topic),
        _input("start", t("meetings.form.start"), start),
        _input("end", t("meetings.form.end"), end),
    ]
    if room_options:
        blocks.append(_input("room", t("meetings.form.room"), room, optional=True))
    blocks += [
        _input("place", t("meetings.form.place"), place, optional=True),
        _input("attendees", t("meetings.form.attendees"), attendees, optional=True),
    ]
    if depts["options"]:
        blocks.append(_input("departments", t("meetings.form.departments"), depts, optional=True))
    blocks += [
        _input("chair", t("meetings.form.chair"), chair),
        _input("note_taker", t("meetings.form.note_taker"), note_taker),
        _input("agenda", t("meetings.form.agenda"), agenda, optional=True),
        _input("materials", t("meetings.form.materials"), materials, optional=True),
        _input("channel", t("meetings.form.channel"), channel, optional=True),
    ]
    return {
        "type": "modal",
        "callback_id": MeetingCallback.FORM,
        # A weekly series edited from the quick path stays a series.
        "private_metadata": json.dumps({"repeat": draft.repeat if draft else None}),
        "title": plain(b.clip(t("meetings.form.title"), 24)),
        "submit": plain(b.clip(t("meetings.form.submit"), 24)),
        "close": plain(b.clip(t("meetings.form.cancel"), 24)),
        "blocks": blocks,
    }


def _value(values: Mapping[str, Any], block: str) -> Any:
    return (values.get(block) or {}).get("value") or {}


def read_form(values: Mapping[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    """The form's state as a draft's fields (times as aware datetimes, or None)."""

    def text(block: str) -> str:
        return str(_value(values, block).get("value") or "").strip()

    def moment(block: str) -> datetime | None:
        raw = _value(values, block).get("selected_date_time")
        return datetime.fromtimestamp(int(raw), tz) if raw is not None else None

    room = (_value(values, "room").get("selected_option") or {}).get("value")
    depts = [o.get("value") for o in _value(values, "departments").get("selected_options") or []]
    return {
        "topic": text("topic"),
        "start": moment("start"),
        "end": moment("end"),
        "room": room,
        "place": text("place") or None,
        "attendees": tuple(_value(values, "attendees").get("selected_users") or ()),
        "departments": tuple(str(d) for d in depts if d),
        "chair": _value(values, "chair").get("selected_user"),
        "note_taker": _value(values, "note_taker").get("selected_user"),
        "agenda": tuple(line.strip() for line in text("agenda").splitlines() if line.strip()),
        "materials": text("materials") or None,
        "channel": _value(values, "channel").get("selected_conversation"),
    }


def confirm_modal(t: Translator, draft: Draft, away: Sequence[str]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": MeetingCallback.CONFIRM,
        "title": plain(b.clip(t("meetings.confirm.title"), 24)),
        "submit": plain(b.clip(t("meetings.confirm.submit"), 24)),
        "close": plain(b.clip(t("meetings.form.cancel"), 24)),
        "private_metadata": json.dumps(draft.to_json(), ensure_ascii=False),
        "blocks": b.to_dicts([b.section(t("meetings.confirm.text", people=people_text(away)))]),
    }


def confirm_fits(draft: Draft) -> bool:
    return len(json.dumps(draft.to_json(), ensure_ascii=False)) <= META_LIMIT


def decline_modal(t: Translator, meeting_id: int) -> dict[str, Any]:
    reason = {"type": "plain_text_input", "multiline": True, "max_length": 500}
    return {
        "type": "modal",
        "callback_id": MeetingCallback.DECLINE,
        "title": plain(b.clip(t("meetings.decline.title"), 24)),
        "submit": plain(b.clip(t("meetings.decline.submit"), 24)),
        "close": plain(b.clip(t("meetings.form.cancel"), 24)),
        "private_metadata": str(meeting_id),
        "blocks": [_input("reason", t("meetings.decline.reason"), reason, optional=True)],
    }


def extend_modal(t: Translator, case_id: int, due: str) -> dict[str, Any]:
    picker = {"type": "datepicker", "initial_date": due}
    reason = {"type": "plain_text_input", "multiline": True, "max_length": 500}
    return {
        "type": "modal",
        "callback_id": MeetingCallback.EXTEND,
        "title": plain(b.clip(t("meetings.extend.title"), 24)),
        "submit": plain(b.clip(t("meetings.extend.submit"), 24)),
        "close": plain(b.clip(t("meetings.form.cancel"), 24)),
        "private_metadata": str(case_id),
        "blocks": [
            _input("due", t("meetings.extend.due"), picker),
            _input("reason", t("meetings.extend.reason"), reason),
        ],
    }
