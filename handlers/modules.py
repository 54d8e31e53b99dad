"""A procedure module: everything one procedure adds to Procedo, declared in one typed object.

`procedures/<name>/` exports the `Domain` (policy part and section, hooks); `handlers/<name>.py`
wraps it in a `ProcedureModule` with its Slack side — listeners and modals, job kinds, clock
maintenance, extras on periodic prompts, the App Home section, help and slash commands; its
views live in `slackui/views/<name>.py`, its strings in `slackui/catalog/<name>.yml`, its tables
in `store/models/<name>.py`. `bot/modules.py` lists the modules; `install` wires them in.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import App

from handlers.deps import Deps, Opener, PromptExtra
from handlers.home import HomeSection
from procedures.clock import Clock
from procedures.modules import Domain
from procedures.policy import Policy
from scheduler.registry import JobHandler
from slackui.commands import FormEntry, HelpEntry, Subcommand
from store.db import Sessions

Maintenance = Callable[[datetime], object]


@dataclass(frozen=True)
class CliEnv:
    """What a module's `procedo <module> <command>` gets: the database, the clock, the policy."""

    sessions: Sessions
    clock: Clock
    policy: Policy


@dataclass(frozen=True)
class CliCommand:
    """`procedo <module name> <name> …` (e.g. `procedo supplies import FILE`)."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, CliEnv], int]


@dataclass(frozen=True)
class HttpRequest:
    """A request to the server's `/api/…` paths, for a module's own HTTP endpoint."""

    method: str
    path: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes


# (status, JSON body), or None when the path is not this module's.
HttpRoute = Callable[[HttpRequest], "tuple[int, dict[str, Any]] | None"]


def _always(_policy: Policy) -> bool:
    return True


@dataclass(frozen=True, eq=False)
class ProcedureModule:
    domain: Domain
    # Slash commands it answers; the manifest's others answer "not available yet".
    commands: tuple[str, ...] = ()
    help: tuple[HelpEntry, ...] = ()
    subcommands: tuple[Subcommand, ...] = ()  # `/procedo <name> …`
    forms: tuple[FormEntry, ...] = ()  # offered by `/procedo new` beside the engine's procedures
    listeners: Callable[[App, Deps], None] | None = None
    jobs: Callable[[Deps], Mapping[str, JobHandler]] | None = None
    maintenance: Callable[[Deps], Sequence[Maintenance]] | None = None
    prompt_extras: Callable[[Deps], Mapping[str, PromptExtra]] | None = None
    openers: Callable[[Deps], Mapping[str, Opener]] | None = None  # by a prompt's `opens:`
    home: HomeSection | None = None
    cli: tuple[CliCommand, ...] = ()  # `procedo <name> <command>`, for operators
    # What `procedo local` loads after the demo org (a demo catalogue), once per database.
    demo: Callable[[Sessions, Clock], object] | None = None
    http: Callable[[Deps], HttpRoute] | None = None  # answers some `/api/…` paths
    # Whether this installation's policy switches it on (e.g. leave needs leave types).
    enabled: Callable[[Policy], bool] = _always

    @property
    def name(self) -> str:
        return self.domain.name


@dataclass(frozen=True)
class Installed:
    home: list[HomeSection]
    commands: frozenset[str]  # slash commands answered by a module the policy switches on
    http: tuple[HttpRoute, ...] = ()


def install(app: App, deps: Deps, modules: Sequence[ProcedureModule]) -> Installed:
    """Register every module the policy switches on, in registry order."""
    home: list[HomeSection] = []
    http: list[HttpRoute] = []
    claimed: set[str] = set()
    for module in modules:
        if module.domain not in deps.policy.domains or not module.enabled(deps.policy):
            continue  # the policy was parsed without it, or switches it off
        claimed.update(module.commands)
        deps.commands.add_help(*module.help)
        deps.commands.add_forms(*module.forms)
        for sub in module.subcommands:
            deps.commands.add_subcommand(sub)
        for kind, handler in (module.jobs(deps) if module.jobs else {}).items():
            deps.jobs.register(kind, handler)
        deps.maintenance.extend(module.maintenance(deps) if module.maintenance else ())
        deps.prompt_extras.update(module.prompt_extras(deps) if module.prompt_extras else {})
        deps.openers.update(module.openers(deps) if module.openers else {})
        if module.listeners is not None:
            module.listeners(app, deps)
        if module.home is not None:
            home.append(module.home)
        if module.http is not None:
            http.append(module.http(deps))
    return Installed(home=home, commands=frozenset(claimed), http=tuple(http))
