"""The list of what moved from a leaver to their successor, per resignation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models.resignation import ResignationTransfer


def listed(session: Session, request_id: int) -> list[ResignationTransfer]:
    query = (
        select(ResignationTransfer)
        .where(ResignationTransfer.request_id == request_id)
        .order_by(ResignationTransfer.id)
    )
    return list(session.scalars(query))


def add(
    session: Session,
    request_id: int,
    *,
    module: str,
    kind: str,
    ref: str,
    label: str,
    label_zh: str | None,
    leaver: str,
    successor: str,
    at: datetime,
) -> bool:
    """Record one moved item; False when it is listed already (moved back and again)."""
    exists = session.scalar(
        select(ResignationTransfer.id).where(
            ResignationTransfer.request_id == request_id,
            ResignationTransfer.module == module,
            ResignationTransfer.kind == kind,
            ResignationTransfer.ref == ref,
        )
    )
    if exists is not None:
        return False
    session.add(
        ResignationTransfer(
            request_id=request_id,
            module=module,
            kind=kind,
            ref=ref[:64],
            label=label,
            label_zh=label_zh,
            leaver=leaver,
            successor=successor,
            at=at,
        )
    )
    session.flush()
    return True
