"""The monthly digest of rectification notices for the quality role: every open notice, the
overdue ones first (past their deadline), each with its owner and where it stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from procedures.policy import Policy
from store import requests_repo

PROCEDURE = "rectification"


@dataclass(frozen=True)
class OpenNotice:
    request_id: int
    number: str
    owner: str | None
    deadline: date | None
    problem: str
    step: int  # the current step's position
    overdue: bool


def open_notices(session: Session, policy: Policy, today: date) -> list[OpenNotice]:
    spec = policy.procedure(PROCEDURE)
    if spec is None:
        return []
    out = []
    for request in requests_repo.open_of(session, PROCEDURE):
        payload = request.payload or {}
        try:
            deadline = date.fromisoformat(str(payload.get("deadline")))
        except ValueError:
            deadline = None
        owner = payload.get("owner")
        out.append(
            OpenNotice(
                request_id=request.id,
                number=f"{spec.prefix}-{request.number:04d}",
                owner=owner if isinstance(owner, str) else None,
                deadline=deadline,
                problem=str(payload.get("problem") or ""),
                step=request.step,
                overdue=deadline is not None and deadline < today,
            )
        )
    return sorted(out, key=lambda n: (not n.overdue, n.deadline or date.max, n.number))
