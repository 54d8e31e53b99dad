"""The suggestions box (合理化建议, 002 §5.2, 003 §3.2): not a request of the engine, because an
anonymous suggestion must keep no link to its author and a request always names its requester;
see box.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator

from procedures.modules import Domain
from procedures.org_file import CHANNEL_PURPOSES
from procedures.policy.common import Strict, check_role
from procedures.policy.forms import FieldSpec, check_fields

FIELDS = {"title": "text", "text": "long_text", "benefit": "long_text", "anonymous": "select"}


def _purpose(value: str) -> str:
    if value not in CHANNEL_PURPOSES:
        raise ValueError(f"channel purpose {value!r} does not exist")
    return value


class SuggestionsPolicy(Strict):
    """The `suggestions:` section."""

    enabled: bool = True
    cite: str = "002 §5.2"
    owner_role: Annotated[str, AfterValidator(check_role)] = "operations"  # triages them
    channel: Annotated[str, AfterValidator(_purpose)] = "approvals"  # where their cards go
    fields: list[FieldSpec] = Field(default_factory=list)

    @field_validator("fields")
    @classmethod
    def _fields(cls, value: list[FieldSpec]) -> list[FieldSpec]:
        check_fields(value)
        found = {f.id: f for f in value}
        for name, kind in FIELDS.items():
            if name not in found or found[name].type != kind:
                raise ValueError(f"suggestions.fields needs a {kind} field `{name}`")
        offered = {o.value for o in found["anonymous"].options}
        if offered != {"yes", "no"}:
            raise ValueError("suggestions.fields `anonymous` offers exactly yes and no")
        return value


DOMAIN = Domain(
    name="suggestions",
    policy_file=Path(__file__).parent / "policy.yml",
    section=SuggestionsPolicy,
)
