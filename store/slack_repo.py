"""The Slack projection of requests (`store.models.slack`): read and written only by the Slack
side (`handlers/request_sync.py`, and the listeners that find a request from its thread).

Each save is its own short transaction and a plain write: Slack bookkeeping never bumps the
version a decision is checked against, and a sync that fails half way resumes from the last
thing it saved."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store.models import SlackApproverDM, SlackRequesterDM, SlackRequestMessage, SlackStepPrompt


def message(session: Session, request_id: int) -> SlackRequestMessage:
    """The request's card row (an empty one if nothing was posted yet; not added)."""
    row = session.get(SlackRequestMessage, request_id)
    if row is None:
        return SlackRequestMessage(
            request_id=request_id, card_version=0, thread_synced=0, dm_synced=0
        )
    return row


def save_message(session: Session, request_id: int, **values: Any) -> None:
    row = session.get(SlackRequestMessage, request_id)
    if row is None:
        defaults: dict[str, Any] = {"card_version": 0, "thread_synced": 0, "dm_synced": 0}
        session.add(SlackRequestMessage(request_id=request_id, **{**defaults, **values}))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def request_by_card(session: Session, channel: str, ts: str) -> int | None:
    """The request whose card is the message `ts` in `channel`."""
    query = select(SlackRequestMessage.request_id).where(
        SlackRequestMessage.channel == channel, SlackRequestMessage.card_ts == ts
    )
    return session.scalar(query)


def prompts(session: Session, request_id: int) -> dict[int, SlackStepPrompt]:
    """step id -> its prompt, for every round of the request."""
    query = select(SlackStepPrompt).where(SlackStepPrompt.request_id == request_id)
    return {row.step_id: row for row in session.scalars(query)}


def save_prompt(session: Session, step_id: int, request_id: int, **values: Any) -> None:
    row = session.get(SlackStepPrompt, step_id)
    if row is None:
        defaults: dict[str, Any] = {"prompt_open": False, "prompted_assignment": 0}
        session.add(SlackStepPrompt(step_id=step_id, request_id=request_id, **defaults | values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def approver_dms(session: Session, request_id: int) -> dict[int, SlackApproverDM]:
    """approver row id -> the DM with their buttons, for every round of the request."""
    query = select(SlackApproverDM).where(SlackApproverDM.request_id == request_id)
    return {row.approver_id: row for row in session.scalars(query)}


def save_approver_dm(session: Session, approver_id: int, request_id: int, **values: Any) -> None:
    row = session.get(SlackApproverDM, approver_id)
    if row is None:
        session.add(
            SlackApproverDM(
                approver_id=approver_id, request_id=request_id, **{"dm_open": False} | values
            )
        )
    else:
        for name, value in values.items():
            setattr(row, name, value)


def open_requester_dms(session: Session, request_id: int) -> list[SlackRequesterDM]:
    query = select(SlackRequesterDM).where(
        SlackRequesterDM.request_id == request_id, SlackRequesterDM.open.is_(True)
    )
    return list(session.scalars(query.order_by(SlackRequesterDM.event_id)))


def add_requester_dm(
    session: Session, request_id: int, event_id: int, channel: str, ts: str, text: str
) -> None:
    session.add(
        SlackRequesterDM(
            request_id=request_id, event_id=event_id, channel=channel, ts=ts, text=text, open=True
        )
    )


def close_requester_dm(session: Session, dm_id: int) -> None:
    session.execute(update(SlackRequesterDM).where(SlackRequesterDM.id == dm_id).values(open=False))
