"""The quick path of `/meeting`: `/meeting 明天下午2点到4点 301会议室 Q4预算评审 <@bob> <@carol>`
or `/meeting budget review friday 3-4pm room 301 <@bob>` → time, place, attendees, topic.

Mentions (`<@U…>`, or `@handle` of someone Procedo knows) are attendees and a department's id
or name after `@` invites the whole department; the time is the run of words the date parser
reads as a time range (`procedures.dates.ranges`); a room is named as the org file names it
(`301会议室`, `Room 301`, `room 301`, or its id); a link is the call link; the rest is the topic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from procedures.dates import DateParseError
from procedures.dates.ranges import find_time_range
from procedures.errors import InvalidInput
from store.directory import DepartmentInfo, RoomInfo

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
HANDLE = re.compile(r"(?<![\w<])@([\w.\-\u3400-\u9fff]+)")
LINK = re.compile(r"<?(https?://[^\s|>]+)(?:\|[^>]*)?>?", re.I)
SPECIAL = re.compile(r"<[!#][^>]*>")  # <!channel>, <#C…>: never part of a topic
# `chair @bob` / `主持 @bob`, `notes @alice` / `记录 @alice`: who chairs and who takes notes.
ROLE = re.compile(
    r"(?P<word>\b(?:chair(?:ed by)?|notes|note-?taker)\b|主持人?|记录人?)\s*[:：]?\s*"
    r"(?=<@[UW][A-Z0-9]+|@[\w.\-])",
    re.I,
)


@dataclass(frozen=True)
class QuickMeeting:
    topic: str
    start: datetime
    end: datetime
    attendees: tuple[str, ...]
    departments: tuple[str, ...]
    room: str | None
    place: str | None
    unknown: tuple[str, ...]  # @names nobody answers to
    chair: str | None = None
    note_taker: str | None = None


def _room_in(text: str, rooms: Sequence[RoomInfo]) -> tuple[str | None, str]:
    for room in rooms:
        names = [room.name_zh, room.name_en, room.id]
        digits = re.sub(r"\D", "", room.name_en)
        if digits:
            names.append(f"room {digits}")
        for name in sorted(names, key=len, reverse=True):
            pattern = re.compile(
                re.escape(name)
                if re.search(r"[\u3400-\u9fff]", name)
                else rf"\b{re.escape(name)}\b",
                re.I,
            )
            if pattern.search(text):
                return room.id, pattern.sub(" ", text, count=1)
    return None, text


def parse_quick(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    rooms: Sequence[RoomInfo],
    departments: Sequence[DepartmentInfo],
    find_user: Callable[[str], str | None],
    default_minutes: int,
) -> QuickMeeting:
    chair, note_taker = None, None
    for found in list(ROLE.finditer(text)):
        after = text[found.end() :]
        mention = MENTION.match(after)
        handle = HANDLE.match(after)
        user = mention.group(1) if mention else find_user(handle.group(1)) if handle else None
        if user is None:
            continue
        word = found.group("word").lower()
        if word.startswith(("chair", "主持")):
            chair = user
        else:
            note_taker = user
    text = ROLE.sub(" ", text)  # the mention stays: they attend too
    people = list(dict.fromkeys(MENTION.findall(text)))
    rest = MENTION.sub(" ", text)
    rest = SPECIAL.sub(" ", rest)
    depts: list[str] = []
    unknown: list[str] = []
    for handle in HANDLE.findall(rest):
        dept = next(
            (
                d.id
                for d in departments
                if handle.lower() in (d.id, d.name_en.lower()) or handle == d.name_zh
            ),
            None,
        )
        if dept is not None:
            depts.append(dept)
            continue
        user = find_user(handle)
        if user is not None:
            people.append(user)
        else:
            unknown.append(handle[:40])
    rest = HANDLE.sub(" ", rest)
    link = LINK.search(rest)
    place = link.group(1)[:500] if link else None
    if link:
        rest = rest[: link.start()] + " " + rest[link.end() :]
    try:
        when, rest = find_time_range(rest, now=now, tz=tz, default_minutes=default_minutes)
    except DateParseError as err:
        if err.code == "unrecognised":
            raise InvalidInput("meetings.error.quick_time") from None
        raise InvalidInput("meetings.error.quick_time_bad", detail=str(err)[:120]) from None
    room, rest = _room_in(rest, rooms)
    topic = " ".join(rest.split()).strip(" ,;:、，；：")
    return QuickMeeting(
        topic=topic,
        start=when.start,
        end=when.end,
        attendees=tuple(dict.fromkeys(people)),
        departments=tuple(dict.fromkeys(depts)),
        room=room,
        place=place,
        unknown=tuple(unknown),
        chair=chair,
        note_taker=note_taker,
    )
