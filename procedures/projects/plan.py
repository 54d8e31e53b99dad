"""A project's plan (goal, scope, budget, schedule, team) as the forms give it, and what a
change request changes in it: pure functions over payloads."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

PLAN = ("title", "goal", "scope", "budget", "start", "end", "team")
NUMBER = re.compile(r"^\s*PJ-?0*(\d{1,9})\s*$", re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,3}[.)、．]|[（(]\d{1,3}[)）])\s*")


def plan_of(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {key: payload.get(key) for key in PLAN}


def parse_number(text: str) -> int | None:
    """`PJ-0001`, `pj-1` or `PJ1` → 1."""
    found = NUMBER.match(text)
    return int(found.group(1)) if found else None


def show_number(number: int) -> str:
    return f"PJ-{number:04d}"


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def schedule_problem(payload: Mapping[str, Any]) -> bool:
    """True when both dates are given and the end is not after the start."""
    start, end = _day(payload.get("start")), _day(payload.get("end"))
    return start is not None and end is not None and end <= start


def _same(key: str, old: Any, new: Any) -> bool:
    if key == "budget":
        if not (isinstance(old, Mapping) and isinstance(new, Mapping)):
            return old is None and new is None
        try:
            same_amount = Decimal(str(old.get("amount"))) == Decimal(str(new.get("amount")))
        except InvalidOperation:
            return False
        return same_amount and str(old.get("currency") or "") == str(new.get("currency") or "")
    if key == "team":
        return sorted(old or []) == sorted(new or [])
    if key in ("start", "end"):
        return _day(old) == _day(new)
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new.strip()
    return bool(old == new)


def changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The plan's fields `new` changes, each with its value in `old`."""
    return {key: old.get(key) for key in PLAN if not _same(key, old.get(key), new.get(key))}


def items_of(text: str, limit: int = 20) -> list[str]:
    """What a reviewer asked to rectify, one item per line (bullets and numbers dropped)."""
    out = []
    for line in text.splitlines():
        item = BULLET.sub("", line).strip()
        if item:
            out.append(item[:500])
    return out[:limit] or ([text.strip()[:500]] if text.strip() else [])
