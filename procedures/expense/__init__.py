"""Expense reimbursement (费用报销, 003 §7.2): policy only — the form, the route by amount and
the timings are all in its part of the built-in policy."""

from pathlib import Path

from procedures.modules import Domain

DOMAIN = Domain(name="expense", policy_file=Path(__file__).parent / "policy.yml")
