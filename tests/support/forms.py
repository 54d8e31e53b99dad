"""Building field declarations in tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from procedures.forms import validate
from procedures.policy.forms import FieldSpec

TODAY = date(2026, 11, 20)


def spec(id: str = "x", type: str = "text", **attrs: Any) -> FieldSpec:
    return FieldSpec.model_validate(
        {"id": id, "type": type, "label": {"en": id.title(), "zh": f"{id}中"}, **attrs}
    )


def one(field: FieldSpec, value: Any) -> Any:
    """The normalized value, or the single FieldError."""
    payload, errors = validate([field], {field.id: value}, today=TODAY)
    if errors:
        assert len(errors) == 1, errors
        return errors[0]
    return payload[field.id]


OPTIONS = [
    {"value": "annual", "label": {"en": "Annual leave", "zh": "年假"}},
    {"value": "sick", "label": {"en": "Sick leave", "zh": "病假"}},
]
