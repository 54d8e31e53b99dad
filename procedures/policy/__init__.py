"""The policy file: the company's rules as data, validated when Procedo starts.

The built-in policy (`builtin.yml`, following regulations.md) is always the base; an operator's
file (`PROCEDO_POLICY`) is laid over it, so switching one rule off or changing one timing takes
a few lines. Any problem is reported with the file and line at fault, before anything runs.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError, model_validator

from procedures.policy.common import Strict
from procedures.policy.leave import LeavePolicy
from procedures.policy.procedures import ProcedureSpec
from procedures.policy.prompts import PromptSpec
from procedures.yaml_source import SourceError, YamlDocument, load_yaml, overlay

BUILTIN = Path(__file__).parent / "builtin.yml"


class Policy(Strict):
    procedures: list[ProcedureSpec] = Field(default_factory=list)
    prompts: list[PromptSpec] = Field(default_factory=list)
    leave: LeavePolicy = Field(default_factory=LeavePolicy)

    @model_validator(mode="after")
    def _unique_ids(self) -> Policy:
        for kind, ids in (
            ("procedure", [p.id for p in self.procedures]),
            ("prompt", [p.id for p in self.prompts]),
        ):
            duplicated = sorted({i for i in ids if ids.count(i) > 1})
            if duplicated:
                raise ValueError(f"{kind} ids used twice: {', '.join(duplicated)}")
        if self.leave.types:
            self._check_leave()
        prefixes = [p.prefix for p in self.procedures]
        duplicated = sorted({p for p in prefixes if prefixes.count(p) > 1})
        if duplicated:
            raise ValueError(f"procedure prefixes used twice: {', '.join(duplicated)}")
        return self

    def _check_leave(self) -> None:
        spec = self.procedure(self.leave.procedure)
        if spec is None:
            raise ValueError(
                f"leave.procedure names {self.leave.procedure!r}, which is not a procedure"
            )
        if spec.hooks != "leave":
            raise ValueError(f"the {spec.id} procedure needs `hooks: leave`")
        fields = {f.id: f for f in spec.fields}
        kind, dates = fields.get("type"), fields.get("dates")
        if kind is None or kind.type != "select" or dates is None or dates.type != "date_range":
            raise ValueError(
                f"the {spec.id} procedure needs a select `type` and a date_range `dates`"
            )
        offered = {option.value for option in kind.options}
        declared = {t.id for t in self.leave.types}
        if offered != declared:
            raise ValueError(
                f"the {spec.id} form's type options ({', '.join(sorted(offered))}) must be the "
                f"leave types ({', '.join(sorted(declared))})"
            )

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


def policy_document(path: Path | None = None) -> YamlDocument:
    document = load_yaml(BUILTIN.read_text(encoding="utf-8"), "builtin policy")
    if path is not None:
        document = overlay(document, load_yaml(path.read_text(encoding="utf-8"), str(path)))
    return document


def parse_policy(document: YamlDocument) -> Policy:
    try:
        return Policy.model_validate(document.data)
    except ValidationError as exc:
        raise SourceError(document.source, document.validation_problems(exc)) from None


def load_policy(path: Path | None = None) -> Policy:
    """The built-in policy with `path` laid over it; `SourceError` lists every problem."""
    return parse_policy(policy_document(path))
