"""What a leaver owns in the risk register: the risks they own (not closed) and the open
measures they carry out (their tasks move with the engine's)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from procedures.modules import Owned
from procedures.risks.register import PREFIX, SUBJECT
from procedures.succession import reassign_field
from store import audit
from store.models.risks import Risk

if TYPE_CHECKING:
    from procedures.policy import Policy

MEASURE_PROCEDURE = "risk-measure"


def _measure(payload: Mapping[str, Any]) -> str:
    return str(payload.get("measure") or "")


def transfer_owned(
    session: Session, policy: Policy, leaver: str, successor: str, now: datetime
) -> list[Owned]:
    moved: list[Owned] = []
    query = select(Risk).where(Risk.owner == leaver, Risk.status != "closed").order_by(Risk.id)
    for risk in session.scalars(query):
        risk.owner, risk.updated_at = successor, now
        audit.record(
            session,
            at=now,
            actor=audit.SYSTEM,
            action="risk.owner_transferred",
            subject_type=SUBJECT,
            subject_id=str(risk.id),
            detail={"from": leaver, "to": successor},
        )
        moved.append(Owned("risk", f"{PREFIX}-{risk.number:04d}", risk.title))
    moved += reassign_field(
        session, policy, MEASURE_PROCEDURE, "owner", leaver, successor, now, "measure", _measure
    )
    return moved
