"""Helpers for approval tests: file an expense through the real modal, find its card and the
approver prompt in the thread, read the history."""

from __future__ import annotations

from localslack import Message
from procedures.request_view import Event, events
from store import requests_repo
from tests.support.harness import Harness

APPROVALS = "C0APPROVALS"


def file_expense(
    h: Harness,
    who: str,
    amount: str = "1200",
    *,
    category: str = "travel",
    description: str = "Train to the Shenzhen client",
    link: str = "https://files.example.com/receipt-1.pdf",
) -> Message:
    """File through `/procedo new expense` and return the card posted for it."""
    driver = h.as_(who)
    before = len(h.ls.messages(APPROVALS))
    driver.command("/procedo", "new expense", channel="general")
    h.ls.wait_view(who, callback_id="request.form")
    response = driver.submit(
        {
            "f:amount": amount,
            "f:category": category,
            "f:description": description,
            "f:receipt:link": link,
        }
    )
    assert response.status == 200, response.body
    assert h.ls.view(who) is None, f"the form stayed open: {h.ls.view(who)}"
    card = h.ls.wait_for(
        lambda: (
            h.ls.messages(APPROVALS)[before] if len(h.ls.messages(APPROVALS)) > before else None
        ),
        message=f"the card of {who}'s expense",
    )
    # The card is on screen a moment before the bot has stored its ts (and sent the rest):
    # a reply in its thread in that moment would find no request.
    h.settle()
    return card


def card_for(h: Harness, number: str, channel: str = APPROVALS) -> Message:
    """The top-level card of request `number` (e.g. "LV-0001")."""
    return h.ls.wait_for(
        lambda: next((m for m in h.ls.messages(channel) if number in h.ls.text_of(m)), None),
        message=f"the card of {number}",
    )


def has_buttons(message: Message) -> bool:
    return any(b.get("type") == "actions" for b in message.blocks or [])


def prompt_for(
    h: Harness,
    card: Message,
    contains: str,
    *,
    phrase: str = "please decide",
    timeout: float = 5.0,
) -> Message:
    """The newest prompt with buttons in the card's thread whose text has `phrase` and
    `contains`. Waiting for the buttons matters: the thread note about the same event is
    posted by the same sync job and may arrive first."""
    return h.ls.wait_for(
        lambda: next(
            (
                m
                for m in reversed(h.ls.replies(APPROVALS, card.ts))
                if phrase in h.ls.text_of(m) and contains in h.ls.text_of(m) and has_buttons(m)
            ),
            None,
        ),
        timeout,
        message=f"a prompt mentioning {phrase!r} and {contains!r}",
    )


def card_text(h: Harness, card: Message) -> str:
    return h.ls.text_of(h.ls.message(APPROVALS, card.ts))


def thread_text(h: Harness, card: Message) -> str:
    return "\n".join(h.ls.text_of(m) for m in h.ls.replies(APPROVALS, card.ts))


def history(h: Harness, number: int = 1, *, procedure: str = "expense") -> list[Event]:
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, procedure, number)
        assert request is not None
        return events(session, request.id)


def state_of(h: Harness, number: int = 1) -> str:
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "expense", number)
        assert request is not None
        return request.state


def buttons_gone(h: Harness, message: Message, *, timeout: float = 5.0) -> Message:
    """Wait until `message` (in any channel or DM) is edited to show no buttons."""
    return h.ls.wait_for(
        lambda: (lambda now: now if not has_buttons(now) else None)(
            h.ls.message(message.channel, message.ts)
        ),
        timeout,
        message=f"the buttons of {message.ts} taken away",
    )


def approver_dm(h: Harness, who: str, number: str = "EX-0001") -> Message:
    """The DM with `who`'s decision buttons for request `number`."""
    return h.ls.wait_for(
        lambda: next(
            (m for m in reversed(h.ls.dm(who)) if number in h.ls.text_of(m) and has_buttons(m)),
            None,
        ),
        message=f"{who}'s DM with the buttons of {number}",
    )
