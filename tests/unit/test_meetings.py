"""Pure meeting logic: the quick path's reading of a line, weekly series on the CN calendar
(Spring Festival 2027 skipped or moved, make-up working days held), action-item lines, and the
.ics file read back with the library that wrote it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from procedures.calendar import calendar_for
from procedures.errors import InvalidInput
from procedures.meetings.ics import meeting_ics
from procedures.meetings.minutes import parse_actions
from procedures.meetings.quick import QuickMeeting, parse_quick
from procedures.meetings.series import next_day, split_every
from store.directory import DepartmentInfo, RoomInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)  # a Monday
ROOMS = [
    RoomInfo("r301", "Room 301", "301会议室", 12),
    RoomInfo("boardroom", "Boardroom", "大会议室", 30),
]
DEPTS = [DepartmentInfo("ops", "Operations", "运营部", "U0BOB", None, None)]
PEOPLE = {"bob": "U0BOB", "carol": "U0CAROL"}


def read(text: str) -> QuickMeeting:
    return parse_quick(
        text,
        now=NOW,
        tz=SHANGHAI,
        rooms=ROOMS,
        departments=DEPTS,
        find_user=PEOPLE.get,
        default_minutes=60,
    )


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def test_quick_in_chinese() -> None:
    q = read("明天下午2点到4点 301会议室 Q4预算评审 @bob @carol")
    assert (q.start, q.end) == (at(24, 14), at(24, 16))
    assert (q.room, q.topic, q.attendees) == ("r301", "Q4预算评审", ("U0BOB", "U0CAROL"))


def test_quick_in_english_with_mentions_a_department_and_a_link() -> None:
    q = read("budget review friday 3-4pm room 301 <@U0ERIN|erin> @ops https://meet.example/x")
    assert (q.start, q.end) == (at(27, 15), at(27, 16))
    assert (q.room, q.topic) == ("r301", "budget review")
    assert q.attendees == ("U0ERIN",) and q.departments == ("ops",)
    assert q.place == "https://meet.example/x"


def test_quick_single_time_lasts_the_default_and_unknown_names_are_kept() -> None:
    q = read("1:1 tomorrow 10am boardroom @nobody")
    assert (q.start, q.end, q.room) == (at(24, 10), at(24, 11), "boardroom")
    assert q.unknown == ("nobody",) and q.attendees == ()


def test_quick_names_the_chair_and_the_note_taker() -> None:
    q = read("周会 明天上午10点到11点 主持 @bob 记录：<@U0CAROL> <@U0ERIN>")
    assert (q.chair, q.note_taker) == ("U0BOB", "U0CAROL")
    assert set(q.attendees) == {"U0BOB", "U0CAROL", "U0ERIN"} and q.topic == "周会"
    q = read("retro friday 4-5pm chair <@U0ERIN> notes @carol")
    assert (q.chair, q.note_taker, q.topic) == ("U0ERIN", "U0CAROL", "retro")


def test_quick_pings_nobody_and_needs_a_time() -> None:
    q = read("<!channel> sync friday 3-4pm @bob")
    assert "<!channel>" not in q.topic
    with pytest.raises(InvalidInput) as caught:
        read("budget review room 301 @bob")
    assert caught.value.key == "meetings.error.quick_time"


@pytest.mark.parametrize(
    ("text", "weekday", "rest"),
    [
        ("every monday 10-11am ops weekly", 0, "monday 10-11am ops weekly"),
        ("Every Fri 4-5pm retro", 4, "friday 4-5pm retro"),
        ("每周一上午10点到11点 部门例会", 0, "周一上午10点到11点 部门例会"),
        ("每星期五下午3点到4点 周会", 4, "周五下午3点到4点 周会"),
        ("budget review friday 3-4pm", None, "budget review friday 3-4pm"),
    ],
)
def test_every(text: str, weekday: int | None, rest: str) -> None:
    assert split_every(text) == (weekday, rest)


def test_a_weekly_series_over_spring_festival_2027() -> None:
    cn = calendar_for("CN")
    # Monday 8 February 2027 is a Spring Festival holiday.
    assert next_day(cn, date(2027, 2, 1), 0, "skip") == date(2027, 2, 15)
    assert next_day(cn, date(2027, 2, 1), 0, "next") == date(2027, 2, 11)
    assert next_day(cn, date(2027, 1, 25), 0, "skip") == date(2027, 2, 1)
    # Wednesday 10 February is one too, the Friday before (5 February) as well.
    assert next_day(cn, date(2027, 2, 3), 2, "skip") == date(2027, 2, 17)
    assert next_day(cn, date(2027, 1, 29), 4, "next") == date(2027, 2, 11)


def test_make_up_working_days_are_held_and_a_series_with_none_stops() -> None:
    cn = calendar_for("CN")
    # Sunday 4 January 2026 is a make-up working day (调休上班): a Sunday series meets then.
    assert next_day(cn, date(2025, 12, 31), 6, "skip") == date(2026, 1, 4)
    # ... and no other Sunday for eight weeks is a working day: the series gives up.
    assert next_day(cn, date(2026, 1, 4), 6, "skip") is None


def test_action_lines() -> None:
    items = parse_actions(
        "Draft the Q4 budget | @bob | 2026-12-10\n\n编制预算 ｜ <@U0CAROL> ｜ 12月15日",
        now=NOW,
        tz=SHANGHAI,
        find_user=PEOPLE.get,
    )
    assert [(i.task, i.owner, i.due) for i in items] == [
        ("Draft the Q4 budget", "U0BOB", date(2026, 12, 10)),
        ("编制预算", "U0CAROL", date(2026, 12, 15)),
    ]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("just a sentence", "meetings.error.action_line"),
        ("Do it | @nobody | dec 10", "meetings.error.action_owner"),
        ("Do it | @bob | blorp", "meetings.error.action_due"),
        ("Do it | @bob | 2026-11-01", "meetings.error.action_due_past"),
        ("\n".join(["x | @bob | dec 10"] * 31), "meetings.error.actions_many"),
    ],
)
def test_action_lines_refused(text: str, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_actions(text, now=NOW, tz=SHANGHAI, find_user=PEOPLE.get)
    assert caught.value.key == key and caught.value.field == "actions"


def test_ics_parses_back() -> None:
    data = meeting_ics(
        uid="procedo-meeting-1@procedo",
        topic="Q4预算评审",
        start=datetime(2026, 11, 24, 6, tzinfo=UTC),
        end=datetime(2026, 11, 24, 8, tzinfo=UTC),
        now=datetime(2026, 11, 23, 2, tzinfo=UTC),
        location="301会议室",
        description="1. Q4预算",
        organiser_email="bob@demo.procedo.dev",
        attendee_emails=["alice@demo.procedo.dev", "carol@demo.procedo.dev"],
        sequence=3,
        cancelled=True,
    )
    cal = Calendar.from_ical(data)
    assert str(cal.get("method")) == "CANCEL"
    (event,) = cal.walk("VEVENT")
    assert str(event.get("summary")) == "Q4预算评审" and str(event.get("location")) == "301会议室"
    assert event.decoded("dtstart") == datetime(2026, 11, 24, 6, tzinfo=UTC)
    assert int(event.get("sequence")) == 3 and str(event.get("status")) == "CANCELLED"
    assert len(event.get("attendee")) == 2
