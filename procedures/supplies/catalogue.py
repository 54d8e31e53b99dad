"""The supplies catalogue file (`procedo supplies import FILE`): YAML or CSV, checked whole,
then applied as one audited diff, all or nothing — like the org file.

A CSV has a header row with at least `name_en,name_zh,spec,unit,category,reorder_level,
opening_stock`; `sku`, `reorder_quantity`, `per_request_limit`, `location` and `discontinued`
are optional. A YAML file has `items:`, a list of the same keys. Every problem is reported at
its line, all in one run. An item is known by its sku, else its English name; an item the file
no longer lists is discontinued (the ledger keeps its history). The opening stock is entered
into the ledger once, when the item first appears.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy.orm import Session

from procedures.supplies.ledger import Kind
from procedures.yaml_source import Problem, SourceError, read_yaml
from store import audit, supplies_repo
from store.models.supplies import SupplyItem

DEMO = Path(__file__).parent / "demo.yml"  # the demo catalogue `procedo local` loads
REQUIRED = ("name_en", "name_zh", "spec", "unit", "category", "reorder_level", "opening_stock")
OPTIONAL = ("sku", "reorder_quantity", "per_request_limit", "location", "discontinued")
SUBJECT = "supply_item"
ACTIONS = {
    "+": "supplies.item_added",
    "~": "supplies.item_changed",
    "-": "supplies.item_discontinued",
}

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


class ItemSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sku: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = None
    name_en: Name
    name_zh: Name
    spec: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    unit: Short
    category: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    reorder_level: int = Field(ge=0, le=1_000_000)
    opening_stock: int = Field(ge=0, le=1_000_000)
    reorder_quantity: int | None = Field(default=None, ge=1, le=1_000_000)
    per_request_limit: int | None = Field(default=None, ge=1, le=1_000_000)
    location: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None = None
    discontinued: bool = False

    @property
    def key(self) -> str:
        return (self.sku or self.name_en).strip().lower()


class CatalogueFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[ItemSpec] = Field(default_factory=list)


# What an item row holds that the file sets (the opening stock is a ledger entry instead).
ATTRIBUTES = (
    "sku",
    "name_en",
    "name_zh",
    "spec",
    "unit",
    "category",
    "reorder_level",
    "reorder_quantity",
    "per_request_limit",
    "location",
    "discontinued",
)


@dataclass(frozen=True)
class Change:
    op: str  # "+", "-", "~"
    key: str
    field: str | None = None
    before: Any = None
    after: Any = None

    def __str__(self) -> str:
        if self.op == "~":
            return f"~ item {self.key}: {self.field} {self.before!r} → {self.after!r}"
        if self.op == "+":
            return f"+ item {self.key}: {self.after}"
        return f"- item {self.key}: discontinued (no longer in the file)"


def parse(text: str, source: str) -> list[tuple[int | None, ItemSpec]]:
    """The items of a catalogue file, each with its line; `SourceError` with every problem."""
    is_csv = source.lower().endswith(".csv") or _looks_like_csv(text)
    rows, problems = _parse_csv(text, source) if is_csv else _parse_yaml(text, source)
    seen: dict[str, int | None] = {}
    for line, spec in rows:
        if spec.key in seen:
            where = f" (line {seen[spec.key]})" if seen[spec.key] else ""
            problems.append(Problem(line, spec.key, f"item listed twice{where}", source))
        seen.setdefault(spec.key, line)
    names: dict[str, int | None] = {}
    for line, spec in rows:
        for name in (spec.name_en.lower(), spec.name_zh):
            if name in names and names[name] != line:
                problems.append(
                    Problem(line, spec.key, f"name {name!r} is used by line {names[name]}", source)
                )
            names.setdefault(name, line)
    if problems:
        raise SourceError(source, sorted(problems, key=lambda p: p.line or 0))
    return rows


def _looks_like_csv(text: str) -> bool:
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    return "name_en" in first and "," in first and ":" not in first


def _parse_csv(text: str, source: str) -> tuple[list[tuple[int | None, ItemSpec]], list[Problem]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    problems: list[Problem] = []
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return [], [Problem(1, "", "the file is empty; it needs a header row", source)]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing:
        problems.append(Problem(1, "header", f"missing columns: {', '.join(missing)}", source))
    if unknown:
        problems.append(Problem(1, "header", f"unknown columns: {', '.join(unknown)}", source))
    if missing or unknown:
        return [], problems
    rows: list[tuple[int | None, ItemSpec]] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(
                Problem(line, "", f"{len(values)} values for {len(header)} columns", source)
            )
            continue
        raw: dict[str, Any] = {
            k: v.strip() for k, v in zip(header, values, strict=True) if v.strip() != ""
        }
        if "discontinued" in raw:
            raw["discontinued"] = raw["discontinued"].lower() in ("1", "true", "yes", "y", "是")
        try:
            rows.append((line, ItemSpec.model_validate(raw)))
        except ValidationError as exc:
            problems += [_problem(line, error, source) for error in exc.errors()]
    return rows, problems


def _problem(line: int | None, error: Any, source: str) -> Problem:
    where = ".".join(str(p) for p in error["loc"])
    return Problem(line, where, str(error["msg"]), source)


def _parse_yaml(text: str, source: str) -> tuple[list[tuple[int | None, ItemSpec]], list[Problem]]:
    document, problems = read_yaml(text, source)
    if problems:
        return [], problems
    try:
        parsed = CatalogueFile.model_validate(document.data or {})
    except ValidationError as exc:
        return [], document.validation_problems(exc)
    return [(document.line_of(("items", i)), spec) for i, spec in enumerate(parsed.items)], []


def diff(current: list[SupplyItem], desired: list[ItemSpec]) -> list[Change]:
    by_key = {item.key: item for item in current}
    changes: list[Change] = []
    wanted = set()
    for spec in desired:
        wanted.add(spec.key)
        item = by_key.get(spec.key)
        if item is None:
            shown = (
                f"{spec.name_en} / {spec.name_zh}, opening stock {spec.opening_stock} {spec.unit}"
            )
            changes.append(Change("+", spec.key, after=shown))
            continue
        for name in ATTRIBUTES:
            before, after = getattr(item, name), getattr(spec, name)
            if (before or None) != (after or None) and before != after:
                changes.append(Change("~", spec.key, name, before, after))
    for item in current:
        if item.key not in wanted and not item.discontinued:
            changes.append(Change("-", item.key))
    return changes


def apply(
    session: Session,
    rows: list[tuple[int | None, ItemSpec]],
    *,
    actor: str,
    at: datetime,
    source: str,
) -> list[Change]:
    """Apply the file as a diff in the caller's transaction; every change is audited."""
    current = supplies_repo.items(session)
    specs = [spec for _, spec in rows]
    changes = diff(current, specs)
    by_key = {item.key: item for item in current}
    openings = {
        item_id: totals.get(Kind.OPENING, 0)
        for item_id, totals in supplies_repo.sums(session).items()
    }
    problems = [
        Problem(
            line,
            spec.key,
            f"opening stock is recorded as {openings.get(by_key[spec.key].id, 0)} already; "
            "correct stock with a count instead",
            source,
        )
        for line, spec in rows
        if spec.key in by_key and openings.get(by_key[spec.key].id, 0) != spec.opening_stock
    ]
    if problems:
        raise SourceError(source, problems)
    for change in changes:
        if change.op == "+":
            spec = next(s for s in specs if s.key == change.key)
            item = SupplyItem(
                key=spec.key,
                **{name: getattr(spec, name) for name in ATTRIBUTES},
                created_at=at,
                updated_at=at,
            )
            session.add(item)
            session.flush()
            if spec.opening_stock:
                supplies_repo.add(
                    session,
                    at=at,
                    kind=Kind.OPENING,
                    quantity=spec.opening_stock,
                    actor=actor,
                    item_id=item.id,
                    reason=f"opening stock ({source})",
                )
            by_key[spec.key] = item
        elif change.op == "~":
            item = by_key[change.key]
            setattr(item, str(change.field), change.after)
            item.updated_at = at
        else:
            item = by_key[change.key]
            item.discontinued, item.updated_at = True, at
        audit.record(
            session,
            at=at,
            actor=actor,
            action=ACTIONS[change.op],
            subject_type=SUBJECT,
            subject_id=str(by_key[change.key].id),
            detail={"change": str(change), "source": source},
        )
    session.flush()
    return changes


def edit(
    session: Session, item: SupplyItem, values: dict[str, Any], *, actor: str, at: datetime
) -> list[Change]:
    """An admin's edit of one item in Slack: checked like a file's row, applied and audited.
    `values` has the item's attributes (the opening stock is not edited: counts correct it)."""
    spec = ItemSpec.model_validate({**values, "sku": item.sku, "opening_stock": 0})
    changes = [
        Change("~", item.key, name, getattr(item, name), getattr(spec, name))
        for name in ATTRIBUTES
        if name != "sku" and getattr(item, name) != getattr(spec, name)
    ]
    for change in changes:
        setattr(item, str(change.field), change.after)
        audit.record(
            session,
            at=at,
            actor=actor,
            action=ACTIONS["~"],
            subject_type=SUBJECT,
            subject_id=str(item.id),
            detail={"change": str(change), "source": "slack"},
        )
    if changes:
        item.updated_at = at
    session.flush()
    return changes
