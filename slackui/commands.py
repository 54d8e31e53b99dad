"""`/procedo` subcommands and the help entries of every slash command.

Handler modules register what they offer here, so `/procedo help` always lists exactly the
commands this installation handles, each with a one-line description and an example.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class HelpEntry:
    command: str  # "/procedo whoami"
    description_key: str
    example: str  # typed exactly as a user would
    admin_only: bool = False


@dataclass(frozen=True)
class Subcommand:
    name: str
    run: Callable[..., Any]
    admin_only: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormEntry:
    """A form `/procedo new` offers that is not an engine procedure's (the meeting notice, the
    risk register, the suggestions box): `/procedo new <id>` and its button run the opener."""

    id: str
    opener: str  # a key of `Deps.openers`
    name_key: str
    description_key: str


@dataclass
class CommandBook:
    help: list[HelpEntry] = field(default_factory=list)
    subcommands: dict[str, Subcommand] = field(default_factory=dict)
    forms: list[FormEntry] = field(default_factory=list)

    def add_help(self, *entries: HelpEntry) -> None:
        self.help.extend(entries)

    def add_subcommand(self, sub: Subcommand) -> None:
        for name in (sub.name, *sub.aliases):
            if name in self.subcommands:
                raise ValueError(f"/procedo {name} registered twice")
            self.subcommands[name] = sub

    def find(self, name: str) -> Subcommand | None:
        return self.subcommands.get(name.lower())

    def add_forms(self, *entries: FormEntry) -> None:
        self.forms.extend(entries)

    def form(self, form_id: str) -> FormEntry | None:
        return next((f for f in self.forms if f.id == form_id), None)
