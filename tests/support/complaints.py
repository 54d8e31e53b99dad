"""Helpers for complaint tests: record one through the real modal, press the card's button for
the step that is due and fill its modal."""

from __future__ import annotations

from localslack import Message
from tests.support.approvals import APPROVALS
from tests.support.harness import Harness

SERVICE = APPROVALS  # the demo org names no operations channel: the fallback is approvals


def file_complaint(
    h: Harness,
    who: str = "alice",
    *,
    customer: str = "Acme Trading",
    channel: str = "phone",
    description: str = "The invoice was sent twice",
    severity: str = "high",
    number: str = "CP-0001",
) -> Message:
    h.as_(who).command("/procedo", "complaint", channel="general")
    h.ls.wait_view(who, callback_id="complaints.form")
    values = {
        "f:customer": customer,
        "f:channel": channel,
        "f:description": description,
        "f:severity": severity,
    }
    response = h.as_(who).submit(values)
    assert response.status == 200, response.body
    view = h.ls.view(who)
    assert view is not None and number in str(view.blocks), response.body
    h.settle()
    return card(h, number)


def card(h: Harness, number: str = "CP-0001") -> Message:
    return h.ls.wait_message(SERVICE, contains=number)


def step(
    h: Harness, who: str, button: str, values: dict[str, str], number: str = "CP-0001"
) -> None:
    """Press `button` on the card and submit its modal with `values`."""
    h.as_(who).click(button, message=card(h, number))
    h.ls.wait_view(who, callback_id="complaints.step")
    response = h.as_(who).submit(values)
    assert response.status == 200, response.body
    assert not (response.json or {}).get("errors"), response.json
    h.settle()
    h.ls.wait_for(
        lambda: button not in h.ls.text_of(card(h, number)) or None,
        message=f"the card moved past {button!r}",
    )


def through_to_resolved(h: Harness, number: str = "CP-0001") -> None:
    step(h, "bob", "Assign an owner", {"f:owner": "erin"}, number)
    step(h, "erin", "Record the response", {"f:text": "Called back, apologised"}, number)
    step(h, "erin", "Record the resolution", {"f:text": "Credit note issued"}, number)
