"""Leave (请假): types and balances, counting in working days, the checks a request must pass,
who is out, and the monthly attendance report (regulations.md §1)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from procedures.leave.hooks import LeaveHooks
from procedures.leave.policy import LeavePolicy
from procedures.leave.queries import handover_delegates, is_on_leave
from procedures.modules import Domain

if TYPE_CHECKING:
    from procedures.policy import Policy


def _check(policy: Policy) -> None:
    """The leave form must offer exactly the declared types, with the hooks that count them."""
    leave = policy.section(LeavePolicy)
    if not leave.types:
        return
    spec = policy.procedure(leave.procedure)
    if spec is None:
        raise ValueError(f"leave.procedure names {leave.procedure!r}, which is not a procedure")
    if spec.hooks != "leave":
        raise ValueError(f"the {spec.id} procedure needs `hooks: leave`")
    fields = {f.id: f for f in spec.fields}
    kind, dates = fields.get("type"), fields.get("dates")
    if kind is None or kind.type != "select" or dates is None or dates.type != "date_range":
        raise ValueError(f"the {spec.id} procedure needs a select `type` and a date_range `dates`")
    offered = {option.value for option in kind.options}
    declared = {t.id for t in leave.types}
    if offered != declared:
        raise ValueError(
            f"the {spec.id} form's type options ({', '.join(sorted(offered))}) must be the "
            f"leave types ({', '.join(sorted(declared))})"
        )


DOMAIN = Domain(
    name="leave",
    policy_file=Path(__file__).parent / "policy.yml",
    hooks={"leave": LeaveHooks()},
    section=LeavePolicy,
    check=_check,
    is_away=is_on_leave,
    away_delegates=handover_delegates,
)
