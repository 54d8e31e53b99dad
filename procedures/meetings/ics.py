"""The meeting's calendar file (.ics), built with the `icalendar` library: one VEVENT whose UID
stays the same across reschedules (SEQUENCE counts the changes), METHOD:REQUEST for a notice
and METHOD:CANCEL for a cancellation, so calendar apps update the event they already have."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Procedo//Meetings//EN"


def meeting_ics(
    *,
    uid: str,
    topic: str,
    start: datetime,
    end: datetime,
    now: datetime,
    location: str | None,
    description: str,
    organiser_email: str | None,
    attendee_emails: Sequence[str],
    sequence: int = 0,
    cancelled: bool = False,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("summary", topic)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("dtstamp", now)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if organiser_email:
        event.add("organizer", vCalAddress(f"mailto:{organiser_email}"))
    for email in attendee_emails:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["RSVP"] = "FALSE"
        event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    return bytes(cal.to_ical())
