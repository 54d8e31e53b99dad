"""What rectification notices add to the engine: a notice names an owner other than its
issuer, in the org; each re-inspection's result is kept on the case (how many fixes failed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procedures.errors import InvalidInput
from procedures.hooks import HookContext, Hooks, TaskOutcome
from store import requests_repo
from store.directory import Directory

REINSPECT = "reinspect"


class RectificationHooks(Hooks):
    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        owner = payload.get("owner")
        if not isinstance(owner, str):
            return []  # the form requires it
        if owner == ctx.requester:
            return [InvalidInput("rectification.error.own", field="owner")]
        if Directory(ctx.session).department_of(owner) is None:
            return [InvalidInput("rectification.error.owner_not_in_org", field="owner")]
        return []

    def on_task(self, ctx: HookContext, outcome: TaskOutcome) -> None:
        """Count failed re-inspections on the case, so the card and the digest can say how
        many rounds a fix took; the policy's `returns_to: fix` does the sending back."""
        if outcome.step != REINSPECT or outcome.result != "returned":
            return
        request = requests_repo.get(ctx.session, outcome.request_id)
        if request is None:
            return
        computed = dict(request.computed or {})
        computed["failed_inspections"] = int(computed.get("failed_inspections", 0)) + 1
        request.computed = computed
