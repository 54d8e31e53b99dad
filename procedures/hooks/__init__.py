"""Hooks: what a procedure with behaviour of its own adds to the engine.

The engine owns states, routing, buttons, reminders and audit. A procedure's hooks may compute
values its chain conditions use (leave: `days`), validate a submission against the database
(leave: balance, overlap, notice), react to each task's outcome (reserve stock, write a
ledger entry, send the case back to an earlier step), and act when a request is approved,
rejected, withdrawn, expired or cancelled — always inside the engine's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from procedures.errors import InvalidInput

if TYPE_CHECKING:
    from procedures.policy import Policy
    from procedures.policy.forms import FieldSpec


@dataclass(frozen=True)
class HookContext:
    session: Session
    now: datetime
    tz: ZoneInfo  # the org's
    policy: Policy
    requester: str
    request_id: int | None = None  # None until the request exists (first submission)
    jobs: list[int] = field(default_factory=list)  # jobs to run after the commit

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()


@dataclass(frozen=True)
class TaskOutcome:
    """A task of a case just finished: what it was, who finished it, and what it captured."""

    request_id: int
    step: str | None  # the step's `id` in the policy, if it has one
    position: int
    round: int
    kind: str  # decision, action, input
    result: str  # approved or returned (decisions); done (action, input)
    actor: str
    reason: str | None
    payload: Mapping[str, Any]  # the case's own fields
    captured: Mapping[str, Mapping[str, Any]]  # per person, what the task captured


@dataclass(frozen=True)
class SendBack:
    """Reopen an earlier step (by its id) in a new round; the steps before it stay done."""

    to: str
    reason: str | None = None


@dataclass(frozen=True)
class Finish:
    """Close the case now, skipping the steps left."""


@dataclass(frozen=True)
class GoTo:
    """Go on at a later step (by its id); the steps in between are skipped (stock is on the
    shelf: no purchase, no receipt)."""

    to: str


Directive = SendBack | Finish | GoTo


class Hooks:
    """The default: no behaviour of its own. Subclasses override what they need."""

    computed: tuple[str, ...] = ()

    def compute(self, ctx: HookContext, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Values derived from the payload that conditions and the card may use."""
        return {}

    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        """Problems with this submission beyond its form (each may name its field)."""
        return []

    def card_fields(
        self, payload: Mapping[str, Any], computed: Mapping[str, Any], lang: str
    ) -> list[str]:
        """Extra `*label*\nvalue` fields for the request's card (e.g. leave's working days)."""
        return []

    def restricted(self, payload: Mapping[str, Any]) -> tuple[str, ...] | None:
        """For a case whose content is restricted (a confidential document): the only fields
        the engine's surfaces show — card, thread prompt, DMs, lists. None: the summary."""
        return None

    def on_task(self, ctx: HookContext, outcome: TaskOutcome) -> Directive | None:
        """A task finished. None: go on as the policy declares (the next step, or close)."""
        return None

    def task_fields(
        self, ctx: HookContext, request_id: int, step: str | None, declared: Sequence[FieldSpec]
    ) -> list[FieldSpec]:
        """The fields an action or input task's form shows: as declared, or with more that
        depend on the case (one quantity per line of a supplies request)."""
        return list(declared)

    def on_approved(self, ctx: HookContext, request_id: int, payload: Mapping[str, Any]) -> None:
        """The case did its last task (approved, or closed for `ends: closed`)."""
        return

    def on_closed(
        self, ctx: HookContext, request_id: int, payload: Mapping[str, Any], state: str
    ) -> None:
        """The request ended without taking effect (rejected, withdrawn, expired) or an
        approved one was cancelled (`state == "cancelled"`)."""
        return
