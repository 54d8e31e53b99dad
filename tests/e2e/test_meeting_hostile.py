"""Hostile inputs through `/meeting`: the quick path's topic and the form's free-text fields.
Each is a clear answer or a field error in the user's language, or a notice that pings nobody;
nothing half-written stays in the database."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from localslack import Message
from store.models.meetings import Meeting
from tests.support.harness import Harness
from tests.support.meetings import buttons, quick

HOSTILE = Path("/work/shared/testdata/hostile-inputs.jsonl")
PINGS = ("<!channel>", "<!here>", "<!everyone>", "<!subteam")


def _inputs() -> list[dict[str, str]]:
    return [json.loads(line) for line in HOSTILE.read_text(encoding="ascii").splitlines() if line]


def _count(h: Harness) -> int:
    with h.sessions.read() as session:
        return int(session.scalar(select(func.count()).select_from(Meeting)) or 0)


def _notice(h: Harness, number: str) -> Message:
    return h.ls.wait_for(
        lambda: next((m for m in h.ls.dm("erin") if number in h.ls.text_of(m)), None),
        message=f"the notice of {number}",
    )


def test_hostile_text_in_the_quick_path(harness: Harness) -> None:
    h = harness
    for item in _inputs():
        answer = quick(h, "alice", f"{item['text']} friday 3-4pm <@U0ERIN>")
        raw = json.dumps(answer.blocks, ensure_ascii=False) + answer.text
        assert not any(ping in raw for ping in PINGS), (item["name"], raw[:300])
        assert "ref " not in raw, (item["name"], raw[:300])  # never "something went wrong"
    assert _count(h) == 0  # a summary saves nothing


def test_hostile_text_in_the_form(harness: Harness) -> None:
    h = harness
    sent = 0
    for item in _inputs():
        h.as_("alice").command("/meeting", "", channel="general")
        h.ls.wait_view("alice", callback_id="meetings.form")
        text = item["text"]
        response = h.as_("alice").submit(
            {
                "topic": text[:200],
                "start": "2026-11-27 15:00",
                "end": "2026-11-27 16:00",
                "place": text[:500],
                "agenda": text,
                "materials": text[:1000],
                "attendees": ["erin"],
            },
            validate=False,
        )
        assert response.status == 200, (item["name"], response.body)
        errors = (response.json or {}).get("errors")
        if errors:
            assert all(errors.values()), item["name"]
            h.as_("alice").close_view()
            continue
        sent += 1
        notice = _notice(h, f"MT-{sent:04d}")
        raw = json.dumps(notice.blocks, ensure_ascii=False) + notice.text
        assert not any(ping in raw for ping in PINGS), (item["name"], raw[:300])
        assert "Attend" in buttons(notice)
        h.settle()  # its posts pace on the fake clock, and a trigger id lasts 3 s of it
    assert 0 < sent < len(_inputs()) and _count(h) == sent
    with h.sessions.read() as session:
        for meeting in session.scalars(select(Meeting)):
            assert "\x00" not in meeting.topic + (meeting.place or "") + "".join(meeting.agenda)
