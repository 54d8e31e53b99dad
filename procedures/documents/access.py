"""Who reads a document in full: its author, the people who handled it (review, sign-off,
numbering) and its audience; a public or internal one also whoever may see the request. To
anyone else a document is its number and title alone — bot admins included, for a
confidential one (保密, 002 §7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from procedures import engine
from procedures.documents.hooks import audience_of, is_confidential
from procedures.engine import Ctx
from procedures.requests import can_see, number_of
from store import audit, documents_repo, requests_repo
from store.models import Request


@dataclass(frozen=True)
class Reader:
    user: str
    read_at: datetime | None


@dataclass(frozen=True)
class DocumentView:
    request_id: int
    number: str  # the request's (DOC-0001)
    doc_number: str | None  # 发文字号, once issued
    title: str
    author: str
    state: str
    full: bool  # False: number and title only
    payload: dict[str, object]
    readers: tuple[Reader, ...]  # shown to the author and the handlers only


def is_reader(ctx: Ctx, request: Request, user: str) -> bool:
    payload = request.payload or {}
    if user == request.requester or user in audience_of(payload):
        return True
    if requests_repo.involved(ctx.session, request.id, user):
        return True
    if is_confidential(payload):
        return False
    return can_see(ctx, request, user)


def view_for(ctx: Ctx, request: Request, user: str) -> DocumentView:
    payload = dict(request.payload or {})
    full = is_reader(ctx, request, user)
    handler = user == request.requester or requests_repo.involved(ctx.session, request.id, user)
    record = documents_repo.record_of(ctx.session, request.id)
    readers = (
        tuple(Reader(r.user_id, r.read_at) for r in documents_repo.reads(ctx.session, request.id))
        if handler
        else ()
    )
    return DocumentView(
        request_id=request.id,
        number=number_of(ctx.spec(request.procedure), request),
        doc_number=record.number if record else None,
        title=str(payload.get("title") or ""),
        author=request.requester,
        state=request.state,
        full=full,
        payload=payload if full else {},
        readers=readers,
    )


def mark_read(ctx: Ctx, request_id: int, user: str) -> tuple[bool, int, int]:
    """(first time?, read, circulated); the tally is kept on the case for its card."""
    first = documents_repo.mark_read(ctx.session, request_id, user, ctx.now)
    read, total = documents_repo.tally(ctx.session, request_id)
    if first:
        request = requests_repo.get(ctx.session, request_id)
        if request is not None:
            request.computed = {**(request.computed or {}), "read": read, "circulated": total}
            # Audited beside the request, not as its event: a thread note per reader is noise.
            audit.record(
                ctx.session,
                at=ctx.now,
                actor=user,
                action="documents.read",
                subject_type="document",
                subject_id=str(request_id),
                detail={"read": read, "circulated": total},
            )
            engine.sync(ctx, request)  # the card shows the tally
    return first, read, total
