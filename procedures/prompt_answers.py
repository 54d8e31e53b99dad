"""What periodic prompts collect: each person's answers for a period, editable until the
deadline and until reviewed; the reviewer's evaluation; who may read which answers; the CSV.

A prompt with `questions` is answered in a form; a late first answer is kept and marked late.
With a `review`, the person's reviewer (their approver, or a role) evaluates the answers once
they are in, and the person sees the evaluation. Nothing here touches Slack.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from procedures import spreadsheet
from procedures.errors import NotAllowed, NotFound
from procedures.form_display import display
from procedures.policy.common import Lang
from procedures.policy.prompts import PromptSpec
from store import audit, jobs, prompt_repo
from store.directory import Directory
from store.models import PromptResponse


@dataclass(frozen=True)
class Saved:
    first: bool  # a new answer, not an edit
    late: bool
    reviewers: tuple[str, ...]  # who is asked to evaluate it (empty without a review)


def reviewers_for(directory: Directory, spec: PromptSpec, user: str) -> list[str]:
    """Who evaluates `user`'s answers: their approver (head; a head's director) or the role."""
    if spec.review is None:
        return []
    if spec.review.by == "role" and spec.review.role is not None:
        return [u for u in directory.users_with_role(spec.review.role) if u != user]
    approver = directory.approver_for(user).user
    return [approver] if approver and approver != user else []


def save(
    session: Session,
    spec: PromptSpec,
    period: str,
    user: str,
    answers: Mapping[str, Any],
    *,
    now: datetime,
    deadline: datetime | None,
) -> Saved:
    """Keep `user`'s answers. A first answer is always kept (marked late after the deadline);
    an edit is refused after the deadline or once the answers are reviewed."""
    past_deadline = deadline is not None and now > deadline
    inserted = prompt_repo.record(session, spec.id, period, user, prompt_repo.DONE, now)
    row = prompt_repo.locked(session, spec.id, period, user)
    assert row is not None  # inserted just now, or there before
    first = inserted or row.answers is None  # "Done" without answers, or excused, before
    if not first:
        if row.review is not None:
            raise NotAllowed("prompt.answer.reviewed", reviewer=row.reviewer or "")
        if past_deadline:
            raise NotAllowed("prompt.answer.closed")
    else:
        row.late = past_deadline
        row.state = prompt_repo.DONE
        _cancel_followups(session, spec.id, period, user)
    row.answers = dict(answers)
    row.updated_at = now
    audit.record(
        session,
        at=now,
        actor=user,
        action="prompt.answered" if first else "prompt.answer_edited",
        subject_type="prompt",
        subject_id=f"{spec.id}:{period}",
        to_state=prompt_repo.DONE,
        detail={"late": row.late},
    )
    reviewers = tuple(reviewers_for(Directory(session), spec, user))
    return Saved(first=first, late=row.late, reviewers=reviewers)


def review(
    session: Session,
    spec: PromptSpec,
    period: str,
    person: str,
    reviewer: str,
    values: Mapping[str, Any],
    *,
    now: datetime,
) -> PromptResponse:
    """Record the evaluation of `person`'s answers; only their reviewer may, and once another
    reviewer has evaluated them, nobody else may overwrite it."""
    row = prompt_repo.locked(session, spec.id, period, person)
    if spec.review is None or row is None or row.answers is None:
        raise NotFound("prompt.review.nothing")
    if reviewer not in reviewers_for(Directory(session), spec, person):
        audit.record(
            session,
            at=now,
            actor=reviewer,
            action="prompt.review_refused",
            subject_type="prompt",
            subject_id=f"{spec.id}:{period}",
            detail={"person": person},
        )
        raise NotAllowed("prompt.review.not_yours")
    if row.reviewer is not None and row.reviewer != reviewer:
        raise NotAllowed("prompt.review.already", reviewer=row.reviewer)
    row.review, row.reviewer, row.reviewed_at = dict(values), reviewer, now
    audit.record(
        session,
        at=now,
        actor=reviewer,
        action="prompt.reviewed",
        subject_type="prompt",
        subject_id=f"{spec.id}:{period}",
        detail={"person": person},
    )
    return row


def _cancel_followups(session: Session, prompt_id: str, period: str, user: str) -> None:
    key = ":".join(("prompt", prompt_id, period, user))
    jobs.cancel(session, key=key)
    jobs.cancel(session, prefix=key + ":")


# -- reading -----------------------------------------------------------------------------------


def may_read_all(directory: Directory, spec: PromptSpec, user: str) -> bool:
    return directory.has_role(user, "bot_admin") or (
        spec.owner is not None and directory.has_role(user, spec.owner)
    )


def readable(session: Session, spec: PromptSpec, period: str, reader: str) -> list[PromptResponse]:
    """The answers `reader` may see: all for the prompt's owner role (and bot admins), their
    departments' for a head, their own and those they review for anyone else."""
    directory = Directory(session)
    rows = [r for r in prompt_repo.answered(session, spec.id, period) if r.answers is not None]
    if may_read_all(directory, spec, reader):
        return rows
    headed = {d.id for d in directory.departments() if reader in (d.head, d.director)}

    def visible(row: PromptResponse) -> bool:
        if row.user_id == reader or row.reviewer == reader:
            return True
        dept = directory.department_of(row.user_id)
        return dept is not None and dept.id in headed

    return [row for row in rows if visible(row)]


