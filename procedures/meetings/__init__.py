"""Meetings (会议组织流程, 000 §3.2.2, 002 §4.2, 001 §3.2, 003 §4.2): scheduling with room
conflicts and attendees on leave flagged, the notice with RSVPs, reminders; minutes recorded by
the note-taker, reviewed by the chair and only then sent; action items chased until done."""

from pathlib import Path

from procedures.meetings.hooks import ActionHooks, MinutesHooks
from procedures.meetings.policy import MeetingsPolicy
from procedures.meetings.succession import transfer_owned
from procedures.modules import Domain

DOMAIN = Domain(
    name="meetings",
    policy_file=Path(__file__).parent / "policy.yml",
    hooks={"minutes": MinutesHooks(), "meeting_action": ActionHooks()},
    section=MeetingsPolicy,
    transfer_owned=transfer_owned,
)
