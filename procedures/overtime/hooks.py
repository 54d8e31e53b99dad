"""What overtime adds to the engine: approved overtime is credited to the requester's
compensatory leave (调休), so the leave procedure must be registered too."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from procedures.hooks import HookContext, Hooks
from procedures.leave.policy import LeavePolicy
from store import leave_repo


class OvertimeHooks(Hooks):
    """Approved overtime earns compensatory leave (调休)."""

    def on_approved(self, ctx: HookContext, request_id: int, payload: Mapping[str, Any]) -> None:
        earned = ctx.policy.section(LeavePolicy).type("compensatory")
        if earned is None or earned.balance is None:
            return
        day = payload.get("date")
        year = int(str(day)[:4]) if day else ctx.today.year
        leave_repo.add(
            ctx.session,
            user=ctx.requester,
            leave_type=earned.id,
            year=year,
            kind="earned",
            days=Decimal(str(payload.get("days", 0))),
            on=ctx.today,
            key=f"earned:{request_id}",
            at=ctx.now,
            request_id=request_id,
            note="approved overtime",
        )
