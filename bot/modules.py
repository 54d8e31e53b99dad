"""The procedure registry: one line per procedure module. Order is the order of forms, help and
App Home sections. A module's own files carry everything else (see handlers/modules.py)."""

from pathlib import Path

from handlers import (
    budget,
    complaints,
    documents,
    expense,
    leave,
    meetings,
    overtime,
    projects,
    rectification,
    resignation,
    risks,
    suggestions,
    supplies,
)
from handlers.modules import ProcedureModule
from procedures import policy as policies
from procedures.modules import Domain
from procedures.policy import Policy

MODULES: tuple[ProcedureModule, ...] = (
    expense.MODULE,
    leave.MODULE,
    overtime.MODULE,
    rectification.MODULE,
    supplies.MODULE,
    risks.MODULE,
    meetings.MODULE,
    documents.MODULE,
    suggestions.MODULE,
    budget.MODULE,
    resignation.MODULE,
    complaints.MODULE,
    projects.MODULE,
)

DOMAINS: tuple[Domain, ...] = tuple(module.domain for module in MODULES)


def load_policy(path: Path | None = None) -> Policy:
    """The policy these modules run with: the built-in one with `path` laid over it."""
    return policies.load_policy(path, DOMAINS)
