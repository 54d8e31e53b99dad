"""Budget adjustments (预算调整, 000 §5.1, 004 §6.1): the route is policy (finance review, the
director above an amount); this package keeps each department's lines per year as a ledger of
the amount they opened with and every approved adjustment."""

from pathlib import Path

from procedures.budget.hooks import BudgetHooks
from procedures.modules import Domain

DOMAIN = Domain(
    name="budget",
    policy_file=Path(__file__).parent / "policy.yml",
    hooks={"budget": BudgetHooks()},
)
