"""The suggestions box (合理化建议, 002 §5.2, 003 §3.2): anyone submits, optionally anonymously;
the process-improvement owner adopts it (with a reward) or not (with a reason).

Anonymous means no stored link to the person: the row has no user, the audit row names
`anonymous`, the date has no time, and the author follows it with a receipt code shown once
(only its hash is kept)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy.orm import Session

from procedures.errors import Conflict, InvalidInput, NotAllowed, NotFound
from store import audit, jobs, requests_repo, suggestions_repo
from store.directory import Directory
from store.models.suggestions import Suggestion

COUNTER = "suggestions"  # its numbers (SG-0001) come from the request counters
ANONYMOUS = "anonymous"
SYNC = "suggestions.sync"  # a job: post or update the suggestion's card
TELL = "suggestions.tell"  # a job: DM a named submitter the outcome
Outcome = Literal["adopted", "not_adopted"]
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or retyped


def new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def receipt_hash(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(cleaned.encode("ascii", "ignore")).hexdigest()


def number_of(row: Suggestion) -> str:
    return f"SG-{row.number:04d}"


@dataclass(frozen=True)
class Submitted:
    id: int
    number: str
    code: str  # shown once to the author, never stored
    jobs: list[int]


def _sync_job(session: Session, suggestion_id: int, now: datetime) -> int:
    return jobs.arm(
        session,
        kind=SYNC,
        key=f"suggestions:sync:{suggestion_id}",
        due_at=now,
        now=now,
        payload={"id": suggestion_id},
    )


def submit(
    session: Session,
    *,
    user: str,
    title: str,
    text: str,
    benefit: str | None,
    anonymous: bool,
    now: datetime,
    today: date,
) -> Submitted:
    if Directory(session).department_of(user) is None and not Directory(session).roles_of(user):
        raise NotAllowed("suggestions.error.not_in_org")
    code = new_code()
    row = suggestions_repo.add(
        session,
        Suggestion(
            number=requests_repo.next_number(session, COUNTER),
            title=title,
            text=text,
            benefit=benefit,
            anonymous=anonymous,
            submitter=None if anonymous else user,
            receipt_hash=receipt_hash(code),
            submitted_on=today,
            state="under_review",
        ),
    )
    audit.record(
        session,
        at=datetime.combine(today, datetime.min.time(), tzinfo=now.tzinfo) if anonymous else now,
        actor=ANONYMOUS if anonymous else user,
        action="suggestion.submitted",
        subject_type="suggestion",
        subject_id=str(row.id),
        to_state="under_review",
    )
    return Submitted(row.id, number_of(row), code, [_sync_job(session, row.id, now)])


def decide(
    session: Session,
    *,
    suggestion_id: int,
    actor: str,
    owners: list[str],
    outcome: Outcome,
    note: str,
    now: datetime,
) -> list[int]:
    """Adopt (note = the reward) or not (note = the reason the submitter sees)."""
    if actor not in owners:
        raise NotAllowed("suggestions.error.not_owner")
    if not note.strip():
        raise InvalidInput("suggestions.error.note_required", field="note")
    row = suggestions_repo.get(session, suggestion_id)
    if row is None:
        raise NotFound("suggestions.error.no_such")
    reward, reason = (note.strip(), None) if outcome == "adopted" else (None, note.strip())
    if not suggestions_repo.decide(
        session, suggestion_id, state=outcome, by=actor, at=now, reward=reward, reason=reason
    ):
        session.refresh(row)
        raise Conflict("suggestions.error.decided", by=row.decided_by or "", state=row.state)
    audit.record(
        session,
        at=now,
        actor=actor,
        action=f"suggestion.{outcome}",
        subject_type="suggestion",
        subject_id=str(suggestion_id),
        from_state="under_review",
        to_state=outcome,
        reason=note.strip(),
    )
    out = [_sync_job(session, suggestion_id, now)]
    if row.submitter is not None:
        job = jobs.schedule(
            session,
            kind=TELL,
            due_at=now,
            now=now,
            payload={"id": suggestion_id},
            dedupe_key=f"suggestions:tell:{suggestion_id}",
        )
        if job is not None:
            out.append(job)
    return out


def by_code(session: Session, code: str) -> Suggestion:
    row = suggestions_repo.by_receipt(session, receipt_hash(code[:40]))
    if row is None:
        raise NotFound("suggestions.error.no_such_code")
    return row
