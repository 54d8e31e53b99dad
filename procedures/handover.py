"""When someone starts being away (a standing delegation begins, or their approved leave does),
what already waits on their decision is handed to whoever covers for them. New requests are
routed that way when their step starts (`engine.activate`); this is for the ones already waiting.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from store import jobs

HANDOVER = "request.handover"


def schedule(session: Session, approver: str, at: datetime, now: datetime) -> int | None:
    """Hand over what waits on `approver` at `at` (once per approver and instant). The job
    checks again when it runs: a delegation revoked or a leave cancelled meanwhile moves
    nothing."""
    return jobs.schedule(
        session,
        kind=HANDOVER,
        due_at=max(at, now),
        now=now,
        payload={"approver": approver},
        dedupe_key=f"handover:{approver}:{at.isoformat()}",
    )
