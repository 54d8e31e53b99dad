"""Helpers for meeting tests: schedule through the quick path, find a DM with a button."""

from __future__ import annotations

from icalendar import Calendar

from localslack import Message
from localslack.records import Ephemeral
from store import meetings_repo
from store.models.meetings import Meeting
from tests.support.harness import Harness


def buttons(message: Message | Ephemeral) -> list[str]:
    return [
        str((element.get("text") or {}).get("text"))
        for block in message.blocks or []
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    ]


def quick(h: Harness, who: str, text: str) -> Ephemeral:
    """`/meeting TEXT`; returns the new ephemeral answer (summary or refusal)."""
    before = len(h.ls.ephemerals(h.uid(who)))
    h.as_(who).command("/meeting", text, channel="general")
    return h.ls.wait_for(
        lambda: next(iter(h.ls.ephemerals(h.uid(who))[before:]), None),
        message=f"the answer to /meeting {text}",
    )


def send(h: Harness, who: str, text: str, sent: str = "sent to") -> None:
    summary = quick(h, who, text)
    label = next(b for b in buttons(summary) if b in ("Send notice", "发送通知"))
    h.as_(who).click(label, message=summary)
    h.ls.wait_ephemeral(who, contains=sent)


def dm_with(h: Harness, who: str, contains: str, button: str | None = None) -> Message:
    return h.ls.wait_for(
        lambda: next(
            (
                m
                for m in reversed(h.ls.dm(who))
                if contains in h.ls.text_of(m) and (button is None or button in buttons(m))
            ),
            None,
        ),
        message=f"a DM to {who} with {contains!r}" + (f" and {button!r}" if button else ""),
    )


def meeting(h: Harness, number: int = 1) -> Meeting:
    with h.sessions.read() as session:
        found = meetings_repo.by_number(session, number)
        assert found is not None
        session.expunge(found)
        return found


def ics_of(h: Harness, who: str, count: int = 1) -> Calendar:
    """The newest .ics uploaded to `who`'s DM once there are `count` of them, parsed with the
    library that wrote it."""
    files = h.ls.wait_for(
        lambda: found if len(found := [m for m in h.ls.dm(who) if m.files]) >= count else None,
        message=f"{count} .ics file(s) in {who}'s DM",
    )
    record = h.ls.file(files[-1].files[0]["id"])
    assert record.name.endswith(".ics")
    return Calendar.from_ical(record.content)
