"""Resignation and handover (离职管理, 004 §5.3): a written application in advance (the notice
period in working days), the head's review and the superior's approval, then HR's handover
checklist as tasks by role; on the last day what the leaver owns moves to their successor."""

from pathlib import Path

from procedures.modules import Domain
from procedures.resignation.hooks import ResignationHooks
from procedures.resignation.policy import ResignationPolicy

DOMAIN = Domain(
    name="resignation",
    policy_file=Path(__file__).parent / "policy.yml",
    hooks={"resignation": ResignationHooks()},
    section=ResignationPolicy,
)
