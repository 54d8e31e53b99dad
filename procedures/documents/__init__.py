"""Document sign-off (文件管理流程, 000 §3.2.1, 002 §4.3): the route is policy (review → sign-off
by the level the type needs → numbering and issue); this package adds the number register,
circulation with read receipts, and the confidentiality rule (number and title alone to anyone
outside a confidential document's readers)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from procedures.documents.hooks import DocumentHooks
from procedures.documents.numbering import DocumentsPolicy
from procedures.modules import Domain

if TYPE_CHECKING:
    from procedures.policy import Policy

REQUIRED = {
    "title": "text",
    "doc_type": "select",
    "classification": "select",
    "audience": "users",
}
CLASSIFICATIONS = {"public", "internal", "confidential"}


def _check(policy: Policy) -> None:
    """The form must carry the fields the hooks read, and offer exactly the declared types."""
    section = policy.section(DocumentsPolicy)
    spec = policy.procedure(section.procedure)
    if spec is None:
        return  # switched off by leaving the procedure out
    if spec.hooks != "documents":
        raise ValueError(f"the {spec.id} procedure needs `hooks: documents`")
    fields = {f.id: f for f in spec.fields}
    for name, kind in REQUIRED.items():
        if name not in fields or fields[name].type != kind:
            raise ValueError(f"the {spec.id} procedure needs a {kind} field `{name}`")
    offered = {o.value for o in fields["doc_type"].options}
    if offered != set(section.types):
        raise ValueError(
            f"the {spec.id} form's doc_type options ({', '.join(sorted(offered))}) must be "
            f"documents.types ({', '.join(sorted(section.types))})"
        )
    levels = {o.value for o in fields["classification"].options}
    if levels != CLASSIFICATIONS:
        raise ValueError(
            f"the {spec.id} classification options must be {', '.join(sorted(CLASSIFICATIONS))}"
        )
    if not any(step.id == "number" for step in spec.chain):
        raise ValueError(f"the {spec.id} chain needs a step with id `number` (编号印发)")


DOMAIN = Domain(
    name="documents",
    policy_file=Path(__file__).parent / "policy.yml",
    hooks={"documents": DocumentHooks()},
    section=DocumentsPolicy,
    check=_check,
)
