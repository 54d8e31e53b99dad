"""YAML with line numbers, so a bad org or policy file is reported at the line at fault.

PyYAML's node tree knows where every value starts; we build plain Python data from it and keep
a map from each value's path (`("departments", 0, "head")`) to its file and line. Duplicate
keys, which YAML silently accepts, are reported as problems. `overlay` lays one document over
another (the operator's policy over the built-in one) and keeps every line pointing at the
file it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml
from pydantic import ValidationError

Path = tuple[str | int, ...]


class Location(NamedTuple):
    source: str
    line: int


@dataclass(frozen=True)
class Problem:
    line: int | None
    where: str
    message: str
    source: str | None = None

    def __str__(self) -> str:
        at = f"{self.source or ''}:{self.line}: " if self.line else ""
        where = f"{self.where}: " if self.where else ""
        return f"{at}{where}{self.message}"


class SourceError(Exception):
    """The file cannot be used; `problems` lists every reason, each with its line."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.problems)
        lines = [f"{self.source}: {count} problem{'s' if count != 1 else ''}:"]
        for problem in self.problems:
            source = problem.source or self.source
            where = f"{problem.where}: " if problem.where else ""
            at = f"{source}:{problem.line}" if problem.line else source
            lines.append(f"  {at}: {where}{problem.message}")
        return "\n".join(lines)


@dataclass
class YamlDocument:
    data: Any
    source: str
    lines: dict[Path, Location] = field(default_factory=dict)

    def location_of(self, path: Sequence[str | int]) -> Location | None:
        """Where `path` is, or its nearest ancestor that has a place."""
        probe = tuple(path)
        while True:
            if probe in self.lines:
                return self.lines[probe]
            if not probe:
                return None
            probe = probe[:-1]

    def line_of(self, path: Sequence[str | int]) -> int | None:
        location = self.location_of(path)
        return location.line if location else None

    def problem(self, path: Sequence[str | int], message: str) -> Problem:
        location = self.location_of(path)
        return Problem(
            location.line if location else None,
            dotted(path),
            message,
            location.source if location else self.source,
        )

    def validation_problems(self, error: ValidationError) -> list[Problem]:
        problems = []
        for item in error.errors():
            loc = [part for part in item["loc"] if isinstance(part, str | int)]
            message = item["msg"].removeprefix("Value error, ")
            if item["type"] == "extra_forbidden":
                message = "unknown key"
            elif item["type"] == "missing":
                message = "is required"
            problems.append(self.problem(loc, message))
        return problems


def dotted(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def load_yaml(text: str, source: str) -> YamlDocument:
    document, duplicates = read_yaml(text, source)
    if duplicates:
        raise SourceError(source, duplicates)
    return document


def read_yaml(text: str, source: str) -> tuple[YamlDocument, list[Problem]]:
    """The document (the first of duplicate keys kept) and its duplicate keys as problems, for
    a caller that reports them together with the rest; a file that is not YAML raises."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise SourceError(source, [Problem(line, "", f"not valid YAML: {reason}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise SourceError(source, [Problem(None, "", "the file is empty")])
    document = YamlDocument(data=None, source=source)
    duplicates: list[Problem] = []
    document.data = _build(loader, node, (), document, duplicates)
    return document, duplicates


def _build(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: Path,
    document: YamlDocument,
    duplicates: list[Problem],
) -> Any:
    document.lines[path] = Location(document.source, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in result:
                duplicates.append(
                    Problem(line, dotted((*path, key)), "duplicate key", document.source)
                )
                continue
            child = (*path, key)
            result[key] = _build(loader, value_node, child, document, duplicates)
            document.lines[child] = Location(document.source, line)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, item, (*path, index), document, duplicates)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def overlay(base: YamlDocument, over: YamlDocument) -> YamlDocument:
    """`over` laid on `base`: mappings merge key by key; lists of mappings with an `id` merge
    item by item (an item with a new id is added); anything else in `over` replaces."""
    merged = YamlDocument(data=None, source=over.source)
    merged.data = _overlay(base, over, base.data, over.data, (), (), (), merged)
    return merged


def _copy_lines(doc: YamlDocument, src: Path, dst: Path, merged: YamlDocument) -> None:
    for path, location in doc.lines.items():
        if path[: len(src)] == src:
            merged.lines[dst + path[len(src) :]] = location


def _overlay(
    base: YamlDocument,
    over: YamlDocument,
    a: Any,
    b: Any,
    a_path: Path,
    b_path: Path,
    out_path: Path,
    merged: YamlDocument,
) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        merged.lines[out_path] = over.lines.get(b_path) or base.lines[a_path]
        result: dict[Any, Any] = {}
        for key in [*a.keys(), *(k for k in b if k not in a)]:
            if key in a and key in b:
                result[key] = _overlay(
                    base,
                    over,
                    a[key],
                    b[key],
                    (*a_path, key),
                    (*b_path, key),
                    (*out_path, key),
                    merged,
                )
                merged.lines[(*out_path, key)] = over.lines[(*b_path, key)]
            elif key in a:
                result[key] = a[key]
                _copy_lines(base, (*a_path, key), (*out_path, key), merged)
            else:
                result[key] = b[key]
                _copy_lines(over, (*b_path, key), (*out_path, key), merged)
        return result
    if _is_id_list(a) and _is_id_list(b):
        merged.lines[out_path] = over.lines[b_path]
        by_id = {item["id"]: index for index, item in enumerate(b)}
        items: list[Any] = []
        for index, item in enumerate(a):
            out_index = (*out_path, len(items))
            if item["id"] in by_id:
                b_index = by_id.pop(item["id"])
                items.append(
                    _overlay(
                        base,
                        over,
                        item,
                        b[b_index],
                        (*a_path, index),
                        (*b_path, b_index),
                        out_index,
                        merged,
                    )
                )
            else:
                items.append(item)
                _copy_lines(base, (*a_path, index), out_index, merged)
        for b_index in sorted(by_id.values()):
            _copy_lines(over, (*b_path, b_index), (*out_path, len(items)), merged)
            items.append(b[b_index])
        return items
    _copy_lines(over, b_path, out_path, merged)
    return b


def _is_id_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(i, dict) and "id" in i for i in value)
