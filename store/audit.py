"""The one way every procedure writes to the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AuditEntry

SYSTEM = "system"


def record(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit row in the caller's transaction (so it commits or rolls back with it)."""
    entry = AuditEntry(
        at=at,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        detail=detail or {},
    )
    session.add(entry)
    return entry


def entries_for(session: Session, subject_type: str, subject_id: str) -> list[AuditEntry]:
    query = (
        select(AuditEntry)
        .where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id == subject_id)
        .order_by(AuditEntry.id)
    )
    return list(session.scalars(query))
