"""The policy file: the company's rules as data, validated when Procedo starts.

The built-in policy (`builtin.yml`, following regulations.md) is always the base; an operator's
file (`PROCEDO_POLICY`) is laid over it, so switching one rule off or changing one timing takes
a few lines. Any problem is reported with the file and line at fault, before anything runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from pydantic import Field, ValidationError, create_model, model_validator

from procedures.hooks import Hooks
from procedures.modules import Domain
from procedures.policy.common import Strict
from procedures.policy.procedures import ProcedureSpec
from procedures.policy.prompts import PromptSpec
from procedures.yaml_source import SourceError, YamlDocument, load_yaml, overlay

BUILTIN = Path(__file__).parent / "builtin.yml"
S = TypeVar("S")
NO_HOOKS = Hooks()


class Policy(Strict):
    """The parts every installation has; each registered domain adds its own section (see
    `policy_model`), so this class is the base of the model a policy is parsed with."""

    domains: ClassVar[tuple[Domain, ...]] = ()

    procedures: list[ProcedureSpec] = Field(default_factory=list)
    prompts: list[PromptSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Policy:
        for kind, ids in (
            ("procedure", [p.id for p in self.procedures]),
            ("prompt", [p.id for p in self.prompts]),
        ):
            duplicated = sorted({i for i in ids if ids.count(i) > 1})
            if duplicated:
                raise ValueError(f"{kind} ids used twice: {', '.join(duplicated)}")
        prefixes = [p.prefix for p in self.procedures]
        duplicated = sorted({p for p in prefixes if prefixes.count(p) > 1})
        if duplicated:
            raise ValueError(f"procedure prefixes used twice: {', '.join(duplicated)}")
        for domain in self.domains:
            if domain.check is not None:
                domain.check(self)
        return self

    def section(self, model: type[S]) -> S:
        """A domain's own section (`policy.section(LeavePolicy)`)."""
        for domain in self.domains:
            if domain.section is model:
                value = getattr(self, domain.name)
                assert isinstance(value, model)
                return value
        raise LookupError(f"no registered procedure has a {model.__name__} section")

    def hooks_for(self, name: str | None) -> Hooks:
        for domain in self.domains:
            if name is not None and name in domain.hooks:
                return domain.hooks[name]
        return NO_HOOKS

    def procedure(self, procedure_id: str) -> ProcedureSpec | None:
        return next((p for p in self.procedures if p.id == procedure_id), None)

    def procedure_by_prefix(self, prefix: str) -> ProcedureSpec | None:
        return next((p for p in self.procedures if p.prefix == prefix.upper()), None)

    def active_procedures(self) -> list[ProcedureSpec]:
        return [p for p in self.procedures if p.enabled]

    def prompt(self, prompt_id: str) -> PromptSpec | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)

    def active_prompts(self) -> list[PromptSpec]:
        return [p for p in self.prompts if p.enabled]


@cache
def policy_model(domains: tuple[Domain, ...]) -> type[Policy]:
    """The policy model for these domains: the base plus one field per domain section."""
    names = [d.name for d in domains]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"procedure modules registered twice: {', '.join(twice)}")
    sections: dict[str, Any] = {
        d.name: (d.section, Field(default_factory=d.section)) for d in domains if d.section
    }
    model = create_model("Policy", __base__=Policy, **sections)
    model.domains = domains
    return model


def policy_document(path: Path | None, domains: Sequence[Domain]) -> YamlDocument:
    """The built-in policy, each domain's part laid over it, then the operator's file."""
    document = load_yaml(BUILTIN.read_text(encoding="utf-8"), "builtin policy")
    for domain in domains:
        if domain.policy_file is not None:
            part = load_yaml(domain.policy_file.read_text(encoding="utf-8"), _name(domain))
            document = overlay(document, part)
    document.source = "builtin policy"
    if path is not None:
        document = overlay(document, load_yaml(path.read_text(encoding="utf-8"), str(path)))
    return document


def _name(domain: Domain) -> str:
    return f"builtin policy ({domain.name})"


def parse_policy(document: YamlDocument, domains: Sequence[Domain]) -> Policy:
    model = policy_model(tuple(domains))
    hooks = {name: computed for d in domains for name, computed in d.computed().items()}
    try:
        return model.model_validate(document.data, context={"hooks": hooks})
    except ValidationError as exc:
        raise SourceError(document.source, document.validation_problems(exc)) from None


def load_policy(path: Path | None, domains: Sequence[Domain]) -> Policy:
    """The built-in policy, these domains' parts and `path` laid over it; `SourceError` lists
    every problem. (`bot.modules.load_policy` passes the registered domains.)"""
    return parse_policy(policy_document(path, domains), domains)
