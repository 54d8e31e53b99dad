"""Document numbers (发文字号) from the policy's pattern, e.g. `行政〔{year}〕{seq}号` →
`行政〔2026〕12号`. Placeholders: `{year}`, `{seq}` (the per-type-and-year sequence), and
`{dept}`, the author's department short name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated

from pydantic import AfterValidator, Field

from procedures.policy.common import Slug, Strict

PLACEHOLDERS = ("year", "seq", "dept")
_FIELD = re.compile(r"\{([^{}]*)\}")


def check_pattern(pattern: str) -> str:
    named = _FIELD.findall(pattern)
    unknown = sorted({n for n in named if n not in PLACEHOLDERS})
    if unknown:
        raise ValueError(
            f"pattern {pattern!r} names {', '.join(unknown)}; it may use "
            + ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        )
    for needed in ("year", "seq"):
        if named.count(needed) != 1:
            raise ValueError(f"pattern {pattern!r} needs {{{needed}}} exactly once")
    if "{" in _FIELD.sub("", pattern) or "}" in _FIELD.sub("", pattern):
        raise ValueError(f"pattern {pattern!r} has an unmatched brace")
    return pattern


Pattern = Annotated[str, Field(min_length=1, max_length=80), AfterValidator(check_pattern)]


class DocumentType(Strict):
    pattern: Pattern | None = None  # this type's own pattern; else the section's


class DocumentsPolicy(Strict):
    """The `documents:` section: numbering patterns and what each document type needs."""

    procedure: Slug = "documents"
    pattern: Pattern = "{dept}〔{year}〕{seq}号"
    short_names: dict[Slug, Annotated[str, Field(min_length=1, max_length=20)]] = Field(
        default_factory=dict
    )  # department id → the short name in `{dept}`; default: its Chinese name
    types: dict[Slug, DocumentType] = Field(default_factory=dict)

    def pattern_for(self, doc_type: str) -> str:
        kind = self.types.get(doc_type)
        return kind.pattern if kind is not None and kind.pattern else self.pattern


def render(pattern: str, *, year: int, seq: int, dept: str) -> str:
    values: Mapping[str, str] = {"year": str(year), "seq": str(seq), "dept": dept}
    return _FIELD.sub(lambda m: values[m.group(1)], pattern)
