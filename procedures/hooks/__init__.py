"""Hooks: what a procedure with behaviour of its own adds to the approval engine.

The engine owns states, routing, buttons, reminders and audit. A procedure's hooks may compute
values its chain conditions use (leave: `days`), validate a submission against the database
(leave: balance, overlap, notice), read a quick-path text, and act when a request is approved,
rejected, withdrawn, expired or cancelled — always inside the engine's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from procedures.errors import InvalidInput

if TYPE_CHECKING:
    from procedures.policy import Policy


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

    def on_approved(self, ctx: HookContext, request_id: int, payload: Mapping[str, Any]) -> None:
        return None

    def on_closed(
        self, ctx: HookContext, request_id: int, payload: Mapping[str, Any], state: str
    ) -> None:
        """The request ended without taking effect (rejected, withdrawn, expired) or an
        approved one was cancelled (`state == "cancelled"`)."""
        return


def _leave() -> Hooks:
    from procedures.leave.hooks import LeaveHooks

    return LeaveHooks()


def _overtime() -> Hooks:
    from procedures.leave.hooks import OvertimeHooks

    return OvertimeHooks()


# Known hook modules, by the name a procedure gives in `hooks:`. Loaded lazily (the policy is
# validated before they are imported, so what they compute is listed here too).
REGISTRY: dict[str, Callable[[], Hooks]] = {"leave": _leave, "overtime": _overtime}
_LOADED: dict[str, Hooks] = {}
_COMPUTED: dict[str, tuple[str, ...]] = {"leave": ("days", "needs_approval", "over_limit")}


def computed_fields(name: str | None) -> tuple[str, ...] | None:
    """What a hooks module computes, without importing it (the policy loads before it)."""
    if name is None:
        return ()
    if name not in REGISTRY:
        return None
    return _COMPUTED.get(name, ())


def hooks_for(name: str | None) -> Hooks:
    if name is None:
        return Hooks()
    if name not in _LOADED:
        _LOADED[name] = REGISTRY[name]()
    return _LOADED[name]
