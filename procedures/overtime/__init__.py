"""Overtime (加班, 002 §4.1): a request approved by the requester's approver; approved hours
earn compensatory leave. The route is policy; the hooks credit the leave ledger."""

from pathlib import Path

from procedures.modules import Domain
from procedures.overtime.hooks import OvertimeHooks

DOMAIN = Domain(
    name="overtime",
    policy_file=Path(__file__).parent / "policy.yml",
    hooks={"overtime": OvertimeHooks()},
)
