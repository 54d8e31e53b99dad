"""Requests through the approval engine: the request, its route (steps and approvers per
round), standing delegations, and the per-procedure counters behind numbers like LV-0042.

The history of a request is its audit trail (`audit_log`, subject "request"): one record of
every change, which the thread and the timeline are rendered from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import JSONType, UTCDateTime

BIGID = BigInteger().with_variant(Integer, "sqlite")
USER = String(32)


class Request(Base):
    __tablename__ = "requests"
    # Optimistic concurrency: every UPDATE says `WHERE version = <the version read>`, so of
    # two decisions racing on one request exactly one commits (the other gets StaleDataError).
    __table_args__ = (
        UniqueConstraint("procedure", "number", name="uq_requests_procedure_number"),
        Index("ix_requests_requester", "requester", "state"),
        Index("ix_requests_state", "state"),
    )

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    procedure: Mapped[str] = mapped_column(String(48))
    number: Mapped[int] = mapped_column(Integer)
    requester: Mapped[str] = mapped_column(USER)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    computed: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    state: Mapped[str] = mapped_column(String(16))
    round: Mapped[int] = mapped_column(Integer, default=1)
    step: Mapped[int] = mapped_column(Integer, default=0)  # position in the current round
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(USER)
    reason: Mapped[str | None] = mapped_column(Text)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class RequestStep(Base):
    __tablename__ = "request_steps"
    __table_args__ = (
        UniqueConstraint("request_id", "round", "position", name="uq_request_steps_position"),
    )

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # requester, head, director, role, user, field
    task: Mapped[str] = mapped_column(String(16), default="decision")  # or action, input
    spec_index: Mapped[int | None] = mapped_column(Integer)  # its step in the chain, for timings
    label: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    mode: Mapped[str] = mapped_column(String(8))  # any | all | in_order
    state: Mapped[str] = mapped_column(String(16))  # waiting, active, approved, rejected, ...
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Which assignment of people the step has: bumped whenever they change (delegation,
    # transfer, escalation, 加签, in-order turns), so the Slack side knows to prompt again.
    assignment: Mapped[int] = mapped_column(Integer, default=1)
    # The special-case rule that decided who does this step (if_empty / if_requester /
    # if_left), shown on the card: {"rule": "if_left", "action": "skip_up", "user": "U..."}.
    special: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class RequestApprover(Base):
    __tablename__ = "request_approvers"
    __table_args__ = (
        UniqueConstraint("step_id", "user_id", name="uq_request_approvers_step_user"),
        Index("ix_request_approvers_user", "user_id", "decision"),
    )

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("request_steps.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(USER)
    on_behalf_of: Mapped[str | None] = mapped_column(USER)
    # route, delegated, standing, escalated, transferred, added, override
    source: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)  # false once handed on to a delegate
    # approved, rejected, returned; "done" for an action or input task this person completed.
    decision: Mapped[str | None] = mapped_column(String(16))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSONType)  # what their task captured
    # Their place in an in-order (依次) step: the lowest undecided turn decides next. A
    # transferred place keeps its turn.
    turn: Mapped[int] = mapped_column(Integer, default=0)


class Delegation(Base):
    """A standing delegation: requests for `approver` go to `delegate` during the period."""

    __tablename__ = "delegations"
    __table_args__ = (Index("ix_delegations_approver", "approver", "ends_at"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    approver: Mapped[str] = mapped_column(USER)
    delegate: Mapped[str] = mapped_column(USER)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RequestCounter(Base):
    __tablename__ = "request_counters"

    procedure: Mapped[str] = mapped_column(String(48), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