def _decimal(value: Any) -> Decimal | None:
    raw = value.get("amount") if isinstance(value, Mapping) else value
    try:
        return Decimal(str(raw)) if raw not in (None, "") else None
    except InvalidOperation:
        return None


def variance(spec: PromptSpec, answers: Mapping[str, Any]) -> Decimal | None:
    """actual - planned, when the prompt declares a variance and both were answered."""
    if spec.variance is None:
        return None
    planned = _decimal(answers.get(spec.variance.planned))
    actual = _decimal(answers.get(spec.variance.actual))
    return None if planned is None or actual is None else actual - planned


def totals(spec: PromptSpec, rows: Sequence[PromptResponse]) -> dict[str, Decimal]:
    """The sum of every money and number question (and of the variance) over the answers."""
    out: dict[str, Decimal] = {}
    for question in spec.questions:
        if question.type in ("money", "number"):
            found = [_decimal((r.answers or {}).get(question.id)) for r in rows]
            out[question.id] = sum((v for v in found if v is not None), Decimal(0))
    if spec.variance is not None:
        found = [variance(spec, r.answers or {}) for r in rows]
        out["variance"] = sum((v for v in found if v is not None), Decimal(0))
    return out


@dataclass(frozen=True)
class CsvPerson:
    user: str
    name: str
    department: str
    state: str  # answered, late, excused, missing


def to_csv(
    spec: PromptSpec,
    people: Sequence[CsvPerson],
    rows: Mapping[str, PromptResponse],
    lang: Lang,
    headings: Mapping[str, str],
) -> bytes:
    """One line per person asked, with their answers and evaluation. UTF-8 with a BOM, so
    Excel opens the Chinese text correctly; values are shown as on the cards, unescaped."""
    lines: list[Sequence[object]] = []
    questions = list(spec.questions)
    review = list(spec.review.fields) if spec.review else []
    head = [headings[k] for k in ("user", "name", "department", "state", "answered_at")]
    head += [q.label.pick(lang) for q in questions]
    if spec.variance is not None:
        head.append(headings["variance"])
    if spec.review is not None:
        head.append(headings["reviewer"])
        head += [f.label.pick(lang) for f in review]
    for person in people:
        row = rows.get(person.user)
        answers = (row.answers if row else None) or {}
        line = [person.user, person.name, person.department, person.state]
        line.append(row.at.isoformat() if row and row.answers is not None else "")
        line += [_plain(display(q, answers.get(q.id), lang)) if answers else "" for q in questions]
        if spec.variance is not None:
            found = variance(spec, answers)
            line.append("" if found is None else f"{found:f}")
        if spec.review is not None:
            evaluation = (row.review if row else None) or {}
            line.append(row.reviewer or "" if row else "")
            line += [
                _plain(display(f, evaluation.get(f.id), lang)) if evaluation else "" for f in review
            ]
        lines.append(line)
    return spreadsheet.to_csv(head, lines)


def _plain(shown: str) -> str:
    """Undo mrkdwn escaping for the CSV (a spreadsheet is not Slack), and keep a typed
    `=HYPERLINK(…)` a text: a cell a spreadsheet would run as a formula gets a leading quote."""
    text = shown.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and _decimal(text.replace(",", "")) is None:
        return "'" + text
    return text
