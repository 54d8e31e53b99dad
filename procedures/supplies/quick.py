"""The one-line quick path: `/supply 2 A4纸 打印合同` or `/supply 3 staplers for the new hires`.

A quantity (digits or Chinese numerals, optionally with a unit: `2包`, `3 boxes of`), an item
matched in either language (its names, sku, or an English plural), and the rest is the
purpose. What is not understood is said, so the user can fix it or open the form."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from procedures.errors import InvalidInput

ZH_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNIT_WORDS = (
    "包|盒|支|个|本|箱|卷|令|张|把|瓶|袋|套|件|台|只|"
    "reams?|boxes|box|packs?|packets?|pcs|pieces?|units?|rolls?|bottles?|sets?|pens?"
)
_QUANTITY = re.compile(
    rf"(?<![\w.])(?P<n>\d{{1,6}}|[零一二两三四五六七八九十百]{{1,4}})\s*(?P<unit>{UNIT_WORDS})?(?:\s+of\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    """A catalogue item as the parser sees it."""

    id: int
    names: tuple[str, ...]  # English name, Chinese name, sku, aliases


@dataclass(frozen=True)
class Quick:
    quantity: int
    item_id: int | None  # None: nothing in the catalogue matched
    text: str  # what was typed for the item when nothing matched
    purpose: str


def zh_number(text: str) -> int | None:
    """一 … 九百九十九 (enough for office supplies)."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in ZH_DIGITS:
            current = ZH_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    total += current
    return total or None


def _variants(name: str) -> set[str]:
    name = " ".join(name.lower().split())
    out = {name}
    if re.fullmatch(r"[a-z0-9 \-]+", name):
        out |= {name + "s", name + "es"}
        if name.endswith("y"):
            out.add(name[:-1] + "ies")
    return out


def match_item(text: str, candidates: Sequence[Candidate]) -> tuple[Candidate | None, str]:
    """The catalogue item the text names (longest name wins) and the text without it."""
    lowered = text.lower()
    best: tuple[int, int, Candidate, int] | None = None  # (length, -start, candidate, start)
    for candidate in candidates:
        for name in candidate.names:
            for variant in _variants(name):
                if not variant:
                    continue
                start = lowered.find(variant)
                while start >= 0:
                    end = start + len(variant)
                    ascii_name = variant.isascii()
                    boundary = not ascii_name or (
                        (start == 0 or not lowered[start - 1].isalnum())
                        and (end == len(lowered) or not lowered[end].isalnum())
                    )
                    if boundary:
                        key = (len(variant), -start, candidate, start)
                        if best is None or key[:2] > best[:2]:
                            best = key
                        break
                    start = lowered.find(variant, start + 1)
    if best is None:
        return None, text
    length, _, candidate, start = best
    rest = (text[:start] + " " + text[start + length :]).strip()
    return candidate, " ".join(rest.split())


def parse_quick(text: str, candidates: Sequence[Candidate]) -> Quick:
    text = " ".join(text.split())
    found = _QUANTITY.search(text)
    quantity = zh_number(found.group("n")) if found else None
    if found is None or quantity is None:
        raise InvalidInput("supplies.error.no_quantity")
    if quantity <= 0:
        raise InvalidInput("supplies.error.quantity_positive")
    rest = (text[: found.start()] + " " + text[found.end() :]).strip()
    candidate, remainder = match_item(rest, candidates)

    if candidate is None:
        # Nothing matched: the first word is taken for the item, the rest for the purpose.
        head, _, tail = rest.partition(" ")
        return Quick(quantity, None, head, tail)
    return Quick(quantity, candidate.id, "", remainder)


# C0 controls but tab and newline, and DEL: PostgreSQL refuses NUL in text and JSON.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str, limit: int) -> str:
    """Typed text as it is stored: no control characters, trimmed, at most `limit` long."""
    return _CONTROLS.sub("", text).strip()[:limit]
