"""A weekly department meeting (部门例会) in Chinese through localslack: the head sets it up
from the quick path, edits it in the form, attendees RSVP, the note-taker's minutes are reviewed
by the chair and sent, and the open action item appears on the next occurrence's agenda — over
Spring Festival 2027, when Monday 8 February is skipped."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from store.models.meetings import Meeting
from tests.support.approvals import card_for, prompt_for
from tests.support.harness import Harness
from tests.support.meetings import buttons, dm_with, quick

SHANGHAI = "+08:00"


def occurrences(h: Harness) -> list[Meeting]:
    with h.sessions.read() as session:
        out = list(session.scalars(select(Meeting).order_by(Meeting.starts_at)))
        for m in out:
            session.expunge(m)
        return out


def until(h: Harness, when: str) -> None:
    """Move the fake clock to `when` (Shanghai), a day at a time so the clock ticks between."""
    target = datetime.fromisoformat(when + SHANGHAI)
    while h.clock.now() < target:
        h.settle()
        h.advance(min(timedelta(days=1), target - h.clock.now()))


def test_weekly_department_meeting_carries_an_open_item_over_spring_festival(
    harness: Harness,
) -> None:
    h = harness
    summary = quick(h, "bob", "每周一上午10点到11点 301会议室 运营部例会 @ops")
    text = h.ls.text_of(summary)
    assert "每周一例会" in text and "顺延一周" in text and "运营部例会" in text
    # The head names Alice as note-taker in the form; it stays a weekly series.
    h.as_("bob").click("修改", message=summary)
    h.ls.wait_view("bob", callback_id="meetings.form")
    h.as_("bob").submit({"note_taker": "alice"})
    assert h.ls.view("bob") is None
    (first,) = occurrences(h)
    assert first.series_id is not None and first.note_taker == "U0ALICE"
    assert first.starts_at.isoformat() == "2026-11-30T02:00:00+00:00"  # Monday 10:00
    h.as_("alice").click("Attend", message=dm_with(h, "alice", "运营部例会", "Attend"))
    h.as_("erin").click("Tentative", message=dm_with(h, "erin", "运营部例会", "Tentative"))

    # After the first meeting: the next one is set at once, and the minutes are recorded.
    until(h, "2026-11-30T11:01:00")
    second = occurrences(h)[1]
    assert second.starts_at.isoformat() == "2026-12-07T02:00:00+00:00" and not second.carried
    alice = h.as_("alice")
    alice.click("Record minutes", message=dm_with(h, "alice", "MT-0001", "Record minutes"))
    h.ls.wait_view("alice", callback_id="request.form")
    alice.submit(
        {
            "f:resolutions": "Adopt the new shift plan",
            "f:actions": "Write the shift plan | @erin | 2027-03-31",
        }
    )
    h.as_("bob").click(
        "Approve and send", message=prompt_for(h, card_for(h, "MM-0001"), "<@U0BOB>")
    )
    dm_with(h, "erin", "Minutes of MT-0001")
    # The next occurrence's notice, already sent, now carries the open item.
    notice = h.ls.wait_for(
        lambda: next(
            (
                m
                for m in h.ls.dm("erin")
                if "MT-0002" in h.ls.text_of(m) and "AI-0001" in h.ls.text_of(m)
            ),
            None,
        ),
        message="MT-0002's notice carries AI-0001",
    )
    assert "Write the shift plan" in h.ls.text_of(notice) and "Attend" in buttons(notice)

    # Straight to February 2027: Monday 8 February is Spring Festival, so it is skipped.
    until(h, "2027-02-01T09:00:00")
    later = occurrences(h)[-1]
    assert later.starts_at.isoformat() == "2027-02-01T02:00:00+00:00"
    assert [item["number"] for item in later.carried] == [1]
    until(h, "2027-02-01T11:01:00")
    after = occurrences(h)[-1]
    assert after.starts_at.isoformat() == "2027-02-15T02:00:00+00:00"
    assert [item["number"] for item in after.carried] == [1]  # still open: carried again
    dm_with(h, "erin", "AI-0001 Write the shift plan")

    # The head ends the series: this occurrence is cancelled and no other follows.
    number = f"MT-{after.number:04d}"
    assert "例会不再举行" in h.ls.text_of(quick(h, "bob", f"cancel {number} 全部"))
    until(h, "2027-02-23T11:01:00")
    assert occurrences(h)[-1].number == after.number
