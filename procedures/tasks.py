"""Action and input tasks: the assignee marks an action done (with what it captured), or gives
an input task its data; with `mode: all`, the task is done once everyone has.

A click names the round and step it was shown for; a stale one raises `Stale`. Everything
runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procedures import engine, flow
from procedures.decisions import Outcome
from procedures.engine import Ctx, Stale
from procedures.policy.steps import StepSpec
from store import requests_repo
from store.models import Request, RequestStep

DONE = "done"


def task_at(ctx: Ctx, request: Request, round_: int, position: int) -> RequestStep:
    step = engine.open_step(ctx, request, round_, position)
    if step.task == "decision":
        raise Stale("request.error.stale", request_id=request.id)
    return step


def declared(ctx: Ctx, request: Request, step: RequestStep) -> StepSpec:
    spec = engine.step_spec(ctx.spec(request.procedure), step)
    if spec is None:
        raise Stale("request.error.stale", request_id=request.id)
    return spec


def complete(
    ctx: Ctx,
    request_id: int,
    actor: str,
    values: Mapping[str, Any],
    *,
    round_: int,
    position: int,
) -> Outcome:
    """`actor` finished their part of the task; `values` passed the task's form already."""
    request = engine.load(ctx, request_id)
    step = task_at(ctx, request, round_, position)
    rows = requests_repo.approvers(ctx.session, step)
    mine = [row for row in engine.waiting_rows(ctx, step) if row.user_id == actor]
    if not mine:
        engine.record(ctx, request, "request.refused", actor, attempted=step.task)
        return Outcome("refused", request.id, request.state)
    for row in mine:
        row.decision, row.decided_at, row.data = DONE, ctx.now, dict(values)
    request.updated_at = ctx.now
    engine.record(
        ctx,
        request,
        "request.task_done",
        actor,
        position=step.position,
        task=step.task,
        values=dict(values),
    )
    finished = step.mode == "any" or all(row.decision == DONE for row in rows)
    if not finished:
        if step.mode == "in_order":
            step.assignment += 1  # the next one's turn
        ctx.session.flush()
        engine.sync(ctx, request)
        return Outcome("vote", request.id, request.state)
    spec = ctx.spec(request.procedure)
    step.state = DONE
    engine.stop_timers(ctx, request, step)
    if flow.after_step(ctx, request, spec, step, actor, DONE, None) == "last":
        flow.finish(ctx, request, spec, actor)
    ctx.session.flush()
    engine.sync(ctx, request)
    return Outcome("decided", request.id, request.state)
