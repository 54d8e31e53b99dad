"""Helpers for resignation tests: file through the real form, act on the prompts in the HR
channel's thread, read the case."""

from __future__ import annotations

from typing import Any

from localslack import Message
from procedures.request_view import Event, events
from store import requests_repo
from tests.support.approvals import card_for
from tests.support.harness import Harness
from tests.support.rectification import buttons

HR = "C0HR"


def values(successor: str = "erin", **overrides: Any) -> dict[str, Any]:
    found = {
        "f:last_day": "2026-12-31",
        "f:reason": "Moving to Hangzhou",
        "f:plan": "Hand the Acme account and the weekly report to Erin",
        "f:successor": successor,
    }
    found.update({f"f:{k}": v for k, v in overrides.items()})
    return found


def open_form(h: Harness, who: str, text: str = "resign") -> None:
    h.as_(who).command("/procedo", text, channel="general")
    h.ls.wait_view(who, callback_id="request.form")


def file(h: Harness, who: str = "alice", number: str = "RS-0001", **overrides: Any) -> Message:
    open_form(h, who)
    response = h.as_(who).submit(values(**overrides))
    assert response.status == 200, response.body
    assert h.ls.view(who) is None, f"the form stayed open: {h.ls.view(who)}"
    card = card_for(h, number, channel=HR)
    h.settle()
    return card


def where(h: Harness, number: int = 1) -> tuple[str, int, int]:
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "resignation", number)
        assert request is not None
        return request.state, request.round, request.step


def history(h: Harness, number: int = 1) -> list[Event]:
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "resignation", number)
        assert request is not None
        return events(session, request.id)


def prompt(h: Harness, card: Message, who: str, button: str) -> Message:
    mention = f"<@{h.uid(who)}>"
    return h.ls.wait_for(
        lambda: next(
            (
                m
                for m in reversed(h.ls.replies(HR, card.ts))
                if mention in h.ls.text_of(m) and button in buttons(m)
            ),
            None,
        ),
        message=f"a prompt for {who} with {button!r}",
    )


def act(
    h: Harness,
    card: Message,
    who: str,
    button: str,
    *,
    reason: str | None = None,
    form: dict[str, Any] | None = None,
) -> None:
    """Click `button` on `who`'s prompt in the thread; give the reason or the task's form;
    wait until the case moved on."""
    before = where(h)
    h.as_(who).click(button, message=prompt(h, card, who, button))
    if reason is not None:
        h.ls.wait_view(who, callback_id="request.reason")
        h.as_(who).submit({"reason": reason})
    elif form is not None:
        h.ls.wait_view(who, callback_id="task.form")
        response = h.as_(who).submit(form)
        assert response.status == 200 and h.ls.view(who) is None, response.body
    h.ls.wait_for(lambda: where(h) != before, message=f"{who}'s {button!r} taken")
    h.settle()
