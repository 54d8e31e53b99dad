"""What a leaver holds and owns in office supplies: what was issued to them (for the admin's
checklist task: to be returned or written off) and their open requests, which pass to the
successor as requester."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procedures.engine import SUBJECT
from procedures.modules import Owned
from procedures.requests import number_of
from procedures.supplies.ledger import Kind
from procedures.supplies.policy import SuppliesPolicy
from store import audit, requests_repo
from store.models import Request
from store.models.supplies import SupplyEntry, SupplyItem

if TYPE_CHECKING:
    from procedures.policy import Policy


def holdings(session: Session, user: str) -> list[Owned]:
    """Every catalogue item issued against `user`'s requests, with the quantity in total."""
    query = (
        select(SupplyItem.id, SupplyItem.name_en, SupplyItem.name_zh, SupplyItem.unit)
        .add_columns(func.sum(SupplyEntry.quantity))
        .join(SupplyEntry, SupplyEntry.item_id == SupplyItem.id)
        .join(Request, Request.id == SupplyEntry.request_id)
        .where(Request.requester == user, SupplyEntry.kind == Kind.ISSUED.value)
        .group_by(SupplyItem.id, SupplyItem.name_en, SupplyItem.name_zh, SupplyItem.unit)
        .order_by(SupplyItem.id)
    )
    return [
        Owned("issued", str(item_id), f"{total} {unit} {en}", f"{total} {unit} {zh}")
        for item_id, en, zh, unit, total in session.execute(query)
    ]


def transfer_owned(
    session: Session, policy: Policy, leaver: str, successor: str, now: datetime
) -> list[Owned]:
    procedure = policy.section(SuppliesPolicy).procedure
    spec = policy.procedure(procedure)
    if spec is None:
        return []
    moved: list[Owned] = []
    for request in requests_repo.open_cases(session, procedure):
        if request.requester != leaver:
            continue
        request.requester, request.updated_at = successor, now
        audit.record(
            session,
            at=now,
            actor=audit.SYSTEM,
            action="request.requester_transferred",
            subject_type=SUBJECT,
            subject_id=str(request.id),
            detail={"from": leaver, "to": successor},
        )
        moved.append(
            Owned(
                "supply_request",
                number_of(spec, request),
                str(request.payload.get("purpose") or ""),
            )
        )
    return moved
