"""Conditions on a request's fields, as written in the policy file: `days > 3`,
`amount >= 1000`, `category in [travel, meals]`, `currency == CNY`.

Parsed into data when the policy loads (never `eval`), checked against the procedure's
declared fields, and evaluated against a payload. Money compares its amount. A procedure's
hooks may add computed values to compare (leave adds `days`, the working days it counts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

Operator = Literal[">", ">=", "<", "<=", "==", "!=", "in", "not in"]
NUMERIC_OPS = (">", ">=", "<", "<=")

_PATTERN = re.compile(
    r"""^\s*(?P<field>[a-z][a-z0-9_]*)\s*
        (?P<op>>=|<=|==|!=|>|<|not\s+in|in)\s*
        (?P<value>.+?)\s*$""",
    re.VERBOSE,
)


class ConditionError(ValueError):
    pass


@dataclass(frozen=True)
class Condition:
    field: str
    op: Operator
    value: Decimal | str | tuple[str, ...]

    def __str__(self) -> str:
        value = self.value
        shown = f"[{', '.join(value)}]" if isinstance(value, tuple) else str(value)
        return f"{self.field} {self.op} {shown}"

    def holds(self, values: Mapping[str, Any]) -> bool:
        """True when the payload (plus computed fields) satisfies the condition. A missing
        value never satisfies a condition, so an optional field left empty skips the step."""
        actual = comparable(values.get(self.field))
        if actual is None:
            return False
        if self.op in ("in", "not in"):
            assert isinstance(self.value, tuple)
            inside = str(actual) in self.value
            return inside if self.op == "in" else not inside
        if self.op in NUMERIC_OPS:
            if not isinstance(actual, Decimal) or not isinstance(self.value, Decimal):
                return False
            return {
                ">": actual > self.value,
                ">=": actual >= self.value,
                "<": actual < self.value,
                "<=": actual <= self.value,
            }[self.op]
        same = (
            actual == self.value if isinstance(self.value, Decimal) else str(actual) == self.value
        )
        return same if self.op == "==" else not same


def comparable(value: Any) -> Decimal | str | None:
    """A payload value as something a condition can compare: money by its amount."""
    if value is None:
        return None
    if isinstance(value, Mapping) and "amount" in value:
        value = value["amount"]
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return str(value)


def _literal(text: str) -> Decimal | str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    try:
        return Decimal(text)
    except InvalidOperation:
        if not re.fullmatch(r"[\w.\-]+", text):
            raise ConditionError(f"{text!r} is not a number or a word; quote it") from None
        return text


def parse(text: str) -> Condition:
    match = _PATTERN.match(text)
    if match is None:
        raise ConditionError(
            f"cannot read condition {text!r}: write `field op value`, e.g. `amount >= 1000` "
            "or `category in [travel, meals]`"
        )
    field, op, raw = match["field"], " ".join(match["op"].split()), match["value"]
    if op in ("in", "not in"):
        if not (raw.startswith("[") and raw.endswith("]")):
            raise ConditionError(f"{text!r}: `{op}` needs a list such as [a, b]")
        items = tuple(str(_literal(item)) for item in raw[1:-1].split(",") if item.strip())
        if not items:
            raise ConditionError(f"{text!r}: the list is empty")
        return Condition(field, op, items)  # type: ignore[arg-type]
    value = _literal(raw)
    if op in NUMERIC_OPS and not isinstance(value, Decimal):
        raise ConditionError(f"{text!r}: `{op}` compares numbers, and {raw!r} is not one")
    return Condition(field, op, value)  # type: ignore[arg-type]
