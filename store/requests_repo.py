"""Queries over requests, their steps and approvers, delegations and numbers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from store.models import Delegation, Request, RequestApprover, RequestCounter, RequestStep

ACTIVE = "active"


def next_number(session: Session, procedure: str) -> int:
    """The next human number for a procedure (LV-0042): one atomic increment of a counter row,
    so concurrent submissions never share a number."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(RequestCounter).values(procedure=procedure, last=0).on_conflict_do_nothing()
    )
    statement = (
        update(RequestCounter)
        .where(RequestCounter.procedure == procedure)
        .values(last=RequestCounter.last + 1)
        .returning(RequestCounter.last)
    )
    return int(session.execute(statement).scalar_one())


def get(session: Session, request_id: int, *, for_update: bool = False) -> Request | None:
    return session.get(Request, request_id, with_for_update=for_update or None)


def by_number(session: Session, procedure: str, number: int) -> Request | None:
    query = select(Request).where(Request.procedure == procedure, Request.number == number)
    return session.scalar(query)


def steps(session: Session, request: Request, round_: int | None = None) -> list[RequestStep]:
    query = (
        select(RequestStep)
        .where(
            RequestStep.request_id == request.id,
            RequestStep.round == (request.round if round_ is None else round_),
        )
        .order_by(RequestStep.position)
    )
    return list(session.scalars(query))


def all_steps(session: Session, request: Request) -> list[RequestStep]:
    """Every step of every round, oldest round first."""
    query = (
        select(RequestStep)
        .where(RequestStep.request_id == request.id)
        .order_by(RequestStep.round, RequestStep.position)
    )
    return list(session.scalars(query))


def step_at(session: Session, request: Request, position: int) -> RequestStep | None:
    query = select(RequestStep).where(
        RequestStep.request_id == request.id,
        RequestStep.round == request.round,
        RequestStep.position == position,
    )
    return session.scalar(query)


def approvers(
    session: Session, step: RequestStep, *, active_only: bool = True
) -> list[RequestApprover]:
    query = select(RequestApprover).where(RequestApprover.step_id == step.id)
    if active_only:
        query = query.where(RequestApprover.active.is_(True))
    return list(session.scalars(query.order_by(RequestApprover.id)))


def copy_approvers(session: Session, source: RequestStep, to: RequestStep) -> None:
    """Give step `to` the same assignees as `source`, with their decisions and captures (a
    step copied into a new round, or restored)."""
    for row in approvers(session, source, active_only=False):
        session.add(
            RequestApprover(
                step_id=to.id,
                request_id=to.request_id,
                user_id=row.user_id,
                on_behalf_of=row.on_behalf_of,
                source=row.source,
                active=row.active,
                decision=row.decision,
                decided_at=row.decided_at,
                data=row.data,
                turn=row.turn,
            )
        )
    session.flush()


def pending_for(session: Session, user: str) -> list[tuple[Request, RequestStep]]:
    """Requests waiting on `user`'s decision at their current step."""
    query = (
        select(Request, RequestStep)
        .join(RequestStep, RequestStep.request_id == Request.id)
        .join(RequestApprover, RequestApprover.step_id == RequestStep.id)
        .where(
            RequestApprover.user_id == user,
            RequestApprover.active.is_(True),
            RequestApprover.decision.is_(None),
            RequestStep.state == ACTIVE,
            RequestStep.round == Request.round,
            RequestStep.position == Request.step,
            Request.state.in_(("pending", "cancelling")),
        )
        .order_by(Request.created_at)
    )
    found = [(request, step) for request, step in session.execute(query)]
    return [(request, step) for request, step in found if _has_turn(session, step, user)]


def _has_turn(session: Session, step: RequestStep, user: str) -> bool:
    """In an in-order step only the first undecided approver (by turn) is waited on."""
    if step.mode != "in_order":
        return True
    undecided = [row for row in approvers(session, step) if row.decision is None]
    first = min(undecided, key=lambda row: (row.turn, row.id), default=None)
    return first is not None and first.user_id == user


def mine(session: Session, user: str, limit: int = 20) -> list[Request]:
    query = (
        select(Request)
        .where(Request.requester == user)
        .order_by(Request.created_at.desc(), Request.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def open_requests(session: Session, procedure: str, requester: str) -> list[Request]:
    query = select(Request).where(
        Request.procedure == procedure,
        Request.requester == requester,
        Request.state.in_(("pending", "returned", "approved", "cancelling")),
    )
    return list(session.scalars(query))


def open_of(session: Session, procedure: str) -> list[Request]:
    """Every open case of a procedure, oldest first."""
    query = select(Request).where(
        Request.procedure == procedure, Request.state.in_(("pending", "returned"))
    )
    return list(session.scalars(query.order_by(Request.created_at, Request.id)))


def involved(session: Session, request_id: int, user: str) -> bool:
    """Was `user` ever an approver of this request (any round, delegated or not)?"""
    query = select(RequestApprover.id).where(
        RequestApprover.request_id == request_id,
        or_(RequestApprover.user_id == user, RequestApprover.on_behalf_of == user),
    )
    return session.scalar(query.limit(1)) is not None


def delegations_in_force(session: Session, at: datetime) -> dict[str, str]:
    """approver -> delegate for standing delegations covering `at` (the newest wins)."""
    query = (
        select(Delegation)
        .where(
            Delegation.revoked_at.is_(None),
            Delegation.starts_at <= at,
            Delegation.ends_at > at,
        )
        .order_by(Delegation.created_at)
    )
    return {row.approver: row.delegate for row in session.scalars(query)}


def delegations_of(session: Session, approver: str, at: datetime) -> list[Delegation]:
    query = (
        select(Delegation)
        .where(
            Delegation.approver == approver,
            Delegation.revoked_at.is_(None),
            Delegation.ends_at > at,
        )
        .order_by(Delegation.starts_at)
    )
    return list(session.scalars(query))


def revoke_delegations(session: Session, approver: str, at: datetime) -> int:
    result = session.execute(
        update(Delegation)
        .where(
            and_(
                Delegation.approver == approver,
                Delegation.revoked_at.is_(None),
                Delegation.ends_at > at,
            )
        )
        .values(revoked_at=at)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def of_procedure(session: Session, procedure: str) -> list[Request]:
    """Every case of a procedure, in any state, oldest first."""
    query = select(Request).where(Request.procedure == procedure)
    return list(session.scalars(query.order_by(Request.created_at, Request.id)))


def open_cases(session: Session, procedure: str) -> list[Request]:
    """Cases of `procedure` not yet ended (pending, returned, cancelling), oldest first."""
    query = (
        select(Request)
        .where(Request.procedure == procedure, Request.state.in_(OPEN_CASE_STATES))
        .order_by(Request.id)
    )
    return list(session.scalars(query))


OPEN_CASE_STATES = ("pending", "returned", "cancelling")
