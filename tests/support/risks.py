"""Helpers for risk tests: add a risk through the real `/risk` form, read the register."""

from __future__ import annotations

from typing import Any

from localslack import Message
from store import risks_repo
from store.models.risks import Alert, Risk
from tests.support.harness import Harness

RISK_CHANNEL = "C0RISK"


def risk_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "f:title": "Key supplier may fail",
        "f:category": "operational",
        "f:description": "Our only packaging supplier is in financial trouble",
        "f:cause": "Single source",
        "f:consequence": "Orders cannot ship",
        "f:likelihood": "2",
        "f:impact": "2",
        "f:owner": "alice",
        "f:strategy": "reduce",
    }
    values.update({f"f:{k}": v for k, v in overrides.items()})
    return {k: v for k, v in values.items() if v is not None}


def open_form(h: Harness, who: str) -> None:
    h.as_(who).command("/risk", "", channel="general")
    h.ls.wait_view(who, callback_id="risks.form")


def add_risk(h: Harness, who: str = "erin", **values: Any) -> Any:
    """Submit the `/risk` form; returns the HTTP response (field errors keep it open)."""
    open_form(h, who)
    return h.as_(who).submit(risk_values(**values), validate=False)


def risk(h: Harness, number: int = 1) -> Risk:
    with h.sessions.begin() as session:
        found = risks_repo.by_number(session, number)
        assert found is not None
        return found


def count(h: Harness) -> int:
    with h.sessions.begin() as session:
        return len(risks_repo.all_risks(session, include_closed=True))


def alerts(h: Harness) -> list[Alert]:
    with h.sessions.begin() as session:
        from sqlalchemy import select

        return list(session.scalars(select(Alert).order_by(Alert.id)))


def thread_prompt(h: Harness, number: str, button: str | None = None) -> Message:
    """The newest message in the risk channel's threads about `number` with buttons."""

    def find() -> Message | None:
        for m in reversed(h.ls.messages(RISK_CHANNEL, include_threads=True)):
            text = h.ls.text_of(m)
            has_buttons = any(b.get("type") == "actions" for b in m.blocks or [])
            if number in text and has_buttons and (button is None or button in text):
                return m
        return None

    return h.ls.wait_for(find, message=f"a prompt about {number}")


def channel_messages(h: Harness) -> list[Message]:
    return h.ls.messages(RISK_CHANNEL)
