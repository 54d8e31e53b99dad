"""Risks (风险管理, 000 §6, 001 §6, 003 §10, 004 §7): the register scored likelihood × impact,
response measures as action tasks, the director's acceptance that expires, reviews by level,
and indicators whose thresholds raise alerts with a lifecycle."""

from pathlib import Path

from procedures.modules import Domain
from procedures.risks.hooks import RiskHooks
from procedures.risks.policy import RisksPolicy
from procedures.risks.succession import transfer_owned

DOMAIN = Domain(
    name="risks",
    policy_file=Path(__file__).parent / "policy.yml",
    hooks={"risks": RiskHooks()},
    section=RisksPolicy,
    transfer_owned=transfer_owned,
)
