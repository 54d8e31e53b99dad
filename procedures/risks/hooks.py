"""What the risk cases add to the engine: each names an existing risk; a confirmed review
re-scores its risk; an acceptance the director approves (or refuses) sets the risk's status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procedures.errors import InvalidInput
from procedures.hooks import HookContext, Hooks, TaskOutcome
from procedures.risks.policy import RisksPolicy
from procedures.risks.register import acceptance_refused, accepted, parse_number, reviewed
from store import requests_repo, risks_repo

RESCORE = "rescore"


class RiskHooks(Hooks):
    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        number = parse_number(str(payload.get("risk") or ""))
        risk = risks_repo.by_number(ctx.session, number) if number is not None else None
        if risk is None or risk.status == "closed":
            return [
                InvalidInput(
                    "risks.error.no_such_risk",
                    field="risk",
                    number=str(payload.get("risk") or "")[:20],
                )
            ]
        return []

    def on_task(self, ctx: HookContext, outcome: TaskOutcome) -> None:
        """Keep the owner's re-score on the case until the reviewer confirms it."""
        if outcome.step != RESCORE:
            return
        request = requests_repo.get(ctx.session, outcome.request_id)
        captured = outcome.captured.get(outcome.actor) or next(iter(outcome.captured.values()), {})
        if request is None or not captured:
            return
        request.computed = {
            **(request.computed or {}),
            "review": dict(captured),
            "by": outcome.actor,
        }

    def on_approved(self, ctx: HookContext, request_id: int, payload: Mapping[str, Any]) -> None:
        request = requests_repo.get(ctx.session, request_id)
        link = risks_repo.case_link(ctx.session, request_id)
        risk = risks_repo.get(ctx.session, link.risk_id) if link else None
        if request is None or risk is None:
            return
        section = ctx.policy.section(RisksPolicy)
        if request.procedure == "risk-acceptance":
            accepted(ctx, section, risk, request.decided_by)
        elif request.procedure == "risk-review":
            review = (request.computed or {}).get("review")
            if isinstance(review, dict) and review.get("likelihood") and review.get("impact"):
                by = str((request.computed or {}).get("by") or risk.owner)
                reviewed(ctx, section, risk, by, review, request.decided_by)

    def on_closed(
        self, ctx: HookContext, request_id: int, payload: Mapping[str, Any], state: str
    ) -> None:
        request = requests_repo.get(ctx.session, request_id)
        link = risks_repo.case_link(ctx.session, request_id)
        risk = risks_repo.get(ctx.session, link.risk_id) if link else None
        if request is None or risk is None or request.procedure != "risk-acceptance":
            return
        if risk.status == "acceptance_pending":
            acceptance_refused(ctx, risk)
