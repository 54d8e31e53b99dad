"""What travels through Slack and comes back to us: button values and modals'
`private_metadata`. Each is a pydantic model, so a value that was tampered with, or that an
older version of Procedo wrote, is refused with a clear message instead of a crash."""

from __future__ import annotations

from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from procedures.errors import InvalidInput

M = TypeVar("M", bound="Payload")


class Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    def dump(self) -> str:
        """Compact JSON, within `private_metadata`'s 3,000 characters."""
        return self.model_dump_json(exclude_none=True)

    @classmethod
    def load(cls: type[M], raw: str | None) -> M:
        try:
            return cls.model_validate_json(raw or "{}")
        except ValidationError:
            raise InvalidInput("error.bad_payload") from None


class FormMeta(Payload):
    """The procedure form: new, or the resubmission of a returned request."""

    procedure: str
    request_id: int | None = None


class StepRef(Payload):
    """Which request, round and step a decision button was shown for."""

    request_id: int
    round: int
    position: int

    def value(self) -> str:
        """The short form a button carries: `7:1:0`."""
        return f"{self.request_id}:{self.round}:{self.position}"

    @classmethod
    def parse(cls, value: str) -> StepRef:
        parts = value.split(":")
        if len(parts) != 3 or not all(part.isdigit() for part in parts):
            raise InvalidInput("error.bad_payload")
        request_id, round_, position = (int(part) for part in parts)
        return cls(request_id=request_id, round=round_, position=position)


class DecisionMeta(StepRef):
    """The reason, override and delegate modals opened from a decision button."""

    decision: Literal["approve", "reject", "return"] | None = None
    override: bool = False


class RequestRef(Payload):
    request_id: int


class ActionMeta(StepRef):
    """An approval action picked from the "…" menu of a prompt or DM, and its modal."""

    action: Literal["transfer", "add_before", "add_after", "return_to"]

    def value(self) -> str:
        return f"{self.action}|{super().value()}"

    @classmethod
    def parse_action(cls, value: str) -> ActionMeta:
        action, _, ref = value.partition("|")
        step = StepRef.parse(ref)
        try:
            return cls.model_validate({"action": action, **step.model_dump()})
        except ValidationError:
            raise InvalidInput("error.bad_payload") from None
