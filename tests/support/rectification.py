"""Helpers for rectification tests: issue a notice through the real form, find a task's
button in a DM, read a notice's state and history."""

from __future__ import annotations

from typing import Any

from localslack import Message
from procedures.request_view import Event, events
from store import requests_repo
from tests.support.approvals import APPROVALS, card_for
from tests.support.harness import Harness


def notice_values(owner: str = "alice", **overrides: Any) -> dict[str, Any]:
    values = {
        "f:problem": "Fire exit blocked by pallets",
        "f:location": "Warehouse B, north door",
        "f:owner": owner,
        "f:deadline": "2026-11-27",
        "f:severity": "major",
    }
    values.update({f"f:{k}": v for k, v in overrides.items()})
    return values


def open_form(h: Harness, who: str) -> None:
    h.as_(who).command("/procedo", "new rectification", channel="general")
    h.ls.wait_view(who, callback_id="request.form")


def issue(h: Harness, who: str, number: str = "RN-0001", **values: Any) -> Message:
    """File through `/procedo new rectification`; returns the notice's card."""
    open_form(h, who)
    response = h.as_(who).submit(notice_values(**values))
    assert response.status == 200, response.body
    assert h.ls.view(who) is None, f"the form stayed open: {h.ls.view(who)}"
    return card_for(h, number)


def buttons(message: Message) -> list[str]:
    return [
        str((element.get("text") or {}).get("text"))
        for block in message.blocks or []
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    ]


def task_dm(h: Harness, who: str, number: str, button: str) -> Message:
    """The newest DM to `who` about `number` that still shows `button`."""
    return h.ls.wait_for(
        lambda: next(
            (
                m
                for m in reversed(h.ls.dm(who))
                if number in h.ls.text_of(m) and button in buttons(m)
            ),
            None,
        ),
        message=f"a DM to {who} about {number} with {button!r}",
    )


def thread_prompt(h: Harness, card: Message, button: str) -> Message:
    return h.ls.wait_for(
        lambda: next(
            (m for m in reversed(h.ls.replies(APPROVALS, card.ts)) if button in buttons(m)),
            None,
        ),
        message=f"a prompt with {button!r} in the thread",
    )


def do_task(h: Harness, who: str, number: str, button: str, values: dict[str, Any]) -> None:
    """Click the task's button in the DM and submit its modal."""
    driver = h.as_(who)
    dm = task_dm(h, who, number, button)
    driver.click(button, message=dm)
    h.ls.wait_view(who, callback_id="task.form")
    submit(h, who, values, dm)


def submit(h: Harness, who: str, values: dict[str, Any], dm: Message) -> None:
    """Submit the open task modal, then wait for the DM it came from to lose its button."""
    response = h.as_(who).submit(values)
    assert response.status == 200, response.body
    assert h.ls.view(who) is None, f"the task modal stayed open: {h.ls.view(who)}"
    h.ls.wait_for(
        lambda: not buttons(h.ls.message(dm.channel, dm.ts)), message="the task DM closes"
    )


def notice(h: Harness, number: int = 1) -> tuple[str, int, dict[str, Any]]:
    """(state, round, computed) of notice RN-000n."""
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "rectification", number)
        assert request is not None
        return request.state, request.round, dict(request.computed or {})


def history(h: Harness, number: int = 1) -> list[Event]:
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "rectification", number)
        assert request is not None
        return events(session, request.id)


def card_text(h: Harness, card: Message) -> str:
    return h.ls.text_of(h.ls.message(APPROVALS, card.ts))
