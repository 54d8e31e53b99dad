"""Office supplies (办公用品, 000 §3.2.3, 001 §5.3): the catalogue, the append-only stock
ledger, requests that reserve, buy, receive and issue, and stock counts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from procedures.modules import Domain
from procedures.supplies.count import CountHooks
from procedures.supplies.hooks import SupplyHooks
from procedures.supplies.policy import SuppliesPolicy
from procedures.supplies.succession import holdings, transfer_owned

if TYPE_CHECKING:
    from procedures.policy import Policy


def _check(policy: Policy) -> None:
    """The procedures the section names exist and use these hooks; the steps it moves
    between are steps of the request's chain."""
    section = policy.section(SuppliesPolicy)
    spec = policy.procedure(section.procedure)
    if spec is None:
        raise ValueError(
            f"supplies.procedure names {section.procedure!r}, which is not a procedure"
        )
    if spec.hooks != "supplies":
        raise ValueError(f"the {spec.id} procedure needs `hooks: supplies`")
    ids = {step.id for step in spec.chain}
    for name in ("approve", "issue"):
        if section.steps.get(name) not in ids:
            raise ValueError(
                f"the {spec.id} chain needs a step with id {section.steps.get(name)!r}"
            )
    count = policy.procedure(section.count_procedure)
    if count is not None and count.hooks != "supplies-count":
        raise ValueError(f"the {count.id} procedure needs `hooks: supplies-count`")


DOMAIN = Domain(
    name="supplies",
    policy_file=Path(__file__).parent / "policy.yml",
    hooks={"supplies": SupplyHooks(), "supplies-count": CountHooks()},
    section=SuppliesPolicy,
    check=_check,
    transfer_owned=transfer_owned,
    holdings=holdings,
)
