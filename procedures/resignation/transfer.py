"""The last day (004 §5.3): everything the leaver owns moves to the named successor, listed on
the resignation and audited item by item. A case rejected, withdrawn or expired moves nothing;
a re-run finds nothing left to move and lists nothing twice."""

from __future__ import annotations

from dataclasses import dataclass

from procedures import engine, succession
from procedures.engine import Ctx
from procedures.requests import number_of
from procedures.resignation.policy import ResignationPolicy
from store import audit, requests_repo, resignation_repo
from store.models.resignation import ResignationTransfer

GOING_AHEAD = ("pending", "closed", "approved")


@dataclass(frozen=True)
class Transferred:
    request_id: int
    number: str
    leaver: str
    successor: str
    moved_now: int  # by this run
    items: list[ResignationTransfer]  # everything listed for this resignation


def run(ctx: Ctx, request_id: int) -> Transferred | None:
    request = requests_repo.get(ctx.session, request_id, for_update=True)
    if request is None or request.state not in GOING_AHEAD:
        return None
    spec = ctx.spec(request.procedure)
    leaver, successor = request.requester, str(request.payload.get("successor") or "")
    if not successor:
        return None
    number = number_of(spec, request)
    why = f"{number} ({ctx.policy.section(ResignationPolicy).cite})"
    moved = succession.transfer(ctx, leaver, successor, why)
    added = 0
    for item in moved:
        added += resignation_repo.add(
            ctx.session,
            request.id,
            module=item.module,
            kind=item.item.kind,
            ref=item.item.ref,
            label=item.item.label,
            label_zh=item.item.label_zh,
            leaver=leaver,
            successor=successor,
            at=ctx.now,
        )
    engine.record(
        ctx, request, "resignation.transferred", audit.SYSTEM, to=successor, moved=len(moved)
    )
    return Transferred(
        request.id,
        number,
        leaver,
        successor,
        added,
        resignation_repo.listed(ctx.session, request.id),
    )
