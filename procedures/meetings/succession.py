"""What a leaver owns in meetings: open action items (their tasks move with the engine's)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from procedures.modules import Owned
from procedures.succession import reassign_field

if TYPE_CHECKING:
    from procedures.policy import Policy

ACTION_PROCEDURE = "meeting_action"


def _task(payload: Mapping[str, Any]) -> str:
    return str(payload.get("task") or "")


def transfer_owned(
    session: Session, policy: Policy, leaver: str, successor: str, now: datetime
) -> list[Owned]:
    return reassign_field(
        session, policy, ACTION_PROCEDURE, "owner", leaver, successor, now, "action_item", _task
    )
