"""What a procedure declares below Slack: its part of the built-in policy, its policy section,
its hooks, and the questions the engine may ask it (is this person away? who covers?).

Each procedure package (`procedures/<name>/`) exports one `Domain`; the Slack side wraps it in
a `handlers.modules.ProcedureModule`, and the registry in `bot/modules.py` lists those. The
policy model is built from the registered domains, so adding a procedure edits no shared file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from procedures.hooks import Hooks

if TYPE_CHECKING:
    from procedures.policy import Policy

# Is this user away (e.g. on approved leave) at that instant?
AwayCheck = Callable[[Session, "Policy", str, datetime, ZoneInfo], bool]
# Of these approvers, who is away now and who covers for each (their handover person)?
AwayDelegates = Callable[[Session, "Policy", Sequence[str], datetime, ZoneInfo], dict[str, str]]


@dataclass(frozen=True)
class Owned:
    """One thing a person holds or owns in a procedure's records (a risk they own, supplies
    issued to them), as a line for a handover list. `label` is user text: escape it to show."""

    kind: str  # what it is, a catalog key's last part: "risk", "supply_request", ...
    ref: str  # its number or id, unique within (module, kind): "RK-0003"
    label: str  # a title, description or quantity; "" when it may not be shown
    label_zh: str | None = None  # the Chinese label, where the record has one


# Move what `leaver` owns here to `successor` (someone leaving the org: 离职交接), in the
# caller's transaction, auditing each item; returns what moved. Run again, it moves nothing.
TransferOwned = Callable[[Session, "Policy", str, str, datetime], list[Owned]]
# What `user` holds here, for a checklist (supplies issued to them), most recent first.
Holdings = Callable[[Session, str], list[Owned]]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity
class Domain:
    """`name` is the package's name. `hooks` maps the names a procedure may give in `hooks:`
    to their behaviour (leave offers `leave`); `section` is a top-level policy key of the same
    name as the domain, validated by that model; `check` runs once the whole policy is parsed
    (cross-references between the section and the procedures) and raises `ValueError`."""

    name: str
    policy_file: Path | None = None
    hooks: Mapping[str, Hooks] = field(default_factory=dict)
    section: type[Any] | None = None
    check: Callable[[Policy], None] | None = None
    is_away: AwayCheck | None = None
    away_delegates: AwayDelegates | None = None
    transfer_owned: TransferOwned | None = None
    holdings: Holdings | None = None

    def computed(self) -> dict[str, tuple[str, ...]]:
        return {name: hooks.computed for name, hooks in self.hooks.items()}
