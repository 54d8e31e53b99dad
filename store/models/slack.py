"""The Slack projection of requests: which messages show a request and how far each is in line
with the database. Owned by the Slack side (`handlers/request_sync.py` and the listeners that
find a request by its card); the engine never reads or writes these tables, and a request,
its steps and its approvers carry no Slack state.

Every row can be rebuilt by posting again: losing one costs a duplicate message, never a
decision."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base

BIGID = BigInteger().with_variant(Integer, "sqlite")
TS = String(32)


class SlackRequestMessage(Base):
    """The request's card, and how far its thread and the requester's DMs show its audit
    trail (the id of the last entry shown)."""

    __tablename__ = "slack_request_messages"
    __table_args__ = (Index("ix_slack_request_messages_card", "channel", "card_ts"),)

    request_id: Mapped[int] = mapped_column(
        BIGID, ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str | None] = mapped_column(String(32))
    card_ts: Mapped[str | None] = mapped_column(TS)
    card_version: Mapped[int] = mapped_column(Integer, default=0)  # the version the card shows
    thread_synced: Mapped[int] = mapped_column(BIGID, default=0)
    dm_synced: Mapped[int] = mapped_column(BIGID, default=0)


class SlackStepPrompt(Base):
    """The thread message that mentions a step's assignees with its buttons, and which
    assignment of them it shows (the step's `assignment` is bumped by delegation, 加签, ...)."""

    __tablename__ = "slack_step_prompts"
    __table_args__ = (Index("ix_slack_step_prompts_request", "request_id"),)

    step_id: Mapped[int] = mapped_column(
        BIGID, ForeignKey("request_steps.id", ondelete="CASCADE"), primary_key=True
    )
    request_id: Mapped[int] = mapped_column(BIGID, ForeignKey("requests.id", ondelete="CASCADE"))
    prompt_ts: Mapped[str | None] = mapped_column(TS)
    prompt_open: Mapped[bool] = mapped_column(default=False)  # it still shows the buttons
    prompted_assignment: Mapped[int] = mapped_column(Integer, default=0)


class SlackApproverDM(Base):
    """The DM with one assignee's buttons for their task, and whether it still shows them."""

    __tablename__ = "slack_approver_dms"
    __table_args__ = (Index("ix_slack_approver_dms_request", "request_id"),)

    approver_id: Mapped[int] = mapped_column(
        BIGID, ForeignKey("request_approvers.id", ondelete="CASCADE"), primary_key=True
    )
    request_id: Mapped[int] = mapped_column(BIGID, ForeignKey("requests.id", ondelete="CASCADE"))
    dm_channel: Mapped[str | None] = mapped_column(String(32))
    dm_ts: Mapped[str | None] = mapped_column(TS)
    dm_open: Mapped[bool] = mapped_column(default=False)


class SlackRequesterDM(Base):
    """A DM to the requester that was posted with buttons (Withdraw, Edit & resubmit, Nudge,
    Ask to cancel): once the request moves on, its buttons are taken away in place."""

    __tablename__ = "slack_requester_dms"
    __table_args__ = (Index("ix_slack_requester_dms_request", "request_id", "open"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(BIGID, ForeignKey("requests.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(BIGID)  # the audit entry the DM told about
    channel: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(TS)
    text: Mapped[str] = mapped_column(Text)
    open: Mapped[bool] = mapped_column(default=True)
