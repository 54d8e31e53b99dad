"""Helpers for document sign-off tests: draft through the real form, decide in the card's
thread, read a document's state and its register row."""

from __future__ import annotations

from typing import Any

from localslack import Message
from store import documents_repo, requests_repo
from tests.support.approvals import APPROVALS, card_for, has_buttons
from tests.support.harness import Harness


def draft_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "f:title": "Office move to the 12th floor",
        "f:doc_type": "notice",
        "f:classification": "internal",
        "f:body": "From Monday the office is on the 12th floor.\nBring your badge.",
        "f:audience": ["erin", "gus"],
    }
    values.update({f"f:{k}": v for k, v in overrides.items()})
    return values


def draft(h: Harness, who: str, number: str = "DOC-0001", **values: Any) -> Message:
    """File through `/procedo new documents`; returns the document's card."""
    h.as_(who).command("/procedo", "new documents", channel="general")
    h.ls.wait_view(who, callback_id="request.form")
    response = h.as_(who).submit(draft_values(**values))
    assert response.status == 200, response.body
    assert h.ls.view(who) is None, f"the form stayed open: {h.ls.view(who)}"
    card = card_for(h, number)
    h.settle()
    return card


def prompt(h: Harness, card: Message, who: str, button: str = "Approve") -> Message:
    """The newest prompt in the card's thread that mentions `who` and offers `button`."""
    mention = f"<@{h.uid(who)}>"

    def find() -> Message | None:
        for m in reversed(h.ls.replies(APPROVALS, card.ts)):
            labels = [
                str((e.get("text") or {}).get("text"))
                for block in m.blocks or []
                if block.get("type") == "actions"
                for e in block.get("elements", [])
            ]
            if has_buttons(m) and mention in h.ls.text_of(m) and button in labels:
                return m
        return None

    return h.ls.wait_for(find, message=f"a prompt for {who} with {button!r}")


def decide(
    h: Harness, card: Message, who: str, button: str, reason: str | None = None, number: int = 1
) -> None:
    """Click `button` on the prompt for `who`; wait until the document moved on (a decision is
    recorded after its ack)."""
    before = _where(h, number)
    h.as_(who).click(button, message=prompt(h, card, who, button))
    if reason is not None:
        h.ls.wait_view(who, callback_id="request.reason")
        h.as_(who).submit({"reason": reason})
    h.ls.wait_for(lambda: _where(h, number) != before, message=f"{who}'s {button!r} taken")
    h.settle()


def _where(h: Harness, number: int) -> tuple[str, int, int]:
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "documents", number)
        assert request is not None
        return request.state, request.round, request.step


def document(h: Harness, number: int = 1) -> tuple[str, dict[str, Any], str | None]:
    """(state, computed, 发文字号) of DOC-000n."""
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "documents", number)
        assert request is not None
        record = documents_repo.record_of(session, request.id)
        return request.state, dict(request.computed or {}), record.number if record else None


def card_text(h: Harness, card: Message) -> str:
    return h.ls.text_of(h.ls.message(APPROVALS, card.ts))


def thread_text(h: Harness, card: Message) -> str:
    return "\n".join(h.ls.text_of(m) for m in h.ls.replies(APPROVALS, card.ts))
