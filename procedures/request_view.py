"""A read model of one request, taken inside a transaction and safe to render after it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from procedures.approvals import OPEN_STATES
from procedures.hooks import Hooks
from procedures.policy import NO_HOOKS, Policy
from procedures.policy.procedures import ProcedureSpec
from store import audit, requests_repo
from store.models import AuditEntry, Request


@dataclass(frozen=True)
class ApproverView:
    user: str
    decision: str | None
    decided_at: datetime | None
    on_behalf_of: str | None
    source: str
    active: bool
    id: int = 0
    data: dict[str, Any] | None = None  # what their task captured
    turn: int = 0


@dataclass(frozen=True)
class StepView:
    id: int
    round: int
    position: int
    label: dict[str, str]
    kind: str
    mode: str
    state: str
    approvers: tuple[ApproverView, ...]
    assignment: int
    task: str = "decision"
    spec_index: int | None = None
    special: dict[str, str] | None = None  # the special-case rule that chose its people

    @property
    def active_approvers(self) -> list[ApproverView]:
        return [a for a in self.approvers if a.active]

    @property
    def waiting(self) -> list[str]:
        """Whose decision the step waits for now (in order: only the one whose turn it is)."""
        undecided = [a for a in self.active_approvers if a.decision is None]
        if self.mode == "in_order":
            undecided = sorted(undecided, key=lambda a: (a.turn, a.id))[:1]
        return [a.user for a in undecided]

    @property
    def queued(self) -> list[str]:
        """In an in-order step, who decides after the one whose turn it is."""
        if self.mode != "in_order":
            return []
        undecided = [a for a in self.active_approvers if a.decision is None]
        return [a.user for a in sorted(undecided, key=lambda a: (a.turn, a.id))[1:]]

    @property
    def deciders(self) -> list[ApproverView]:
        return [a for a in self.approvers if a.decision]


@dataclass(frozen=True)
class Event:
    id: int
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    reason: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class RequestView:
    id: int
    number: str
    spec: ProcedureSpec
    requester: str
    payload: dict[str, Any]
    computed: dict[str, Any]
    state: str
    round: int
    step: int
    version: int
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    reason: str | None
    steps: tuple[StepView, ...]  # the current round's
    earlier: tuple[StepView, ...] = ()  # the steps of the rounds before it
    hooks: Hooks = NO_HOOKS  # the procedure's behaviour (extra card fields)

    def step_by_id(self, step_id: int) -> StepView | None:
        return next((s for s in (*self.steps, *self.earlier) if s.id == step_id), None)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def current(self) -> StepView | None:
        if not self.is_open:
            return None
        return next(
            (s for s in self.steps if s.position == self.step and s.state == "active"), None
        )

    @property
    def shown_fields(self) -> list[str]:
        """The fields a card or list shows: the summary, unless the hooks restrict the case."""
        only = self.hooks.restricted(self.payload)
        return list(only) if only is not None else [f.id for f in self.spec.card_fields()]

    @property
    def restricted(self) -> bool:
        """Its content is for its audience only (a confidential document): channels see less."""
        return self.hooks.restricted(self.payload) is not None

    @property
    def values(self) -> dict[str, Any]:
        return {**self.payload, **self.computed}

    @property
    def has_tasks(self) -> bool:
        """Some step is an action or input task: the card lists every step's state."""
        return any(step.kind != "decision" for step in self.spec.chain)


def _event(entry: AuditEntry) -> Event:
    return Event(
        id=entry.id,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        from_state=entry.from_state,
        to_state=entry.to_state,
        reason=entry.reason,
        detail=dict(entry.detail or {}),
    )


def events(session: Session, request_id: int, *, after: int = 0) -> list[Event]:
    return [
        _event(e) for e in audit.entries_for(session, "request", str(request_id)) if e.id > after
    ]


def snapshot(session: Session, policy: Policy, request: Request) -> RequestView:
    spec = policy.procedure(request.procedure)
    if spec is None:
        raise LookupError(f"procedure {request.procedure!r} is not in the policy any more")
    steps: list[StepView] = []
    earlier: list[StepView] = []
    for step in requests_repo.all_steps(session, request):
        rows = requests_repo.approvers(session, step, active_only=False)
        (steps if step.round == request.round else earlier).append(
            StepView(
                id=step.id,
                round=step.round,
                position=step.position,
                label=dict(step.label or {}),
                kind=step.kind,
                mode=step.mode,
                state=step.state,
                approvers=tuple(
                    ApproverView(
                        r.user_id,
                        r.decision,
                        r.decided_at,
                        r.on_behalf_of,
                        r.source,
                        r.active,
                        id=r.id,
                        data=dict(r.data) if r.data is not None else None,
                        turn=r.turn,
                    )
                    for r in rows
                ),
                assignment=step.assignment,
                task=step.task,
                spec_index=step.spec_index,
                special=dict(step.special) if step.special else None,
            )
        )
    return RequestView(
        id=request.id,
        number=f"{spec.prefix}-{request.number:04d}",
        spec=spec,
        requester=request.requester,
        payload=dict(request.payload or {}),
        computed=dict(request.computed or {}),
        state=request.state,
        round=request.round,
        step=request.step,
        version=request.version,
        created_at=request.created_at,
        decided_at=request.decided_at,
        decided_by=request.decided_by,
        reason=request.reason,
        steps=tuple(steps),
        earlier=tuple(earlier),
        hooks=policy.hooks_for(spec.hooks),
    )
