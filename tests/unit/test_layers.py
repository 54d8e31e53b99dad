"""The arrows point one way: bot → handlers → (slackui, procedures, scheduler) → store.

No package imports one above it, procedures/ never touches Slack, and store/ knows nothing of
the rules. Read from the source (every import statement, including ones inside functions), so
a lazy import cannot sneak an arrow the wrong way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What each package must never import.
FORBIDDEN: dict[str, set[str]] = {
    "store": {"procedures", "scheduler", "slackui", "handlers", "bot", "slack_bolt", "slack_sdk"},
    "procedures": {"scheduler", "slackui", "handlers", "bot", "slack_bolt", "slack_sdk"},
    "scheduler": {"slackui", "handlers", "bot", "slack_bolt"},
    "slackui": {"handlers", "bot", "slack_bolt", "scheduler"},
    "handlers": {"bot"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_imports_one_above_it(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(imports_of(path) & FORBIDDEN[package])
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }
    wrong = {path: names for path, names in wrong.items() if names}
    assert not wrong, f"{package}/ imports what it must not: {wrong}"


def test_the_check_sees_imports() -> None:
    assert "slack_bolt" in imports_of(ROOT / "handlers" / "interaction.py")


# Files every procedure shares: adding a procedure module must not need an edit to any of them,
# so none may import one by name (the registry in bot/modules.py is the one place that does).
SHARED = [
    "bot/app.py",
    "handlers/deps.py",
    "handlers/home.py",
    "handlers/home_sections.py",
    "handlers/modules.py",
    "handlers/placeholders.py",
    "handlers/requests.py",
    "handlers/decisions.py",
    "procedures/engine.py",
    "procedures/hooks/__init__.py",
    "procedures/modules.py",
    "procedures/policy/__init__.py",
    "procedures/policy/procedures.py",
    "store/models/__init__.py",
]


def test_shared_files_import_no_procedure_module() -> None:
    from bot.modules import MODULES

    names = {module.name for module in MODULES}
    wrong = {}
    for relative in SHARED:
        tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if len(parts) > 1 and parts[0] in ("procedures", "handlers") and parts[1] in names:
                    found.add(node.module)
                if node.module in ("procedures", "handlers"):
                    found |= {alias.name for alias in node.names if alias.name in names}
        if found:
            wrong[relative] = sorted(found)
    assert not wrong, f"shared files name procedure modules: {wrong}"


def test_each_module_has_its_files_in_each_layer() -> None:
    from bot.modules import MODULES

    for module in MODULES:
        assert (ROOT / "procedures" / module.name / "__init__.py").exists(), module.name
        assert (ROOT / "handlers" / f"{module.name}.py").exists(), module.name
        assert module.domain.policy_file is not None and module.domain.policy_file.exists()


def _module_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


SLACK_PROJECTION = {"store.slack_repo", "store.models.slack"}
PROJECTION_MODELS = {
    "SlackApproverDM",
    "SlackRequesterDM",
    "SlackRequestMessage",
    "SlackStepPrompt",
}


def test_only_the_slack_side_touches_the_slack_projection() -> None:
    """Card and prompt timestamps, DM ids and sync marks belong to the Slack side: the engine
    (procedures/), the clock and the UI kit never read or write them."""
    wrong = {}
    for package in ("procedures", "scheduler", "slackui", "bot"):
        for path in sorted((ROOT / package).rglob("*.py")):
            names = _module_imports(path)
            bad = {
                n
                for n in names
                if n in SLACK_PROJECTION or n.rsplit(".", 1)[-1] in PROJECTION_MODELS
            }
            if bad:
                wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert not wrong, f"the Slack projection used outside handlers/: {wrong}"
