"""Meetings end to end through localslack: the quick path in English and Chinese, refusals
(past, end before start, room booked, no attendees), the notice with RSVP buttons and its .ics,
the organiser's live tally, reminders that skip who declined or is on leave."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.support.harness import Harness
from tests.support.meetings import buttons, dm_with, ics_of, meeting, quick, send

ERIN, BOB = "U0ERIN", "U0BOB"


def test_quick_path_in_english_notice_rsvp_and_tally(harness: Harness) -> None:
    h = harness
    summary = quick(h, "alice", f"budget review friday 3-4pm room 301 <@{ERIN}> <@U0GUS>")
    text = h.ls.text_of(summary)
    assert "Here is the meeting I understood" in text and "budget review" in text
    assert "Room 301" in text and f"<@{ERIN}>" in text
    assert buttons(summary) == ["Send notice", "Edit"]
    h.as_("alice").click("Send notice", message=summary)
    h.ls.wait_ephemeral("alice", contains="Notice of MT-0001 sent to 3 attendees")
    m = meeting(h)
    assert (m.state, m.room_id, m.topic) == ("notified", "r301", "budget review")
    assert m.starts_at.isoformat() == "2026-11-27T07:00:00+00:00"

    notice = dm_with(h, "erin", "budget review", "Attend")
    assert buttons(notice) == ["Attend", "Decline", "Tentative"]
    assert "<!date^" in h.ls.text_of(notice)  # each reader sees their own timezone
    cal = ics_of(h, "erin")
    (event,) = cal.walk("VEVENT")
    assert str(event.get("summary")) == "budget review"
    assert event.decoded("dtstart").isoformat() == "2026-11-27T07:00:00+00:00"
    assert "Room 301" in str(event.get("location"))

    # RSVPs: the attendee's notice shows the answer; the organiser's tally counts it.
    h.as_("erin").click("Decline", message=notice)
    h.ls.wait_view("erin", callback_id="meetings.decline")
    h.as_("erin").submit({"reason": "Customer visit <!channel>"})
    h.ls.wait_for(
        lambda: "declined" in h.ls.text_of(dm_with(h, "erin", "budget review")),
        message="erin's notice shows her answer",
    )
    h.as_("gus").click("参加", message=dm_with(h, "gus", "budget review", "参加"))
    tally = h.ls.wait_for(
        lambda: next(
            (m for m in h.ls.dm("alice") if "attending 1 · declined 1" in h.ls.text_of(m)), None
        ),
        message="the organiser's tally",
    )
    raw = json.dumps(tally.blocks, ensure_ascii=False)
    assert "Customer visit &lt;!channel&gt;" in raw and "<!channel>" not in raw  # no ping

    shown = quick(h, "alice", "show MT-0001")
    assert "attending 1 · declined 1 · tentative 0 · no answer 1" in h.ls.text_of(shown)
    listed = h.ls.text_of(quick(h, "alice", "list"))
    assert "Your upcoming meetings" in listed and "budget review" in listed
    h.as_("erin").open_home()
    home = h.ls.wait_home("erin", contains="budget review")
    assert "declined" in str(home.blocks) and "No open action items" in str(home.blocks)


def test_refusals_say_why(harness: Harness) -> None:
    h = harness
    send(h, "alice", f"budget review friday 3-4pm room 301 <@{ERIN}>")
    clash = quick(h, "carol", "supplies sync friday 3:30-5pm room 301 <@U0GUS>")
    text = h.ls.text_of(clash)
    assert "already booked then, by MT-0001" in text and "budget review" in text
    assert buttons(clash) == ["Edit"]  # nothing to send until it is fixed
    past = quick(h, "alice", f"standup today 8-9am <@{ERIN}>")
    assert "already passed" in h.ls.text_of(past)
    alone = quick(h, "alice", "thinking time friday 10-11am")
    assert "Invite at least one attendee" in h.ls.text_of(alone)
    no_time = quick(h, "alice", f"budget review room 301 <@{ERIN}>")
    assert "could not find the time" in h.ls.text_of(no_time)
    backwards = quick(h, "alice", f"review friday 4pm-2pm <@{ERIN}>")
    assert "is before the start" in h.ls.text_of(backwards)
    # Another room the same hour is fine.
    ok = quick(h, "carol", "supplies sync friday 3:30-5pm room 502 <@U0GUS>")
    assert "Send notice" in buttons(ok)


def test_quick_path_in_chinese_flags_leave_and_reminders_skip(harness: Harness) -> None:
    h = harness
    summary = quick(
        h, "bob", f"明天下午2点到4点 301会议室 Q4预算评审 <@U0ALICE> <@{ERIN}> <@U0CAROL>"
    )
    text = h.ls.text_of(summary)
    assert "我理解的会议如下" in text and "Q4预算评审" in text and "301会议室" in text
    h.as_("bob").click("发送通知", message=summary)
    h.ls.wait_ephemeral("bob", contains="MT-0001 的会议通知已发送给 4 位参会人")
    notice = dm_with(h, "erin", "Q4预算评审", "Decline")
    h.as_("erin").click("Decline", message=notice)
    h.ls.wait_view("erin", callback_id="meetings.decline")
    h.as_("erin").submit({})
    h.settle()
    # One working day before (Monday 14:00 for Tuesday 14:00... the meeting is tomorrow, so
    # the day-before reminder is already past); 15 minutes before: alice, carol, bob.
    h.advance(timedelta(hours=27, minutes=46))
    dm_with(h, "alice", "Reminder: MT-0001")
    dm_with(h, "bob", "会议提醒：MT-0001")
    assert not [m for m in h.ls.dm("erin") if "Reminder" in h.ls.text_of(m)]


def _erin_on_leave_friday(h: Harness) -> None:
    from tests.support.approvals import card_for, prompt_for
    from tests.support.leave import ask

    summary = ask(h, "erin", "annual nov 27 family visit")
    h.as_("erin").click("Submit", message=summary)
    card = card_for(h, "LV-0001")
    h.as_("bob").click("Approve", message=prompt_for(h, card, f"<@{BOB}>"))
    h.ls.wait_dm("erin", contains="approved")


def test_attendees_on_leave_are_flagged_and_not_reminded(harness: Harness) -> None:
    h = harness
    _erin_on_leave_friday(h)
    summary = quick(h, "alice", f"budget review friday 3-4pm room 301 <@{ERIN}> <@U0GUS>")
    assert f"On approved leave then: <@{ERIN}>" in h.ls.text_of(summary)
    h.as_("alice").click("Send notice", message=summary)
    h.ls.wait_ephemeral("alice", contains="Notice of MT-0001")
    tally = h.ls.wait_for(
        lambda: next((m for m in h.ls.dm("alice") if "(on leave)" in h.ls.text_of(m)), None),
        message="the tally marks who is on leave",
    )
    assert f"<@{ERIN}>" in h.ls.text_of(tally)
    h.settle()
    h.advance(timedelta(days=4, hours=4, minutes=46))  # Friday 14:46
    dm_with(h, "gus", "会议提醒：MT-0001")
    dm_with(h, "alice", "Reminder: MT-0001")
    assert not [m for m in h.ls.dm("erin") if "Reminder" in h.ls.text_of(m)]


def test_the_form_asks_before_sending_to_someone_on_leave(harness: Harness) -> None:
    h = harness
    _erin_on_leave_friday(h)
    alice = h.as_("alice")
    alice.command("/meeting", "", channel="general")
    h.ls.wait_view("alice", callback_id="meetings.form")
    values = {
        "topic": "Ops weekly",
        "start": "2026-11-27 10:00",
        "end": "2026-11-27 09:00",
        "attendees": ["erin"],
        "departments": ["ops"],
    }
    response = alice.submit(values, validate=False)
    assert response.json and "end after it starts" in str(response.json["errors"]["end"])
    alice.submit({"end": "2026-11-27 11:00"})
    view = h.ls.wait_view("alice", callback_id="meetings.confirm", contains="On approved leave")
    assert f"<@{ERIN}>" in str(view.blocks)
    alice.submit({})
    assert h.ls.view("alice") is None
    m = meeting(h)
    assert m.topic == "Ops weekly"
    dm_with(h, "bob", "Ops weekly", "参加")  # the whole department was invited
    dm_with(h, "erin", "Ops weekly", "Attend")


def test_move_resets_rsvps_and_cancel_updates_every_notice(harness: Harness) -> None:
    h = harness
    send(h, "alice", f"budget review friday 3-4pm room 301 <@{ERIN}>")
    notice = dm_with(h, "erin", "budget review", "Attend")
    h.as_("erin").click("Attend", message=notice)
    h.ls.wait_for(
        lambda: "attending" in h.ls.text_of(h.ls.message(notice.channel, notice.ts)),
        message="erin's answer on her notice",
    )
    # Only the organiser moves it; the new time is checked like a new meeting.
    assert "Only the meeting's organiser" in h.ls.text_of(
        quick(h, "erin", "move MT-0001 friday 4-5pm")
    )
    send(h, "carol", "supplies sync friday 4-5pm room 301 <@U0GUS>")
    clash = quick(h, "alice", "move MT-0001 friday 4-5pm")
    assert "already booked then, by MT-0002" in h.ls.text_of(clash)
    assert "Notice" not in h.ls.text_of(clash)
    moved = quick(h, "alice", "move MT-0001 friday 5-6pm")
    assert "MT-0001 has moved" in h.ls.text_of(moved)
    told = dm_with(h, "erin", "has moved to")
    assert "answer the notice again" in h.ls.text_of(told)
    h.ls.wait_for(
        lambda: "Your answer" not in h.ls.text_of(h.ls.message(notice.channel, notice.ts)),
        message="the notice forgets the old answer",
    )
    m = meeting(h)
    assert m.starts_at.isoformat() == "2026-11-27T09:00:00+00:00"
    cal = ics_of(h, "erin", count=2)
    assert cal.walk("VEVENT")[0].decoded("dtstart").isoformat() == "2026-11-27T09:00:00+00:00"

    # `all` is for a weekly series; refused here, and nothing is cancelled.
    assert "not part of a weekly series" in h.ls.text_of(quick(h, "alice", "cancel MT-0001 all"))
    assert meeting(h).state == "notified"
    assert "is cancelled" in h.ls.text_of(quick(h, "alice", "cancel MT-0001"))
    dm_with(h, "erin", "is cancelled")
    h.ls.wait_for(
        lambda: (
            "was cancelled" in h.ls.text_of(h.ls.message(notice.channel, notice.ts))
            and not buttons(h.ls.message(notice.channel, notice.ts))
        ),
        message="the notice shows the cancellation, without buttons",
    )
    assert meeting(h).state == "cancelled"
    (event,) = ics_of(h, "erin", count=3).walk("VEVENT")
    assert str(event.get("status")) == "CANCELLED" and int(event.get("sequence")) > 0
    # The room is free again.
    assert "Send notice" in buttons(quick(h, "carol", "review friday 5-6pm room 301 <@U0GUS>"))
    h.settle()
    h.advance(timedelta(days=4, hours=6, minutes=46))  # Friday 16:46: no reminder of it
    assert not [m for m in h.ls.dm("erin") if "Reminder: MT-0001" in h.ls.text_of(m)]


def test_two_moves_in_one_second_are_both_told_and_reminded_once(harness: Harness) -> None:
    h = harness
    send(h, "alice", f"budget review friday 3-4pm <@{ERIN}>")
    dm_with(h, "erin", "budget review", "Attend")
    quick(h, "alice", "move MT-0001 friday 4-5pm")
    quick(h, "alice", "move MT-0001 friday 5-6pm")
    h.ls.wait_for(
        lambda: len([m for m in h.ls.dm("erin") if "has moved to" in h.ls.text_of(m)]) == 2,
        message="erin is told of each move",
    )
    assert meeting(h).revision == 2
    h.settle()
    h.advance(timedelta(days=4, hours=6, minutes=46))  # Friday 16:46, 14 minutes before 17:00
    h.ls.wait_for(
        lambda: [m for m in h.ls.dm("erin") if "Reminder: MT-0001" in h.ls.text_of(m)],
        message="the reminder for the new time",
    )
    reminders = [m for m in h.ls.dm("erin") if "Reminder: MT-0001" in h.ls.text_of(m)]
    assert len(reminders) == 2  # one working day before, and 15 minutes before; once each
