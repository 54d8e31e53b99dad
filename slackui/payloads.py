"""What travels through Slack and comes back to us: button values and modals'
`private_metadata`. Each is a pydantic model, so a value that was tampered with, or that an
older version of Procedo wrote, is refused with a clear message instead of a crash."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from procedures.errors import InvalidInput

M = TypeVar("M", bound="Payload")

# Ids are integer columns (PostgreSQL `integer`): anything above is not one the bot sent.
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=0, le=MAX_ID)]
_NUMBER = re.compile(r"[0-9]{1,10}")


def parse_id(value: object) -> int:
    """An id the bot put in a button (`7`), else "this button is out of date"."""
    if not isinstance(value, str) or not _NUMBER.fullmatch(value) or int(value) > MAX_ID:
        raise InvalidInput("error.bad_payload")
    return int(value)


def parse_object(value: object) -> dict[str, Any]:
    """A JSON object the bot put in a button or private_metadata, else "out of date"."""
    try:
        data = json.loads(value) if isinstance(value, str) else None
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise InvalidInput("error.bad_payload")
    return data


class Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    def dump(self) -> str:
        """Compact JSON, within `private_metadata`'s 3,000 characters."""
        return self.model_dump_json(exclude_none=True)

    @classmethod
    def load(cls: type[M], raw: object) -> M:
        if raw is not None and not isinstance(raw, str):
            raise InvalidInput("error.bad_payload")
        try:
            return cls.model_validate_json(raw or "{}")
        except (ValidationError, RecursionError):
            raise InvalidInput("error.bad_payload") from None


class FormMeta(Payload):
    """The procedure form: new, or the resubmission of a returned request."""

    procedure: str = Field(max_length=64)
    request_id: Id | None = None


class StepRef(Payload):
    """Which request, round and step a decision button was shown for."""

    request_id: Id
    round: Id
    position: Id

    def value(self) -> str:
        """The short form a button carries: `7:1:0`."""
        return f"{self.request_id}:{self.round}:{self.position}"

    @classmethod
    def parse(cls, value: object) -> StepRef:
        parts = value.split(":") if isinstance(value, str) else []
        if len(parts) != 3 or not all(_NUMBER.fullmatch(part) for part in parts):
            raise InvalidInput("error.bad_payload")
        request_id, round_, position = (int(part) for part in parts)
        try:
            return cls(request_id=request_id, round=round_, position=position)
        except ValidationError:
            raise InvalidInput("error.bad_payload") from None


class DecisionMeta(StepRef):
    """The reason, override and delegate modals opened from a decision button."""

    decision: Literal["approve", "reject", "return"] | None = None
    override: bool = False


class RequestRef(Payload):
    request_id: Id

    @classmethod
    def parse(cls, value: object) -> RequestRef:
        """A button's value: the request's id, as the bot wrote it."""
        return cls(request_id=parse_id(value))


class PromptRef(Payload):
    """A prompt's period and, for a review, whose answers: `prompt|period[|person]`."""

    prompt: str
    period: str
    person: str | None = None

    def value(self) -> str:
        return "|".join(x for x in (self.prompt, self.period, self.person) if x)

    @classmethod
    def parse(cls, value: str) -> PromptRef:
        parts = value.split("|")
        if len(parts) not in (2, 3) or not all(parts):
            raise InvalidInput("error.bad_payload")
        return cls(prompt=parts[0], period=parts[1], person=parts[2] if len(parts) == 3 else None)


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
