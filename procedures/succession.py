"""Handing over everything a leaver owns to a named successor (离职交接, 004 §5.3).

Core things move here: the tasks of cases that wait on the leaver (approvals, actions, inputs)
and the standing delegations others gave them. Each registered domain moves its own things
through `Domain.transfer_owned` (meetings: action items; risks: risks and their measures;
supplies: open requests). Every item is audited; run again, nothing is left to move, so the
transfer is exactly-once in effect.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from procedures import engine
from procedures.engine import Ctx
from procedures.modules import Owned
from procedures.requests import number_of
from store import audit, requests_repo
from store.models import Delegation

if TYPE_CHECKING:
    from procedures.policy import Policy

CORE = "core"


@dataclass(frozen=True)
class Moved:
    module: str  # "core" or the domain's name
    item: Owned


def _title(ctx: Ctx, procedure: str, payload: Mapping[str, Any]) -> str:
    """The case's first summary field, unless its hooks restrict what may be shown (a
    confidential document): then nothing but its number."""
    spec = ctx.spec(procedure)
    if ctx.hooks(spec).restricted(payload) is not None:
        return ""
    for name in spec.summary or [f.id for f in spec.fields]:
        value = payload.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return ""


def move_tasks(ctx: Ctx, leaver: str, successor: str, why: str) -> list[Owned]:
    """转交 each task waiting on `leaver` to `successor`, recorded on each case."""
    moved: list[Owned] = []
    waiting = [request.id for request, _step in requests_repo.pending_for(ctx.session, leaver)]
    for request_id in waiting:
        request = requests_repo.get(ctx.session, request_id, for_update=True)
        step = engine.current_step(ctx, request) if request is not None else None
        if request is None or step is None or ctx.policy.procedure(request.procedure) is None:
            continue
        mine = [row for row in engine.waiting_rows(ctx, step) if row.user_id == leaver]
        if not mine:
            continue
        for row in mine:
            row.active = False
        # Nobody decides their own request: a successor who filed it hands the decision back
        # to whom the leaver covered for, else to the bot admins (doing a task is fine).
        to = [successor]
        if request.requester == successor and step.task == "decision":
            covered = mine[0].on_behalf_of
            to = [covered] if covered else ctx.directory.users_with_role("bot_admin")
        for person in to:
            engine.assign(ctx, request, step, person, source="transferred", turn=mine[0].turn)
        step.assignment += 1
        request.updated_at = ctx.now
        engine.record(
            ctx,
            request,
            "request.transferred",
            audit.SYSTEM,
            reason=why,
            to=to[0] if len(to) == 1 else to,
            position=step.position,
            leaver=leaver,
        )
        ctx.session.flush()
        engine.sync(ctx, request)
        ref = number_of(ctx.spec(request.procedure), request)
        moved.append(Owned("task", ref, _title(ctx, request.procedure, request.payload or {})))
    return moved


def move_delegations(session: Session, leaver: str, successor: str, now: datetime) -> list[Owned]:
    """Standing delegations to `leaver` that have not ended now name `successor`."""
    query = select(Delegation).where(
        Delegation.delegate == leaver, Delegation.revoked_at.is_(None), Delegation.ends_at > now
    )
    moved: list[Owned] = []
    for row in session.scalars(query.order_by(Delegation.id)):
        if row.approver == successor:
            row.revoked_at = now  # nobody covers for themselves: it simply ends
        else:
            row.delegate = successor
        audit.record(
            session,
            at=now,
            actor=audit.SYSTEM,
            action="delegation.transferred",
            subject_type="delegation",
            subject_id=str(row.id),
            detail={"approver": row.approver, "from": leaver, "to": successor},
        )
        moved.append(Owned("delegation", str(row.id), row.approver))
    return moved


def transfer(ctx: Ctx, leaver: str, successor: str, why: str) -> list[Moved]:
    """Everything `leaver` owns, moved to `successor` in the caller's transaction."""
    moved = [Moved(CORE, item) for item in move_tasks(ctx, leaver, successor, why)]
    moved += [
        Moved(CORE, item) for item in move_delegations(ctx.session, leaver, successor, ctx.now)
    ]
    for domain in ctx.policy.domains:
        if domain.transfer_owned is not None:
            items = domain.transfer_owned(ctx.session, ctx.policy, leaver, successor, ctx.now)
            moved += [Moved(domain.name, item) for item in items]
    return moved


def reassign_field(
    session: Session,
    policy: Policy,
    procedure: str,
    field: str,
    leaver: str,
    successor: str,
    now: datetime,
    kind: str,
    label: Callable[[Mapping[str, Any]], str],
) -> list[Owned]:
    """Open cases of `procedure` whose user field `field` names `leaver` name `successor`
    (their tasks move with `move_tasks`; this keeps the case's own record, and what reads it,
    such as overdue reminders, right). For a domain's `transfer_owned`."""
    spec = policy.procedure(procedure)
    if spec is None:
        return []
    moved: list[Owned] = []
    for request in requests_repo.open_cases(session, procedure):
        if request.payload.get(field) != leaver:
            continue
        request.payload = {**request.payload, field: successor}
        request.updated_at = now
        audit.record(
            session,
            at=now,
            actor=audit.SYSTEM,
            action="request.owner_transferred",
            subject_type=engine.SUBJECT,
            subject_id=str(request.id),
            detail={"field": field, "from": leaver, "to": successor},
        )
        moved.append(Owned(kind, number_of(spec, request), label(request.payload)))
    return moved
