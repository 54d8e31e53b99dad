"""Rectification notices (整改通知, 004 §3.4, 003 §3.2): the route is policy; this package adds
the checks on a notice, the record of each re-inspection, and the monthly digest."""

from pathlib import Path

from procedures.modules import Domain
from procedures.rectification.hooks import RectificationHooks

DOMAIN = Domain(
    name="rectification",
    policy_file=Path(__file__).parent / "policy.yml",
    hooks={"rectification": RectificationHooks()},
)
